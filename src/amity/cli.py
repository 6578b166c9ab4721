"""The `amity` command: a thin Typer layer over the domain services."""

from __future__ import annotations

import typer

from amity.analytics import cli as analytics_cli
from amity.auth import cli as auth_cli
from amity.partnerships import cli as partnerships_cli
from amity.partnerships import stats_cli
from amity.places import cli as places_cli
from amity.system import cli as system_cli

app = typer.Typer(
    help="Amity: the friendship-city registry, its analysis and its workflows.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

for module in (system_cli, places_cli, partnerships_cli, stats_cli, analytics_cli, auth_cli):
    module.register(app)

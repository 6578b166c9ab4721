"""The `amity` command: a thin Typer layer over the domain services."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from amity.core.domains import rooms
from amity.core.errors import AmityError
from amity.registry_build import cli as data_cli
from amity.system import cli as system_cli

app = typer.Typer(
    help="Amity: the friendship-city registry, its analysis and its workflows.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

system_cli.register(app)
data_cli.register(app)
# Each domain that has a `cli.py` adds its commands through `register(app)`.
for module in rooms("cli"):
    module.register(app)


def main() -> None:
    """The console entry point: a domain error any command lets through is a message, exit 2."""
    try:
        app()
    except AmityError as error:
        Console(stderr=True).print(f"[red]{error.message}[/red]")
        sys.exit(2)

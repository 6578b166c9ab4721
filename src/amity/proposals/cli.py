"""`amity proposals activate`: partnerships of approved proposals become active when signed."""

from __future__ import annotations

import typer
from rich.console import Console

from amity.auth.permissions import LOCAL_ADMIN

proposals_app = typer.Typer(help="The review workflow for new pairings.", no_args_is_help=True)


@proposals_app.command("activate")
def activate() -> None:
    """Mark partnerships from approved proposals active once their signing date has come."""
    # Imported here: `amity proposals --help` need not load the service (see amity/cli.py).
    from amity.core.db import get_engine, session_scope
    from amity.proposals import service

    with session_scope(get_engine()) as session:
        done = service.activate_signed(session, actor=LOCAL_ADMIN)
    Console().print(f"{len(done)} partnership(s) activated.")


def register(app: typer.Typer) -> None:
    app.add_typer(proposals_app, name="proposals")

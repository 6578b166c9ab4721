"""`amity token create|list|revoke`: API tokens for writing through the API."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from amity.auth import service
from amity.db import get_engine, session_scope
from amity.errors import AmityError

token_app = typer.Typer(help="API tokens (writes through the API need one).", no_args_is_help=True)


def _fail(error: AmityError) -> None:
    Console(stderr=True).print(f"[red]{error.message}[/red]")
    raise typer.Exit(1)


@token_app.command("create")
def create(name: str = typer.Argument(..., help="Who or what the token is for.")) -> None:
    """Create a token and print its secret, which is shown only this once."""
    try:
        with session_scope(get_engine()) as session:
            raw = service.create_token(session, name)
    except AmityError as error:
        _fail(error)
    typer.echo(raw)


@token_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List tokens (ids, names, dates; never the secrets)."""
    with session_scope(get_engine()) as session:
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "created_at": t.created_at.isoformat() if t.created_at else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in service.list_tokens(session)
        ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    table = Table("id", "name", "created", "revoked")
    for row in rows:
        table.add_row(str(row["id"]), row["name"], row["created_at"] or "", row["revoked_at"] or "")
    Console().print(table)


@token_app.command("revoke")
def revoke(token_id: int = typer.Argument(..., help="The token's id (see `amity token list`).")):
    """Revoke a token: requests carrying it are refused from now on."""
    try:
        with session_scope(get_engine()) as session:
            service.revoke_token(session, token_id)
    except AmityError as error:
        _fail(error)
    Console().print(f"Token {token_id} revoked.")


def register(app: typer.Typer) -> None:
    """Add `amity token ...` to the root app."""
    app.add_typer(token_app, name="token")

"""`amity token ...`, `amity user ...`, `amity audit verify|checkpoint`: accounts, tokens, the
audit chain.

The command line runs on the server, as the local administrator: whoever can run it can read
the database anyway. Its writes are audited under the name "local-admin".
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from amity.auth.permissions import ROLES
from amity.core.errors import AmityError

# The services and the database are imported inside the commands (through _session): the
# groups' and commands' --help need not load them (see amity/cli.py).

token_app = typer.Typer(help="API tokens (writes through the API need one).", no_args_is_help=True)


def _session():
    from amity.core.db import get_engine, session_scope

    return session_scope(get_engine())


def _fail(error: AmityError) -> None:
    console = Console(stderr=True)
    console.print(f"[red]{error.message}[/red]", markup=True)
    for candidate in (error.details or {}).get("candidates", []):
        console.print(f"  {candidate}", markup=False, highlight=False)
    raise typer.Exit(1)


@token_app.command("create")
def create(
    name: str = typer.Argument(..., help="Who or what the token is for."),
    user: str | None = typer.Option(
        None, "--user", help="The account the token acts as (its role and places)."
    ),
) -> None:
    """Create a token and print its secret, which is shown only this once.

    Without --user the token acts as the local administrator (national administrator).
    """
    from amity.auth import service

    try:
        with _session() as session:
            raw = service.create_token(session, name, username=user)
    except AmityError as error:
        _fail(error)
    typer.echo(raw)


@token_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List tokens (ids, names, dates; never the secrets)."""
    from amity.auth import service

    with _session() as session:
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "user": _token_user(t),
                "created_at": t.created_at.isoformat() if t.created_at else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in service.list_tokens(session)
        ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    table = Table("id", "name", "user", "created", "revoked")
    for row in rows:
        table.add_row(
            str(row["id"]), row["name"], row["user"] or "(local admin)", row["created_at"] or "",
            row["revoked_at"] or "",
        )  # fmt: skip
    Console().print(table)


def _token_user(token) -> str | None:
    """The token's account; a missing one is said so, never shown as the local administrator."""
    if token.user_id is None:
        return None
    return token.user.username if token.user else f"(missing user {token.user_id})"


@token_app.command("revoke")
def revoke(token_id: int = typer.Argument(..., help="The token's id (see `amity token list`).")):
    """Revoke a token: requests carrying it are refused from now on."""
    from amity.auth import service

    try:
        with _session() as session:
            service.revoke_token(session, token_id)
    except AmityError as error:
        _fail(error)
    Console().print(f"Token {token_id} revoked.")


user_app = typer.Typer(help="Accounts and their roles.", no_args_is_help=True)
audit_app = typer.Typer(help="The keyed hash-chained audit log.", no_args_is_help=True)


@user_app.command("add")
def user_add(
    username: str = typer.Argument(...),
    role: str = typer.Option(..., help=f"One of: {', '.join(ROLES[:-1])}."),
    place: str | None = typer.Option(
        None, help="An officer's province or city: its name (陕西, Xi'an) or its id."
    ),
    name: str | None = typer.Option(None, help="The person's name as shown."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, envvar="AMITY_NEW_PASSWORD"
    ),
) -> None:
    """Add an account (the password is asked for, or read from AMITY_NEW_PASSWORD)."""
    from amity.auth import service

    try:
        with _session() as session:
            place_id = _place_id(session, place) if place else None
            user = service.create_user(session, username=username, password=password, role=role,
                                       place_id=place_id, display_name=name)  # fmt: skip
            user_id = user.id
    except AmityError as error:
        _fail(error)
    Console().print(f"User {username} added (id {user_id}).")


def _place_id(session, text: str) -> int:
    """The place an officer answers for, typed as in the forms: a name that stands for one
    place, or an id; several candidates are listed, to be chosen by id."""
    from amity.core.errors import InvalidInput
    from amity.places import service as places

    if text.isdigit():
        return places.get_place(session, int(text)).id  # 404 when there is none
    form = {"place_name": text}
    errors = places.read_place_fields(session, form, ("place_id",), "en", ("place_id",))
    if not errors:
        return int(form["place_id"])
    found = form.get("place_name_choices", [])
    choices = [f"{c['id']}: {c['name']} ({c['context']})" for c in found]
    raise InvalidInput(errors["place_id"], {"place": text, "candidates": choices})


@user_app.command("list")
def user_list(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List accounts with their roles and places."""
    from amity.auth import service

    with _session() as session:
        rows = [service.user_row(u) for u in service.list_users(session)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "username", "role", "place", "disabled")
    for row in rows:
        table.add_row(str(row["id"]), row["username"], row["role"], row["place"] or "",
                      "yes" if row["disabled"] else "")  # fmt: skip
    Console().print(table)


@user_app.command("disable")
def user_disable(username: str = typer.Argument(...)) -> None:
    """Disable an account: its sessions end and its tokens stop working."""
    from amity.auth import service

    try:
        with _session() as session:
            service.disable_user(session, username)
    except AmityError as error:
        _fail(error)
    Console().print(f"User {username} disabled.")


@audit_app.command("verify")
def audit_verify(
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    checkpoint: Path | None = typer.Option(
        None, "--checkpoint", exists=True, dir_okay=False,
        help="A file from `amity audit checkpoint`: also find rows deleted or rewritten since.",
    ),
) -> None:  # fmt: skip
    """Check the hash chain; exit 1 and name the first bad row when it is broken."""
    from amity.auth import audit

    try:
        mark = _read_checkpoint(checkpoint) if checkpoint else None
        with _session() as session:
            result = audit.verify(session, mark)
    except AmityError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps(result))
    elif result["ok"]:
        older = f" ({result['unkeyed']} from before keyed chaining)" if result["unkeyed"] else ""
        since = f"; it still contains the checkpoint of {mark['at']}" if mark else ""
        Console().print(f"The audit chain of {result['rows']} entries{older} is intact{since}.")
    else:
        bad = result["first_bad"]
        where = f" at entry {bad['id']}" if bad["id"] is not None else ""
        Console(stderr=True).print(
            f"[red]The audit chain is broken{where}: {bad['problem']}.[/red]"
        )
    if not result["ok"]:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False, help="Also write it to this file (JSON)."
    ),
) -> None:
    """Print the chain's head (count, hash, time) as JSON: keep it away from this server.

    `amity audit verify --checkpoint FILE` later shows whether rows were deleted from the end
    or rewritten since, which the chain alone cannot.
    """
    from amity.auth import audit

    try:
        with _session() as session:
            mark = audit.checkpoint(session)
    except AmityError as error:
        _fail(error)
    text = json.dumps(mark)
    if output:
        output.write_text(text + "\n")
    typer.echo(text)


def _read_checkpoint(path: Path) -> dict:
    try:
        mark = json.loads(path.read_text())
        int(mark["rows"]), str(mark["hash"])
    except (ValueError, KeyError, TypeError):
        raise AmityError(
            f"{path} is not a checkpoint from `amity audit checkpoint`.", {"path": str(path)}
        ) from None
    return mark


def register(app: typer.Typer) -> None:
    """Add `amity token ...`, `amity user ...` and `amity audit ...` to the root app."""
    app.add_typer(token_app, name="token")
    app.add_typer(user_app, name="user")
    app.add_typer(audit_app, name="audit")

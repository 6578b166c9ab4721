"""`amity resolve`: find the place a name stands for."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table


def resolve_command(
    name: str = typer.Argument(..., help="A place name in any script or spelling."),
    country: str = typer.Option(None, "--country", help="Country hint: ISO code or name."),
    limit: int = typer.Option(10, "--limit", min=1, max=100, help="Candidates to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Resolve a place name (English, Chinese, pinyin, old romanisations) to places."""
    # Imported here: `amity resolve --help` need not load the database (see amity/cli.py).
    from amity.core.db import get_engine, session_scope
    from amity.places.resolve import resolve

    with session_scope(get_engine()) as session:
        result = resolve(session, name, country=country, limit=limit)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    console = Console()
    if not result.matches:
        console.print(f"No place found for {name!r}.")
        return
    table = Table(title=f"{name} — {result.status}")
    for column in ("id", "name", "中文", "country", "kind", "lat", "lon", "score", "wikidata"):
        table.add_column(column, justify="right" if column in ("id", "score") else "left")
    for m in result.matches:
        table.add_row(
            str(m.id), m.name, m.name_zh or "", m.country, m.kind, _degrees(m.lat),
            _degrees(m.lon), f"{m.score:.3f}", m.wikidata or "",
        )  # fmt: skip
    console.print(table)


def _degrees(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    app.command("resolve")(resolve_command)

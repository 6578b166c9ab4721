"""`amity voice list|summary TOPIC ID`: what the public said on a partnership, a proposal or an
event, as its /voice page shows it (published submissions only)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from amity.core.errors import AmityError

voice_app = typer.Typer(
    help="The public's voice: published ideas and feedback on a topic.", no_args_is_help=True
)
TOPIC = typer.Argument(..., help="partnership, proposal or event.")
TOPIC_ID = typer.Argument(..., help="The partnership's, proposal's or event's id.")


def _session():
    # Imported here, like the service in each command: `amity voice --help` and a command's
    # --help need not load the database (see amity/cli.py).
    from amity.core.db import get_engine, session_scope

    return session_scope(get_engine())


def _fail(error: AmityError) -> None:
    Console(stderr=True).print(f"[red]{error.message}[/red]")
    raise typer.Exit(2)


@voice_app.command("list")
def list_command(
    topic: str = TOPIC,
    topic_id: int = TOPIC_ID,
    as_json: bool = typer.Option(False, "--json", help="Print the submissions as JSON."),
) -> None:
    """Published ideas and feedback on a topic, most supported first (the /voice page)."""
    from amity.participation import service

    try:
        with _session() as session:
            service.topic_places(session, topic, topic_id)
            rows = service.published(session, topic, topic_id)
    except AmityError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps({"total": len(rows), "items": rows}, ensure_ascii=False,
                              default=str))  # fmt: skip
        return
    table = Table("id", "kind", "field", "votes", "text", "by",
                  title=f"{len(rows)} published on {topic} {topic_id}")  # fmt: skip
    for r in rows:
        table.add_row(str(r["id"]), r["kind"], r["field"] or "", str(r["votes"]), r["body"],
                      r["author_name"] or "")  # fmt: skip
    Console().print(table)


@voice_app.command("summary")
def summary_command(
    topic: str = TOPIC,
    topic_id: int = TOPIC_ID,
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """A topic's published submissions and votes by kind and field, and the frequent terms."""
    from amity.participation import service

    try:
        with _session() as session:
            result = service.topic_summary(session, topic, topic_id)
    except AmityError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    console = Console()
    console.print(f"{result['submissions']} published, {result['votes']} votes "
                  f"on {topic} {topic_id}")  # fmt: skip
    for name, counts in result["by"].items():
        table = Table(name, "submissions", "votes", title=f"by {name}")
        for c in counts:
            table.add_row(c["key"], str(c["submissions"]), str(c["votes"]))
        console.print(table)
    if result["terms"]:
        console.print("terms: " + ", ".join(f"{t['term']} ({t['count']})" for t in result["terms"]))


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    app.add_typer(voice_app, name="voice")

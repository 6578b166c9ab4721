"""`amity exchanges import|taxonomy` and `amity health PLACE`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from amity.core.errors import AmityError

exchanges_app = typer.Typer(
    help="Exchanges between places: import, taxonomy.", no_args_is_help=True
)
taxonomy_app = typer.Typer(help="The modes and fields of exchanges.", no_args_is_help=True)
exchanges_app.add_typer(taxonomy_app, name="taxonomy")
PROBLEMS_SHOWN = 40


def _session():
    # Imported here, like the services in each command: a command's --help need not load the
    # database (see amity/cli.py).
    from amity.core.db import get_engine, session_scope

    return session_scope(get_engine())


def _fail(error: AmityError, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"error": {"code": error.code, "message": error.message}}))
    else:
        Console(stderr=True).print(f"[red]{error.message}[/red]")
    raise typer.Exit(2)


@exchanges_app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV, XLSX or JSON file."),
    format: str = typer.Option(None, "--format", help="csv, xlsx or json (default: guessed)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report; change nothing."),
    partial: bool = typer.Option(
        False, "--partial", help="Import the good rows even when others are rejected."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import exchanges from a file, all or nothing (see --partial)."""
    from amity.core.rich_progress import rich_progress
    from amity.exchanges.importer import import_exchanges

    try:
        with _session() as session, rich_progress(enabled=not as_json) as bar:
            report = import_exchanges(
                session, file, format=format, dry_run=dry_run, partial=partial, progress=bar
            )
    except AmityError as error:
        _fail(error, as_json)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        _render(Console(), report)
    if report.rejected_rows and not partial:
        raise typer.Exit(1)


def _render(console: Console, report) -> None:
    encoding = f", {report.encoding}" if report.encoding else ""
    console.print(f"[bold]{report.filename}[/bold] ({report.format}{encoding})")
    counts = Table(show_header=False, box=None)
    for label in ("rows_read", "imported", "duplicates", "ambiguous", "unresolved", "invalid"):
        counts.add_row(label.replace("_", " "), f"{getattr(report, label):,}")
    console.print(counts)
    if report.problems:
        problems = Table("line", "status", "places", "reason", title="Rows not imported")
        for p in report.problems[:PROBLEMS_SHOWN]:
            problems.add_row(str(p.line), p.status, f"{p.a_name} – {p.b_name}", p.reason)
        console.print(problems)
        if len(report.problems) > PROBLEMS_SHOWN:
            console.print(f"… and {len(report.problems) - PROBLEMS_SHOWN:,} more (--json).")
    if report.dry_run:
        console.print("[yellow]Dry run: nothing was changed.[/yellow]")
    elif report.written:
        console.print(f"[green]Imported {report.imported:,} exchanges (batch {report.batch_id}).")
    else:
        console.print(
            f"[red]Rejected: {report.rejected_rows:,} rows have problems, so nothing was"
            " imported. Fix them, or use --partial to import the good rows.[/red]"
        )


@taxonomy_app.command("list")
def taxonomy_list(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the modes and fields."""
    from amity.exchanges.taxonomy import taxonomy

    with _session() as session:
        terms = taxonomy(session)
    if as_json:
        typer.echo(json.dumps(terms, ensure_ascii=False))
        return
    for kind, rows in terms.items():
        table = Table("code", "English", "中文", "active", title=kind)
        for t in rows:
            table.add_row(t["code"], t["label_en"], t["label_zh"], "yes" if t["active"] else "no")
        Console().print(table)


@taxonomy_app.command("add")
def taxonomy_add(
    kind: str = typer.Argument(..., help="mode or field."),
    code: str = typer.Argument(..., help="A code like sister_school."),
    en: str = typer.Option(..., "--en", help="English label."),
    zh: str = typer.Option(..., "--zh", help="Chinese label."),
) -> None:
    """Add a mode or a field of exchanges."""
    from amity.exchanges.taxonomy import add_term

    try:
        with _session() as session:
            term = add_term(session, kind, code, label_en=en, label_zh=zh)
    except AmityError as error:
        _fail(error, False)
    typer.echo(f"Added {kind} {term['code']}: {term['label_en']} / {term['label_zh']}")


def health_command(
    place: str = typer.Argument(
        ..., help="The office: a place id or name (a province sees its cities' partnerships)."
    ),  # fmt: skip
    unhealthy: bool = typer.Option(
        False,
        "--unhealthy",
        "--attention",  # its name before the feature had one word: kept for scripts
        help="Only dormant or declining ones not reviewed lately.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """The health of an office's partnerships, worst first."""
    from amity.exchanges.health_office import office_health

    try:
        with _session() as session:
            report = office_health(session, _place_id(session, place), unhealthy_only=unhealthy)
    except AmityError as error:
        _fail(error, as_json)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, default=str))
        return
    office = report["office"]
    table = Table(
        "id", "partners", "state", "score", "last", "reasons",
        title=f"{office['name']} {office['name_zh'] or ''}: {report['total']:,} partnerships "
        f"(dormant after {report['dormant_years']} years)",
    )  # fmt: skip
    for item in report["items"]:
        table.add_row(
            str(item["partnership_id"]), f"{item['a']['name']} – {item['b']['name']}",
            item["state"], str(item["score"]), item["last_activity"] or "—",
            " ".join(r["en"] for r in item["reasons"]),
        )  # fmt: skip
    Console().print(table)


def _place_id(session, text: str) -> int:
    from amity.core.errors import InvalidInput, NotFound
    from amity.places.service import resolve

    if text.isdigit():
        return int(text)
    result = resolve(session, text, limit=5)
    if result.status == "resolved":
        return result.best.id
    if result.status == "ambiguous":
        names = ", ".join(f"{m.name} ({m.country}, #{m.id})" for m in result.matches)
        raise InvalidInput(f"{text!r} matches several places: {names}. Give the id.")
    raise NotFound(f"No place named {text!r}.")


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    app.add_typer(exchanges_app, name="exchanges")
    app.command("health")(health_command)

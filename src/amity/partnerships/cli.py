"""Partnership commands: `amity import` (stats and export join it later)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from amity.core.errors import AmityError
from amity.partnerships.columns import parse_mapping

if TYPE_CHECKING:
    from amity.partnerships.importer import ImportReport

PROBLEMS_SHOWN = 40


def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV, XLSX or JSON file."),
    format: str = typer.Option(None, "--format", help="csv, xlsx or json (default: guessed)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report; change nothing."),
    partial: bool = typer.Option(
        False, "--partial", help="Import the good rows even when others are rejected."
    ),
    mapping: str = typer.Option(
        None, "--map", help='Column mapping, e.g. "city1=a_name,伙伴城市=b_name".'
    ),
    source: str = typer.Option(None, "--source", help="Source recorded on each partnership."),
    as_steward: bool = typer.Option(
        False, "--as-steward",
        help="Record the partnerships directly, as the registry steward (agreements signed "
        "outside Amity; the file and its SHA-256 are the evidence). Without it, each new "
        "pair becomes a draft proposal for review.",
    ),  # fmt: skip
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import partnerships from a file, all or nothing (see --partial).

    One door into the registry: by default every new home–abroad pair becomes a draft
    proposal (for the review); --as-steward records the file's partnerships directly.
    """
    # Imported here: the importer pulls in the resolver, which other commands do not need, and
    # `amity import --help` need not load the database either (see amity/cli.py).
    from amity.core.db import get_engine, session_scope
    from amity.core.rich_progress import rich_progress
    from amity.partnerships.importer import import_partnerships

    console = Console()
    try:
        with session_scope(get_engine()) as session, rich_progress(enabled=not as_json) as bar:
            report = import_partnerships(
                session,
                file,
                format=format,
                mapping=parse_mapping(mapping),
                dry_run=dry_run,
                partial=partial,
                source=source,
                progress=bar,
                drafts=not as_steward,
            )
    except AmityError as error:
        if as_json:
            typer.echo(json.dumps({"error": {"code": error.code, "message": error.message}}))
        else:
            console.print(f"[red]Import failed:[/red] {error.message}")
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        render_report(console, report)
    if report.rejected_rows and not partial:
        raise typer.Exit(1)


def render_report(console: Console, report: ImportReport) -> None:
    """Counts, then the rejected rows by line number."""
    encoding = f", {report.encoding}" if report.encoding else ""
    console.print(f"[bold]{report.filename}[/bold] ({report.format}{encoding})")
    counts = Table(show_header=False, box=None)
    for label, value in (
        ("rows read", report.rows_read),
        ("imported" if report.mode == "steward" else "proposals drafted",
         report.imported if report.mode == "steward" else report.proposals),
        ("duplicates", report.duplicates),
        ("new places", report.new_places),
        ("ambiguous", report.ambiguous),
        ("unresolved", report.unresolved),
        ("invalid", report.invalid),
        ("signing dates added" if report.mode == "steward" and report.written
         else "signing dates new to stored pairs", report.dates_added or len(report.new_dates)),
        ("dates differing from the registry (kept)", len(report.date_conflicts)),
    ):
        counts.add_row(label, f"{value:,}")
    console.print(counts)
    if report.problems:
        shown = report.problems[:PROBLEMS_SHOWN]
        problems = Table("line", "status", "places", "reason", title="Rows not imported")
        for p in shown:
            candidates = ", ".join(
                f"{c['name']} ({c['country']}, #{c['id']})" for c in p.candidates
            )
            reason = f"{p.reason}: {candidates}" if candidates else p.reason
            problems.add_row(str(p.line), p.status, f"{p.a_name} – {p.b_name}", reason)
        console.print(problems)
        if len(report.problems) > len(shown):
            console.print(f"… and {len(report.problems) - len(shown):,} more (--json lists all).")
    if report.date_conflicts:
        title = "Signing dates that differ from the registry (not changed)"
        conflicts = Table("line", "places", "registry", "file", title=title)
        for c in report.date_conflicts[:PROBLEMS_SHOWN]:
            conflicts.add_row(str(c.line), f"{c.a_name} – {c.b_name} (#{c.partnership_id})",
                              c.stored_date or "", c.file_date)  # fmt: skip
        console.print(conflicts)
        console.print("Check the evidence, then correct a date on the partnership's page.")
    if report.new_dates and report.mode == "proposals":
        console.print(
            f"{len(report.new_dates):,} stored pairs have no signing date and the file gives "
            "one: only a registry steward's import (--as-steward) adds them."
        )
    console.print(_verdict(report))


def _verdict(report: ImportReport) -> str:
    if report.dry_run:
        return "[yellow]Dry run: nothing was changed.[/yellow]"
    if report.written and report.mode == "proposals":
        return (
            f"[green]Drafted {report.proposals:,} proposals for review (batch {report.batch_id})."
            " Submit them from /proposals; nothing entered the registry.[/green]"
        )
    if report.written:
        return (
            f"[green]Imported {report.imported:,} partnerships as the registry steward"
            f" and added {report.dates_added:,} signing dates (batch {report.batch_id}).[/green]"
        )
    return (
        f"[red]Rejected: {report.rejected_rows:,} rows have problems, so nothing was imported."
        " Fix them, or use --partial to import the good rows.[/red]"
    )


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    app.command("import")(import_file)

"""`amity report PLACE YEAR [--format json|xlsx|pdf] [--output FILE] [--lang zh|en]`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from amity.core.errors import AmityError, InvalidInput

FORMATS = ("json", "xlsx", "pdf")


def _place_id(session, text: str) -> int:
    """An id as given, or the one place a name resolves to."""
    from amity.places.service import resolve

    if text.strip().isdigit():
        return int(text)
    result = resolve(session, text)
    if result.status != "resolved":
        names = ", ".join(f"{m.name} ({m.country}, id {m.id})" for m in result.matches[:5])
        raise InvalidInput(f"{text!r} is {result.status}" + (f": {names}" if names else "."),
                           {"place": text})  # fmt: skip
    return result.matches[0].id


def report_command(
    place: str = typer.Argument(..., help="A place id, or a name (e.g. 江苏, Shanghai)."),
    year: int = typer.Argument(..., help="The report's year."),
    format: str = typer.Option("json", "--format", help="json, xlsx or pdf."),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="File to write (default: stdout for json, amity-report-ID-YEAR.FORMAT otherwise).",
    ),
    lang: str = typer.Option("zh", "--lang", help="zh or en (headers and labels)."),
) -> None:
    """A place's annual report (a province covers its cities) as JSON, Excel or PDF."""
    from amity.core.db import get_engine, session_scope
    from amity.reports.pdf import report_pdf
    from amity.reports.service import annual_report
    from amity.reports.workbook import report_workbook

    if format not in FORMATS or lang not in ("zh", "en"):
        raise typer.BadParameter("--format json|xlsx|pdf, --lang zh|en")
    try:
        with session_scope(get_engine()) as session:
            place_id = _place_id(session, place)
            report = annual_report(session, place_id, year)
    except AmityError as error:
        Console(stderr=True).print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from None
    if format == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2, default=str)
        if output is None:
            typer.echo(text)
            return
        output.write_text(text + "\n", encoding="utf-8")
    else:
        output = output or Path(f"amity-report-{place_id}-{year}.{format}")
        build = report_workbook if format == "xlsx" else report_pdf
        output.write_bytes(build(report, lang))
    Console(stderr=True).print(f"Wrote {output}")


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)

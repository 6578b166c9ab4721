"""`amity index`: the city-diplomacy index, and `amity index import` for external indicators."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from amity.core.errors import AmityError

index_app = typer.Typer(
    invoke_without_command=True,
    help="The city-diplomacy index: scores, pillars, ranks and rank intervals.",
)


@index_app.callback()
def index_command(
    ctx: typer.Context,
    framework: str = typer.Option(None, "--framework", help="prr (default) or friendly_exchange."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    runs: int = typer.Option(None, "--runs", help="Monte Carlo runs (default: the framework's)."),
    seed: int = typer.Option(None, "--seed", help="Random seed (default: the framework's)."),
    top: int = typer.Option(20, "--top", help="How many places to list."),
) -> None:
    """The city-diplomacy index: scores, pillars, ranks and rank intervals."""
    if ctx.invoked_subcommand is not None:
        return
    # Imported here: `amity index --help` need not load the database (see amity/cli.py).
    from amity.core.db import get_engine, session_scope
    from amity.core.rich_progress import rich_progress
    from amity.indices import service

    console = Console(stderr=as_json)
    started = time.perf_counter()
    try:
        with session_scope(get_engine()) as session, rich_progress(enabled=not as_json) as bar:
            result = service.compute_index(
                session, framework=framework, runs=runs, seed=seed, progress=bar, wait=True
            )
            report = service.framework_report(session, result.framework.name, wait=True) | {
                "runs": result.runs,
                "seed": result.seed,
            }
    except AmityError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from None
    seconds = round(time.perf_counter() - started, 2)
    rows = [service.public_row(r) for r in result.rows[:top]]
    if as_json:
        report.pop("indicators")
        typer.echo(json.dumps(report | {"seconds_total": seconds, "top": rows},
                              ensure_ascii=False))  # fmt: skip
        return
    pillars = [p for p in result.pillars if p["available"]]
    table = Table("rank", "place", "country", "score", *[p["code"] for p in pillars],
                  "median", "5–95 %", title=result.framework.title["en"])  # fmt: skip
    for row in rows:
        table.add_row(
            str(row["rank"]), row["name"], row["country"], _number(row["score"]),
            *[_number(row["pillars"][p["code"]]) for p in pillars],
            f"{row['median_rank']:g}", f"{row['rank_low']:g}–{row['rank_high']:g}",
        )  # fmt: skip
    console.print(table)
    missing = [p["code"] for p in result.pillars if not p["available"]]
    if missing:
        console.print(f"Pillars without data (left out): {', '.join(missing)}")
    shares = ", ".join(f"{k} {v:.3f}" for k, v in result.sensitivity.items())
    console.print(f"Rank variance explained: {shares}")
    console.print(f"{len(result.rows):,} places, {result.runs:,} runs, seed {result.seed}, "
                  f"{seconds} s")  # fmt: skip


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@index_app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV, XLSX or JSON file."),
    format: str = typer.Option(None, "--format", help="csv, xlsx or json (default: guessed)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report; change nothing."),
    source: str = typer.Option(None, "--source", help="Source for rows that name none."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import external indicator values (place, indicator, value, year, source), all or nothing."""
    from amity.core.db import get_engine, session_scope
    from amity.core.rich_progress import rich_progress
    from amity.indices.importer import import_indicators

    console = Console()
    try:
        with session_scope(get_engine()) as session, rich_progress(enabled=not as_json) as bar:
            report = import_indicators(
                session, file, format=format, dry_run=dry_run, source=source, progress=bar
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
        console.print(
            f"{report.filename}: {report.rows_read} rows read, {report.imported} imported, "
            f"{report.duplicates} duplicates, {report.rejected} rejected"
            + (" (dry run: nothing written)" if report.dry_run else "")
        )
        for problem in report.problems:
            console.print(f"  line {problem['line']}: {problem['reason']}")
    if report.rejected:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    app.add_typer(index_app, name="index")

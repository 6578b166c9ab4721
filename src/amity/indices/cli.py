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
    level: str = typer.Option(
        None,
        "--level",
        help="city (default, municipalities included), subdivision1, subdivision2 or district.",
    ),  # fmt: skip
    country: str = typer.Option(None, "--country", help="Only this country's places (ISO2)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    runs: int = typer.Option(None, "--runs", help="Monte Carlo runs (default: the framework's)."),
    seed: int = typer.Option(None, "--seed", help="Random seed (default: the framework's)."),
    top: int = typer.Option(20, "--top", help="How many places to list."),
) -> None:
    """The city-diplomacy index of one level: ranks, data coverage, pillars, rank intervals."""
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
                session, framework=framework, level=level, runs=runs, seed=seed, progress=bar,
                wait=True,
            )  # fmt: skip
            report = service.framework_report(
                session, result.framework.name, level=result.level, wait=True
            ) | {"runs": result.runs, "seed": result.seed}  # fmt: skip
    except AmityError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from None
    seconds = round(time.perf_counter() - started, 2)
    country = country.upper() if country else None
    chosen = [r for r in result.rows if country in (None, r["country"])]
    unranked = [r for r in result.unranked if country in (None, r["country"])]
    rows = [service.public_row(r) for r in chosen[:top]]
    if as_json:
        report["indicators"] = [service.coverage_of(m) for m in report["indicators"]]
        typer.echo(json.dumps(report | {
            "country": country, "seconds_total": seconds, "top": rows,
            "unranked": [service.public_row(r) for r in unranked],
        }, ensure_ascii=False))  # fmt: skip
        return
    _print_table(console, result, rows, country)
    rules = service.coverage_rules(result)
    left_out = [m for m in result.indicators if not m["available"]]
    if left_out:
        console.print(
            f"Indicators left out (an indicator enters with records for at least "
            f"{rules['indicator_threshold']:.0%} of the {result.level} places):"
        )
        for m in left_out:
            why = "nothing recorded" if m["excluded"] == "no_data" else "too few places"
            console.print(f"  {m['pillar']}/{m['code']}: coverage {m['coverage']:.2%} "
                          f"({m['observed']:,} places; {why})")  # fmt: skip
    missing = [p["code"] for p in result.pillars if not p["available"]]
    if missing:
        console.print(f"Pillars without an indicator (left out): {', '.join(missing)}")
    console.print(
        f"Not ranked, too little data (records for under {rules['unit_threshold']:.0%} of the "
        f"{rules['indicators_entering']} entering indicators, or none in a pillar): "
        f"{len(unranked):,}"
        + "".join(f"\n  {r['name']} ({r['country']}): coverage {r['coverage']:.0%}"
                  for r in unranked[:top])
    )  # fmt: skip
    shares = ", ".join(f"{k} {v:.3f}" for k, v in result.sensitivity.items())
    console.print(f"Rank variance explained: {shares}")
    console.print(f"{len(result.rows):,} {result.level} places ranked, {result.runs:,} runs, "
                  f"seed {result.seed}, {seconds} s")  # fmt: skip


def _print_table(console: Console, result, rows: list[dict], country: str | None) -> None:
    """Rank (and rank in the country when one is chosen), coverage beside it, then the scores."""
    pillars = [p for p in result.pillars if p["available"]]
    entering = sum(m["available"] for m in result.indicators)
    ranks = ["rank", f"in {country}"] if country else ["rank"]
    title = f"{result.framework.title['en']} — {result.level}" + (f", {country}" if country else "")
    where = [] if country else ["country"]
    table = Table(*ranks, f"coverage (of {entering})", "place", *where, "score",
                  *[p["code"] for p in pillars], "median", "5–95 %", title=title)  # fmt: skip
    for row in rows:
        shown = [str(row["rank"]), str(row["country_rank"])] if country else [str(row["rank"])]
        table.add_row(
            *shown, f"{row['coverage']:.0%}", row["name"], *([] if country else [row["country"]]),
            _number(row["score"]), *[_number(row["pillars"][p["code"]]) for p in pillars],
            f"{row['median_rank']:g}", f"{row['rank_low']:g}–{row['rank_high']:g}",
        )  # fmt: skip
    console.print(table)


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

"""`amity stats`: the registry's totals, from the same service as the API's /stats."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table


def stats(
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    home: str = typer.Option(None, "--home", help="Home country (default: AMITY_HOME_COUNTRY)."),
) -> None:
    """Show how many partnerships, places and countries the registry holds."""
    # Imported here: `amity stats --help` need not load the database (see amity/cli.py).
    from amity.analytics.stats import home_statistics, stats_report
    from amity.core.db import get_engine, session_scope
    from amity.partnerships.service import registry_stats

    with session_scope(get_engine()) as session:
        if as_json:
            typer.echo(json.dumps(stats_report(session, home=home), ensure_ascii=False))
            return
        figures = registry_stats(session)
        home_figures = home_statistics(session, home=home)
    table = Table("figure", "value", title="Registry")
    for key, value in figures.items():
        if key == "china_partnerships_by_level":
            for level, count in value.items():
                table.add_row(f"china partnerships, {level.replace('_', ' ')}", f"{count:,}")
        elif key != "by_continent":
            table.add_row(key.replace("_", " "), f"{value:,}")
    continents = Table("continent", "partnerships", "places", title="By continent")
    for row in figures["by_continent"]:
        continents.add_row(row["label"], f"{row['partnerships']:,}", f"{row['places']:,}")
    console = Console()
    console.print(table)
    console.print(continents)
    if home_figures and home_figures.get("by_phase"):  # none on an empty database
        console.print(_phases(home_figures))


def _phases(home: dict) -> Table:
    """The home country's pairs by the seeds' three phases, beside the official totals."""
    years = home["by_year"]
    table = Table("phase", "years", "pairs signed", "registry total", "official total",
                  title=f"{home['country']} by phase ({years['dated']:,} pairs dated, "
                        f"{years['undated']:,} without a date)")  # fmt: skip
    for row in home["by_phase"]["rows"]:
        last = row["last"] or ""
        official = row["official_cumulative"]
        table.add_row(f"{row['phase']} {row['name_en']}", f"{row['first']}–{last}",
                      f"{row['pairs']:,}", f"{row['cumulative']:,}",
                      f"{official:,}" if official is not None else "—")  # fmt: skip
    return table


def register(app: typer.Typer) -> None:
    """Add `amity stats` to the root app."""
    app.command("stats")(stats)

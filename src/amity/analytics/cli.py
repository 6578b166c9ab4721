"""Analytics commands: `amity network` and `amity export` (statistics join `amity stats`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from amity.analytics import stats_cli
from amity.core.errors import AmityError

# The analyses and the database are imported inside the commands: a command's --help need not
# load them (see amity/cli.py).


def network(
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Network analysis of the registry: components, distances, degrees, centrality, communities."""
    from amity.analytics.report_store import current_report
    from amity.core.db import get_engine, session_scope

    with session_scope(get_engine()) as session:
        # The stored report when it is current: no graph library to load (about a second).
        report = current_report(session)
        if report is None:
            from amity.analytics import network as networks

            report = networks.network_report(session, wait=True)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    table = Table("measure", "value", title="Partnership network")
    distances = report["distances"]
    degree = report["degree"]
    fit = degree["power_law"] or {}
    rows = {
        "nodes": f"{report['nodes']:,}",
        "edges": f"{report['edges']:,}",
        "components": f"{report['components']['count']:,}",
        "largest component": f"{report['components']['largest_nodes']:,}",
        "diameter": f"{distances['diameter']} ({distances['diameter_method']})",
        "mean distance": f"{distances['mean_distance']} ({distances['mean_distance_method']})",
        "max / mean degree": f"{degree['max']} / {degree['mean']}",
        "power-law exponent": f"{fit.get('alpha')} (xmin {fit.get('xmin')})",
        "degree assortativity": str(report["assortativity"]),
        "transitivity": str(report["clustering"]["transitivity"]),
        "mean local clustering": str(report["clustering"]["mean_local"]),
        "triangles": f"{report['clustering']['triangles']:,}",
        "communities": f"{report['communities']['count']:,}"
        f" (modularity {report['communities']['modularity']})",
        "median pair length": f"{report['geography'].get('median_km')} km",
        "population homophily": str(report["homophily"]["log_population_correlation"]),
    }
    for measure, value in rows.items():
        table.add_row(measure, value)
    console = Console()
    console.print(table)
    top = ", ".join(row["name"] for row in report["centrality"]["degree"][:5])
    console.print(f"Most partners: {top}")


def export(
    format: str = typer.Option(..., "--format", help="csv, xlsx, geojson, graphml or gexf."),
    output: Path = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
    home: str = typer.Option(None, "--home", help="Home country for xlsx (AMITY_HOME_COUNTRY)."),
    encoding: str = typer.Option(
        "utf-8", "--encoding", help="csv: utf-8 (with a BOM, for Excel) or gb18030 (older Excel)."
    ),
    lang: str = typer.Option(
        None, "--lang", help="xlsx: en or zh (default: zh when LANG is Chinese, else en)."
    ),
    raw: bool = typer.Option(False, "--raw", help="xlsx: the coded columns, for programs."),
) -> None:
    """Export the network or the statistics tables."""
    import os

    locale = lang or ("zh" if os.environ.get("LANG", "").startswith("zh") else "en")
    if locale not in ("en", "zh"):
        message = f"--lang must be en or zh, not {lang}."
        Console(stderr=True).print(f"[red]Export failed:[/red] {message}")
        raise typer.Exit(2)
    from amity.analytics import export as exports
    from amity.core.db import get_engine, session_scope

    try:
        with session_scope(get_engine()) as session:
            result = exports.export(
                session, format, home=home, encoding=encoding, locale=locale, raw=raw
            )
    except AmityError as error:
        Console(stderr=True).print(f"[red]Export failed:[/red] {error.message}")
        raise typer.Exit(2) from None
    if output is None:
        sys.stdout.buffer.write(result.content)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(result.content)
    Console(stderr=True).print(f"Wrote {output} ({len(result.content):,} bytes).")


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    stats_cli.register(app)
    app.command("network")(network)
    app.command("export")(export)

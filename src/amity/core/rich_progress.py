"""Rich progress bars for the CLI, fed through the services' Progress callback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from amity.core.progress import Progress as ProgressCallback


@contextmanager
def rich_progress(*, enabled: bool = True) -> Iterator[ProgressCallback]:
    """Yield a Progress callback that draws one Rich bar per description, on standard error: what
    a command prints on standard output (a table, `--json`) stays clean for pipes."""
    if not enabled:
        yield lambda *_: None
        return
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
        console=Console(stderr=True),
    )
    tasks: dict[str, int] = {}

    def report(description: str, done: int, total: int | None) -> None:
        if description not in tasks:
            tasks[description] = bars.add_task(description, total=total)
        bars.update(tasks[description], completed=done, total=total)

    with bars:
        yield report

"""A tiny progress protocol so services report progress without knowing about Rich."""

from __future__ import annotations

from collections.abc import Callable

# progress(description, done, total): called as work advances; total may be None.
Progress = Callable[[str, int, int | None], None]


def silent(_description: str, _done: int, _total: int | None) -> None:
    """The default: report nothing."""

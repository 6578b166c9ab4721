"""Results cached per database until the next write to the partnerships table.

The registry version (one row that triggers change with every write to partnerships, places or
countries, `partnerships.version`) tells whether the registry changed, so the cache stays correct
across processes sharing one database: each asks the database, in one indexed read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from amity.partnerships.service import registry_version

T = TypeVar("T")

_entries: dict[tuple[str, str], tuple[tuple[Any, ...], Any]] = {}
_lock = threading.Lock()


def fingerprint(session: Session) -> tuple[Any, ...]:
    """A cheap token of the registry's state that changes with every write to it."""
    return ("version", registry_version(session))


def _database_key(session: Session) -> str:
    return session.get_bind().url.render_as_string(hide_password=True)


def cached(session: Session, name: str, compute: Callable[[], T]) -> T:
    """The value stored under name for the registry's current state, computed when missing or stale.

    Callers share the returned object: treat it as read-only.
    """
    key = (_database_key(session), name)
    current = fingerprint(session)
    entry = _entries.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    with _lock:
        _entries[key] = (current, value)
    return value


def clear() -> None:
    """Forget every cached result (tests; after a bulk reload)."""
    with _lock:
        _entries.clear()

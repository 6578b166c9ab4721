"""One cache for everything kept in memory between requests, each value valid for one version.

The caller names a key (usually `database_key(session)` and what the value is) and supplies a
version that changes whenever the data behind the value does: the registry version for what is
derived from the registry, a cheap stamp (count and latest update) for tables without one. A
value is returned while the caller's version is the one it was built for, and rebuilt otherwise.

Builds are single-flight: the app serves requests in a thread pool, and when a key is cold (after
a start or a write) many requests want it at once. One of them builds; the others wait for it
and get the same object, instead of each paying the build (seconds, and gigabytes, at 100× data).
Callers share the returned object: treat it as read-only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass
class _Flight:
    """A build under way: who builds, and an event set when it is over (built or failed)."""

    builder: int
    done: threading.Event = field(default_factory=threading.Event)


class VersionedCache:
    """Values by key, each kept with the version it was built for; builds are single-flight."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[Hashable, Any]] = {}
        self._flights: dict[Hashable, _Flight] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable, build: Callable[[], T]) -> T:
        """The value under key for this version, built (once, whoever asks) when missing or stale.

        While one thread builds a key, others asking for it wait and then look again: they get
        its value if their version is the one built, or build in turn (one at a time per key,
        so two states of a large index are never built side by side). A failed build stores
        nothing; a waiting thread then tries itself.
        """
        while True:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                return entry[1]
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and entry[0] == version:
                    return entry[1]
                flight = self._flights.get(key)
                if flight is None:
                    flight = self._flights[key] = _Flight(threading.get_ident())
                    leading = True
                else:
                    leading = False
            if not leading:
                if flight.builder == threading.get_ident():
                    raise RuntimeError(f"building {key!r} asked for {key!r} again")
                flight.done.wait()
                continue
            try:
                value = build()
                with self._lock:
                    self._entries[key] = (version, value)
                return value
            finally:
                with self._lock:
                    del self._flights[key]
                flight.done.set()

    def put(self, key: Hashable, version: Hashable, value: Any) -> None:
        """Keep a value built elsewhere (a background build) under key for this version."""
        with self._lock:
            self._entries[key] = (version, value)

    def peek(self, key: Hashable) -> Any | None:
        """The value under key whatever its version, or None; never builds."""
        entry = self._entries.get(key)
        return None if entry is None else entry[1]

    def forget(self, key: Hashable) -> None:
        """Drop one key (a write in this process: free the memory now, rebuild on next use)."""
        with self._lock:
            self._entries.pop(key, None)

    def forget_where(self, test: Callable[[Hashable], bool]) -> None:
        """Drop every key the test accepts."""
        with self._lock:
            for key in [k for k in self._entries if test(k)]:
                del self._entries[key]

    def clear(self) -> None:
        """Drop everything (tests; after a bulk reload)."""
        with self._lock:
            self._entries.clear()


# The process's cache: every domain keeps its in-memory state here.
CACHE = VersionedCache()


def cached(key: Hashable, version: Hashable, build: Callable[[], T]) -> T:
    """CACHE.get: the value under key for this version, built once when missing or stale."""
    return CACHE.get(key, version, build)


def forget(key: Hashable) -> None:
    CACHE.forget(key)


def clear() -> None:
    """Forget every cached value in this process."""
    CACHE.clear()


def database_key(session: Session) -> str:
    """The database a session reads, as a cache key (two engines on one database share values)."""
    return session.get_bind().engine.url.render_as_string(hide_password=False)

"""Heavy results that outlive the process, served while their next version is built.

A heavy result (the network report, the index, the recommender's state) takes seconds to build
and tens of seconds at 100× the demo. Three rules keep users from waiting for it:

1. **Kept in the database.** Each result is stored, encoded by its domain's codec, with the
   version of the data it describes (`warm_states`). A restarted server, a second worker or
   another host loads it instead of recomputing.
2. **Served stale, refreshed in the background.** After a write, the previous result is served
   at once, stamped with the version it describes (`Stamp.current` is False), while one thread
   builds the new one; the next request after it is done gets the new one.
3. **One build at a time**, in this process (one thread per key) and across processes (a lease
   on the stored row: a worker that cannot take it waits for the stored result instead).

Only the first build of all (nothing in memory, nothing stored) makes a request wait.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import DateTime, LargeBinary, String, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from amity.core import cache
from amity.core.db import Base, session_scope

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger("amity")

# A build that holds the lease longer than this is taken for dead (its process killed).
LEASE = dt.timedelta(minutes=10)
# How often a worker that lost the lease looks for the result another one is building.
POLL_SECONDS = 1.0


class WarmState(Base):
    """One heavy result, encoded, with the version of the data it describes."""

    __tablename__ = "warm_states"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    version: Mapped[str | None] = mapped_column(String(200))
    built_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Set while a process builds the next version (the lease), None otherwise.
    building_since: Mapped[dt.datetime | None] = mapped_column(DateTime)


@dataclass(frozen=True)
class Codec(Generic[T]):
    """How a domain turns its result into bytes for the database and back (no pickle: what is
    read back is data, never code)."""

    dump: Callable[[T], bytes]
    load: Callable[[bytes], T]


def json_codec() -> Codec[Any]:
    """For results that are JSON already (reports)."""
    return Codec(
        lambda value: json.dumps(value, separators=(",", ":")).encode("utf-8"),
        lambda data: json.loads(data.decode("utf-8")),
    )


@dataclass(frozen=True)
class Stamp:
    """What a served result describes: the data's version, when it was built, and whether the
    data has changed since (a newer result is then being built)."""

    version: str
    built_at: dt.datetime
    current: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "built_at": self.built_at.replace(microsecond=0).isoformat() + "Z",
            "current": self.current,
        }


class AsOf(BaseModel):
    """What a heavy result describes (the answer's `as_of`)."""

    version: str = Field(description="The registry state the result describes (an opaque tag).")
    built_at: str = Field(description="When it was computed (UTC, ISO 8601).")
    current: bool = Field(
        description="False when the registry has changed since: a newer result is being "
        "computed and will be answered once ready."
    )


@dataclass(frozen=True)
class Warm(Generic[T]):
    value: T
    stamp: Stamp


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    version: str
    built_at: dt.datetime


def now() -> dt.datetime:
    """UTC, naive (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


_now = now


def wait_a_moment() -> None:
    """Pause before looking again for what another process is building."""
    threading.Event().wait(POLL_SECONDS)


def version_text(version: Hashable) -> str:
    """Versions are stored as text (a number, or a tuple of them for results of several tables)."""
    return json.dumps(version) if isinstance(version, tuple | list) else str(version)


class _Refreshes:
    """The background builds under way in this process, one per key."""

    def __init__(self) -> None:
        self._threads: dict[Hashable, threading.Thread] = {}
        self._lock = threading.Lock()

    def start(self, key: Hashable, work: Callable[[], None]) -> None:
        with self._lock:
            if key in self._threads:
                return
            thread = threading.Thread(
                target=self._run, args=(key, work), daemon=True, name=f"amity-refresh {key!r}"
            )
            self._threads[key] = thread
        thread.start()

    def _run(self, key: Hashable, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:  # the stale result stays served; the next request tries again
            log.exception("refreshing %r failed", key)
        finally:
            with self._lock:
                self._threads.pop(key, None)

    def settle(self, timeout: float = 600.0) -> None:
        """Wait for every background build under way (tests, `amity` commands that exit)."""
        deadline = _now() + dt.timedelta(seconds=timeout)
        while True:
            with self._lock:
                threads = list(self._threads.values())
            if not threads:
                return
            for thread in threads:
                thread.join(max(0.0, (deadline - _now()).total_seconds()))
            if _now() >= deadline:
                return


REFRESHES = _Refreshes()


def settle(timeout: float = 600.0) -> None:
    """Wait until the background builds under way are done."""
    REFRESHES.settle(timeout)


def ready(
    session: Session,
    name: str,
    version: Hashable,
    build: Callable[[Session], T],
    codec: Codec[T] | None,
    *,
    version_of: Callable[[Session], Hashable],
    start: bool = True,
) -> Warm[T] | None:
    """Like `latest`, but never builds in the caller's request: when there is nothing to serve
    yet, None is answered and (with `start`) the first build starts in the background (for
    advice a request can go without, such as a proposal's recommender score, rather than hold
    its transaction open for the minute a first build may take)."""
    key = (cache.database_key(session), f"warm:{name}")
    if _kept(session, key, name, codec) is None:
        if not start:
            return None
        engine = session.get_bind().engine
        REFRESHES.start(key, lambda: _refresh(engine, key, name, build, codec, version_of))
        return None
    return latest(session, name, version, build, codec, version_of=version_of)


def _kept(
    session: Session, key: Hashable, name: str, codec: Codec[T] | None
) -> _Entry[T] | None:
    """The entry in this process's memory, else the stored one (read once, whoever asks)."""
    entry = cache.CACHE.peek(key)
    if entry is None:
        entry = cache.CACHE.get(key, "loaded", lambda: _load(session, name, codec))
        if entry is None:
            cache.CACHE.forget(key)
    return entry


def latest(
    session: Session,
    name: str,
    version: Hashable,
    build: Callable[[Session], T],
    codec: Codec[T] | None,
    *,
    version_of: Callable[[Session], Hashable],
    background: bool = True,
) -> Warm[T]:
    """The result `name` for the data at `version`, or the latest one built before it.

    Without a codec the result is kept in this process's memory only (its build is cheap enough
    to redo after a restart, or holds what cannot be stored), but still served stale meanwhile.

    `build(session)` computes it (in a background thread with a session of its own, so it must
    read everything through that session); `version_of(session)` tells the data's version then.
    With `background=False` a stale result is rebuilt before answering (commands that exit).
    """
    want = version_text(version)
    key = (cache.database_key(session), f"warm:{name}")
    entry = _kept(session, key, name, codec)
    if entry is not None and entry.version == want:
        return Warm(entry.value, Stamp(entry.version, entry.built_at, True))
    engine = session.get_bind().engine
    if entry is None or not background:
        # Nothing to serve meanwhile (or the caller waits): build now, one thread at a time.
        with _lock_for(key):
            entry = cache.CACHE.peek(key)
            if entry is None or entry.version != want:
                entry = _build_now(session, key, name, build, codec, want)
        return Warm(entry.value, Stamp(entry.version, entry.built_at, entry.version == want))
    REFRESHES.start(key, lambda: _refresh(engine, key, name, build, codec, version_of))
    return Warm(entry.value, Stamp(entry.version, entry.built_at, False))


_locks: dict[Hashable, threading.Lock] = {}
_locks_lock = threading.Lock()


def _lock_for(key: Hashable) -> threading.Lock:
    with _locks_lock:
        return _locks.setdefault(key, threading.Lock())


def _load(session: Session, name: str, codec: Codec[T] | None) -> _Entry[T] | None:
    """The stored result, if any and readable (one written by another version of Amity that
    cannot be read is rebuilt, not an error)."""
    if codec is None:
        return None
    try:
        row = session.get(WarmState, name)
    except SQLAlchemyError:
        log.exception("reading the stored %s failed", name)
        return None
    if row is None or row.payload is None or row.version is None or row.built_at is None:
        return None
    try:
        return _Entry(codec.load(row.payload), row.version, row.built_at)
    except Exception:
        log.warning("the stored %s could not be read; it will be rebuilt", name, exc_info=True)
        return None


def exclusive(
    session: Session, name: str, ready: Callable[[], R | None], make: Callable[[], R]
) -> R:
    """make() under the lease of `name`; while another process holds it, wait until ready()
    finds what that process stores. On SQLite the caller's transaction may hold the database's
    one write lock, which a lease taken on a second connection would wait for in vain: there
    make() runs at once (one host: at worst two workers at their first start build the same)."""
    engine = session.get_bind().engine
    if engine.dialect.name == "sqlite":
        return make()
    while True:
        found = ready()
        if found is not None:
            return found
        if take_lease(engine, name):
            break
        wait_a_moment()
    try:
        return make()  # which stores with the caller's transaction, the lease given up with it
    except BaseException:
        release(engine, name)
        raise


def _build_now(
    session: Session,
    key: Hashable,
    name: str,
    build: Callable[[Session], T],
    codec: Codec[T] | None,
    want: str,
) -> _Entry[T]:
    """Build the result in the caller's session (its transaction sees its own writes), keep it
    in memory, and in the database with the caller's transaction."""
    if codec is None:
        return _keep(key, _Entry(build(session), want, _now()))
    engine = session.get_bind().engine

    def ready() -> _Entry[T] | None:
        with session_scope(engine) as other:
            found = _load(other, name, codec)
        return found if found is not None and found.version == want else None

    def make() -> _Entry[T]:
        entry = _Entry(build(session), want, _now())
        store(session, name, want, codec.dump(entry.value), built_at=entry.built_at)
        return entry

    return _keep(key, exclusive(session, name, ready, make))


def _refresh(
    engine: Engine,
    key: Hashable,
    name: str,
    build: Callable[[Session], T],
    codec: Codec[T] | None,
    version_of: Callable[[Session], Hashable],
) -> _Entry[T]:
    """Build (or take from another process) the result for the data's version now, in a
    thread of its own; keep it in memory and in the database. A request that must wait for a
    build meanwhile waits for this one (the same lock), rather than build it again."""
    with _lock_for(key):
        with session_scope(engine) as session:
            want = version_text(version_of(session))
        entry = cache.CACHE.peek(key)
        if entry is not None and entry.version == want:
            return entry
        return _refresh_locked(engine, key, name, build, codec, version_of)


def _refresh_locked(
    engine: Engine,
    key: Hashable,
    name: str,
    build: Callable[[Session], T],
    codec: Codec[T] | None,
    version_of: Callable[[Session], Hashable],
) -> _Entry[T]:
    if codec is None:
        with session_scope(engine) as session:
            want = version_text(version_of(session))
            return _keep(key, _Entry(build(session), want, _now()))
    while True:
        with session_scope(engine) as session:
            want = version_text(version_of(session))
            entry = _load(session, name, codec)
            if entry is not None and entry.version == want:
                return _keep(key, entry)
            if _take_lease(session, name):
                break
        # Another process is building it: wait for its result rather than build it twice.
        wait_a_moment()
    try:
        with session_scope(engine) as session:
            want = version_text(version_of(session))
            value = build(session)
        entry = _Entry(value, want, _now())
        _keep(key, entry)
        with session_scope(engine) as session:
            session.execute(
                update(WarmState)
                .where(WarmState.name == name)
                .values(
                    version=want,
                    built_at=entry.built_at,
                    payload=codec.dump(value),
                    building_since=None,
                )  # fmt: skip
            )
        return entry
    except BaseException:
        release(engine, name)
        raise


def _keep(key: Hashable, entry: _Entry[T]) -> _Entry[T]:
    cache.CACHE.put(key, "loaded", entry)
    return entry


def _take_lease(session: Session, name: str) -> bool:
    """Take the right to build `name` (the row is made if missing); False if another process
    holds it and is alive by the lease."""
    now = _now()
    if session.get(WarmState, name) is None:
        session.add(WarmState(name=name, building_since=now))
        try:
            session.flush()
            return True
        except SQLAlchemyError:  # another process made it first: take the lease the usual way
            session.rollback()
    taken = session.execute(
        update(WarmState)
        .where(WarmState.name == name)
        .where(or_(WarmState.building_since.is_(None), WarmState.building_since < now - LEASE))
        .values(building_since=now)
    )
    return taken.rowcount == 1


def stored(session: Session, name: str) -> WarmState | None:
    """The stored row of a result (its payload, version and time), if any."""
    row = session.get(WarmState, name)
    return row if row is not None and row.payload is not None else None


def store(
    session: Session,
    name: str,
    version: Hashable,
    payload: bytes,
    *,
    built_at: dt.datetime | None = None,
) -> dt.datetime:
    """Keep a result in the database (with the caller's transaction) and release the lease."""
    built_at = built_at or _now()
    row = session.get(WarmState, name) or WarmState(name=name)
    row.version, row.built_at, row.payload, row.building_since = (
        version_text(version), built_at, payload, None,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return built_at


def release(engine: Engine, name: str) -> None:
    """Give the lease up without storing (a build that failed)."""
    with session_scope(engine) as session:
        session.execute(update(WarmState).where(WarmState.name == name).values(building_since=None))


def take_lease(engine: Engine, name: str) -> bool:
    """Take the right to build `name` in its own transaction; False if another process has it."""
    with session_scope(engine) as session:
        return _take_lease(session, name)


def keep(session: Session, name: str, version: Hashable, value: T) -> None:
    """Serve `value` as the result `name` for this version from now on, in this process (a
    background job that built it outside `latest`)."""
    key = (cache.database_key(session), f"warm:{name}")
    _keep(key, _Entry(value, version_text(version), _now()))


def forget(session: Session, name: str | None = None) -> None:
    """Drop stored results (all, or one by name) and this process's copies: they are rebuilt on
    next use (`amity init` after a reload; tests)."""
    query = session.query(WarmState)
    if name is not None:
        query = query.filter(WarmState.name == name)
    query.delete()
    prefix = "warm:" if name is None else f"warm:{name}"
    cache.CACHE.forget_where(lambda k: isinstance(k, tuple) and len(k) == 2
                             and isinstance(k[1], str) and k[1].startswith(prefix))  # fmt: skip

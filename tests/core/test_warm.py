"""Heavy results kept in the database and served while their next version is built
(amity.core.warm), on both engines: a restart loads instead of building, a write serves the
previous result stamped as such, one build at a time in a process and across processes."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import update

from amity.core import cache, warm
from amity.core.db import session_scope

VERSION = {"now": 1}


def version_of(_session) -> int:
    return VERSION["now"]


class Builder:
    """Counts its builds; each build's value says which version it saw."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.builds = 0
        self.seconds = seconds
        self.lock = threading.Lock()

    def __call__(self, _session) -> dict:
        with self.lock:
            self.builds += 1
        time.sleep(self.seconds)
        return {"built_for": VERSION["now"]}


def latest(engine, build, *, codec=warm.json_codec(), background=True) -> warm.Warm:
    with session_scope(engine) as session:
        return warm.latest(session, "test:report", version_of(session), build, codec,
                           version_of=version_of, background=background)  # fmt: skip


@pytest.fixture(autouse=True)
def fresh():
    VERSION["now"] = 1
    cache.clear()
    yield
    warm.settle()
    cache.clear()


def test_built_once_then_kept_and_loaded_after_a_restart(engine):
    build = Builder()
    first = latest(engine, build)
    assert first.value == {"built_for": 1} and first.stamp.current
    assert latest(engine, build).value is first.value  # kept in memory
    cache.clear()  # a restart, or another worker
    again = latest(engine, build)
    assert again.value == {"built_for": 1} and again.stamp.current
    assert build.builds == 1  # loaded from the database, not built
    assert again.stamp.built_at == first.stamp.built_at


def test_after_a_write_the_previous_result_is_served_then_the_new_one(engine):
    build = Builder(seconds=0.3)
    latest(engine, build)
    VERSION["now"] = 2
    stale = latest(engine, build)
    assert stale.value == {"built_for": 1}
    assert not stale.stamp.current and stale.stamp.version == "1"
    warm.settle()
    fresh = latest(engine, build)
    assert fresh.value == {"built_for": 2} and fresh.stamp.current
    assert build.builds == 2
    cache.clear()  # the new result was stored too
    assert latest(engine, build).value == {"built_for": 2} and build.builds == 2


def test_a_stale_result_after_a_restart_is_served_while_rebuilt(engine):
    build = Builder()
    latest(engine, build)
    cache.clear()
    VERSION["now"] = 3
    served = latest(engine, build)
    assert served.value == {"built_for": 1} and not served.stamp.current
    warm.settle()
    assert latest(engine, build).value == {"built_for": 3}


def test_waiting_callers_get_the_current_result(engine):
    build = Builder()
    latest(engine, build)
    VERSION["now"] = 2
    waited = latest(engine, build, background=False)
    assert waited.value == {"built_for": 2} and waited.stamp.current


def test_concurrent_cold_requests_build_once(engine):
    build = Builder(seconds=0.5)
    results = []
    threads = [threading.Thread(target=lambda: results.append(latest(engine, build)))
               for _ in range(6)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert build.builds == 1
    assert len({id(r.value) for r in results}) == 1


def test_many_stale_requests_start_one_background_build(engine):
    build = Builder(seconds=0.5)
    latest(engine, build)
    VERSION["now"] = 2
    for _ in range(20):
        assert latest(engine, build).value == {"built_for": 1}
    warm.settle()
    assert build.builds == 2


def test_another_process_holding_the_lease_is_waited_for(engine):
    """A worker that finds another one building waits for its stored result, not build too
    (PostgreSQL; on SQLite a request's own transaction may hold the only write lock, so a cold
    build goes ahead, and only background builds take the lease)."""
    build = Builder()
    with session_scope(engine) as session:
        session.add(warm.WarmState(name="test:report", building_since=warm.now()))

    def other_process_stores() -> None:
        time.sleep(1.5)
        with session_scope(engine) as session:
            warm.store(session, "test:report", 1, b'{"built_for": "other"}')

    other = threading.Thread(target=other_process_stores)
    other.start()
    got = latest(engine, build)
    other.join()
    if engine.dialect.name == "sqlite":
        assert got.value == {"built_for": 1} and build.builds == 1
    else:
        assert got.value == {"built_for": "other"} and build.builds == 0


def test_a_background_build_waits_for_another_processes(engine):
    build = Builder()
    latest(engine, build)
    VERSION["now"] = 2
    with session_scope(engine) as session:  # another worker is building version 2
        session.execute(update(warm.WarmState).values(building_since=warm.now()))
    assert latest(engine, build).value == {"built_for": 1}  # stale meanwhile
    time.sleep(1.5)
    with session_scope(engine) as session:
        warm.store(session, "test:report", 2, b'{"built_for": "other"}')
    warm.settle()
    assert latest(engine, build).value == {"built_for": "other"} and build.builds == 1


def test_a_dead_builders_lease_runs_out(engine):
    build = Builder()
    with session_scope(engine) as session:
        long_ago = warm.now() - warm.LEASE - dt.timedelta(seconds=1)
        session.add(warm.WarmState(name="test:report", building_since=long_ago))
    assert latest(engine, build).value == {"built_for": 1} and build.builds == 1


def test_an_unreadable_stored_result_is_rebuilt(engine):
    build = Builder()
    latest(engine, build)
    with session_scope(engine) as session:
        session.execute(update(warm.WarmState).values(payload=b"\x00 not json"))
    cache.clear()
    assert latest(engine, build).value == {"built_for": 1} and build.builds == 2


def test_a_failed_build_stores_nothing_and_releases_the_lease(engine):
    def broken(_session):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        latest(engine, broken)
    with session_scope(engine) as session:
        row = session.get(warm.WarmState, "test:report")
        assert row is None or (row.payload is None and row.building_since is None)
    assert latest(engine, Builder()).value == {"built_for": 1}


def test_without_a_codec_nothing_is_stored(engine):
    build = Builder()
    latest(engine, build, codec=None)
    cache.clear()
    latest(engine, build, codec=None)
    assert build.builds == 2
    with session_scope(engine) as session:
        assert session.get(warm.WarmState, "test:report") is None

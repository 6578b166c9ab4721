"""The one cache: a value per key and version, rebuilt when the version changes, and built once
when many threads ask for a cold key at the same time (single flight)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from amity.core.cache import VersionedCache

THREADS = 16


def test_concurrent_cold_requests_wait_for_one_build():
    cache = VersionedCache()
    builds = []
    started = threading.Barrier(THREADS)

    def build() -> object:
        builds.append(threading.get_ident())
        time.sleep(0.3)  # slow enough that every thread arrives while it runs
        return object()

    def ask(_n: int) -> object:
        started.wait()  # all threads ask at once, on a cold key
        return cache.get("registry", 1, build)

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(ask, range(THREADS)))
    assert len(builds) == 1
    assert all(answer is answers[0] for answer in answers)


def test_a_new_version_rebuilds_and_the_same_version_does_not():
    cache = VersionedCache()
    built = []

    def build(label: str):
        def run() -> str:
            built.append(label)
            return label

        return run

    assert cache.get("k", 1, build("first")) == "first"
    assert cache.get("k", 1, build("again")) == "first"
    assert cache.get("k", 2, build("second")) == "second"
    assert cache.get("k", 2, build("again")) == "second"
    assert built == ["first", "second"]
    cache.forget("k")
    assert cache.get("k", 2, build("after forget")) == "after forget"


def test_keys_are_apart():
    cache = VersionedCache()
    assert cache.get(("db1", "x"), 1, lambda: "one") == "one"
    assert cache.get(("db2", "x"), 1, lambda: "two") == "two"
    assert cache.get(("db1", "x"), 1, lambda: "other") == "one"


def test_a_failed_build_stores_nothing_and_a_waiting_thread_builds_itself():
    cache = VersionedCache()
    first_running = threading.Event()
    calls = []

    def failing() -> str:
        calls.append("failing")
        first_running.set()
        time.sleep(0.2)
        raise RuntimeError("database gone")

    def working() -> str:
        calls.append("working")
        return "built"

    with ThreadPoolExecutor(2) as pool:
        failed = pool.submit(cache.get, "k", 1, failing)
        first_running.wait()
        waiting = pool.submit(cache.get, "k", 1, working)
        with pytest.raises(RuntimeError, match="database gone"):
            failed.result()
        assert waiting.result() == "built"
    assert calls == ["failing", "working"]
    assert cache.get("k", 1, lambda: "not again") == "built"


def test_a_build_asking_for_its_own_key_is_an_error_not_a_deadlock():
    cache = VersionedCache()
    with pytest.raises(RuntimeError, match="asked for"):
        cache.get("k", 1, lambda: cache.get("k", 1, lambda: "inner"))
    assert cache.get("k", 1, lambda: "later") == "later"

"""kill -9 during imports and API writes, twice each, on both engines (bench/bench_kill.py runs
it twenty times in `make bench`): the database stays intact, each import is all or nothing,
and every write the API acknowledged survives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _kill_bench(engine: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_kill", "--kills", "2", "--engine", engine,
         "--towns", "600"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)[0]


@pytest.mark.parametrize("engine", [
    pytest.param("sqlite", marks=pytest.mark.xdist_group("kill_sqlite")),
    pytest.param("postgresql", marks=pytest.mark.xdist_group("kill_postgresql")),
])
def test_kill_9_leaves_the_database_consistent(engine) -> None:
    if engine == "postgresql" and not os.environ.get("AMITY_TEST_POSTGRES_URL"):
        pytest.skip("no PostgreSQL server (run `make test` to start a throwaway one)")
    report = _kill_bench(engine)
    for kind in ("import", "api_writes"):
        # On a busy machine a round may finish before its kill lands; what matters is that each
        # kill that did land left the database consistent.
        assert report[kind]["kills"] >= 1, report
        assert report[kind]["problems"] == [], report
    assert report["api_writes"]["acknowledged_writes"] > 0, report

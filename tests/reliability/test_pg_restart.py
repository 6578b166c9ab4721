"""The PostgreSQL server restarted under load (a private throwaway server, not the shared one):
the app answers again without being restarted, and meanwhile only the standard 503 shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError

from amity.http.app import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.xdist_group("pg_restart")
def test_app_recovers_after_postgres_restarts_under_load() -> None:
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("PostgreSQL server binaries not installed")
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_pg_restart", "--workers", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout)
    assert report["requests_before"] > 0, report
    assert report["recovery_s"] is not None and report["recovery_s"] < 30, report
    assert report["requests_after_recovery"] > 0, report
    assert report["server_errors"] == 0, report
    # During the outage a request gets the standard 503, or (on a loaded machine) loses its
    # connection; never a 500 or a trace.
    answers = set(report["failure_answers"])
    assert {a for a in answers if not a.startswith("None ")} <= {"503 database_unavailable"}, report


def _failing_app(engine, error: Exception):
    app = create_app(engine)

    def boom() -> None:
        raise error

    app.add_api_route("/api/v1/boom", boom)
    return TestClient(app, raise_server_exceptions=False)


def test_lost_database_answers_503_in_the_error_shape(sqlite_engine) -> None:
    lost = OperationalError("SELECT 1", {}, Exception("connection refused"))
    with _failing_app(sqlite_engine, lost) as client:
        response = client.get("/api/v1/boom")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["error"]["code"] == "database_unavailable"
    # Other driver errors are not "unavailable": they stay the generic 500.
    clash = IntegrityError("INSERT", {}, Exception("unique"))
    with _failing_app(sqlite_engine, clash) as client:
        response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"

"""Several hosts on one PostgreSQL: `amity init` started on two at once (one schema, one
gazetteer), then two `amity serve` with data directories of their own; a write through one is
read through the other, in its list and its facet counts."""

from __future__ import annotations

import json
import os
import subprocess

import httpx
import pytest
from sqlalchemy import text
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.support.live import AMITY

from amity.auth.service import create_token
from amity.core.db import make_engine, session_scope

from .conftest import launch

pytestmark = pytest.mark.postgres


@pytest.fixture
def fresh_postgres():
    url = create_postgres_database()  # empty: no schema yet
    yield url
    drop_postgres_database(url)


def _france(listing: dict) -> int:
    return {row["value"]: row["count"] for row in listing["facets"]["country"]}.get("FR", 0)


def test_two_hosts_start_at_once_and_see_each_others_writes(fresh_postgres, tmp_path):
    env = {**os.environ, "AMITY_DATABASE_URL": fresh_postgres}
    inits = [subprocess.Popen([str(AMITY), "init", "--json"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    results = [process.communicate(timeout=600) for process in inits]
    for process, (_out, err) in zip(inits, results, strict=True):
        assert process.returncode == 0, err[-3000:]
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in results]
    # One loaded the gazetteer; the other waited for the lock and found it there.
    assert sorted(r["gazetteer_loaded"] for r in reports) == [False, True]
    assert reports[0]["places"] == reports[1]["places"] > 30_000

    engine = make_engine(fresh_postgres)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        doubled = connection.execute(text(
            "SELECT count(*) FROM (SELECT iso2 FROM countries GROUP BY iso2 HAVING count(*) > 1)"
            " AS d")).scalar()  # fmt: skip
        nanjing, paris = (
            connection.execute(text(
                "SELECT id FROM places WHERE country_code = :cc AND kind = 'city' "
                "ORDER BY id LIMIT 1"), {"cc": cc}).scalar()  # fmt: skip
            for cc in ("CN", "FR")
        )
    assert doubled == 0
    with session_scope(engine) as session:
        token = create_token(session, "two hosts")
    engine.dispose()

    hosts = [{"AMITY_STATE_DIR": str(tmp_path / f"state-{name}")} for name in ("a", "b")]
    with (
        launch(fresh_postgres, tmp_path / "a.log", env=hosts[0]) as a,
        launch(fresh_postgres, tmp_path / "b.log", env=hosts[1]) as b,
    ):
        before = httpx.get(b.base + "/api/v1/partnerships").json()
        assert before["total"] == 0 and _france(before) == 0
        made = httpx.post(
            a.base + "/api/v1/partnerships",
            json={"place_a_id": nanjing, "place_b_id": paris, "established": "1994",
                  "evidence_document": "Agreement 94/3", "evidence_source": "City archive"},
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        assert made.status_code == 201, made.text
        after = httpx.get(b.base + "/api/v1/partnerships").json()
        shown = httpx.get(b.base + f"/api/v1/partnerships/{made.json()['id']}")
    assert after["total"] == 1 and _france(after) == 1
    assert [item["id"] for item in after["items"]] == [made.json()["id"]]
    assert shown.status_code == 200

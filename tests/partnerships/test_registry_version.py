"""The registry version: every write to partnerships, places or countries changes it, by trigger,
whoever writes (this process through the ORM, another with plain SQL), and the in-memory facet
table and the cached analytics follow it."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from amity.core.db import session_scope
from amity.partnerships.facet_table import registry_table
from amity.partnerships.schemas import PartnershipQuery
from amity.partnerships.service import list_partnerships
from amity.partnerships.version import registry_cached, registry_version


def version(engine) -> int:
    with session_scope(engine) as session:
        return registry_version(session)


def raw(engine, statement: str, **params) -> None:
    """A write that bypasses the ORM and its session events, as another program's would."""
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def test_each_kind_of_write_changes_the_version(engine, small_registry):
    seen = {version(engine)}
    pair = small_registry["pairs"][0]
    raw(engine, "UPDATE partnerships SET status = 'dormant' WHERE id = :id", id=pair)
    seen.add(version(engine))
    raw(engine, "UPDATE places SET name = 'Renamed' WHERE id = (SELECT min(id) FROM places)")
    seen.add(version(engine))
    raw(engine, "UPDATE countries SET name_en = 'Renamed' WHERE iso2 = 'FR'")
    seen.add(version(engine))
    raw(engine, "DELETE FROM partnerships WHERE id = :id", id=pair)
    seen.add(version(engine))
    assert len(seen) == 5  # a new number after every statement
    raw(engine, "UPDATE exchanges SET title = title")
    assert version(engine) in seen  # other tables leave it alone


def test_a_write_outside_the_orm_is_seen_by_the_next_list(engine, small_registry):
    with session_scope(engine) as session:
        before = list_partnerships(session, PartnershipQuery(country=["FR"]))
        registry_cached(session, "probe", lambda: "old")
    pair = next(item["id"] for item in before["items"])
    raw(engine, "DELETE FROM partnerships WHERE id = :id", id=pair)
    with session_scope(engine) as session:
        after = list_partnerships(session, PartnershipQuery(country=["FR"]))
        assert registry_cached(session, "probe", lambda: "new") == "new"
    assert after["total"] == before["total"] - 1
    assert pair not in {item["id"] for item in after["items"]}
    country = {row["value"]: row["count"] for row in after["facets"]["country"]}
    assert country["FR"] == before["total"] - 1


def test_counts_of_a_selection_are_remembered_per_registry_state(engine, small_registry):
    with session_scope(engine) as session:
        first = list_partnerships(session, PartnershipQuery(country=["JP"], page=1, per_page=1))
        again = list_partnerships(session, PartnershipQuery(country=["JP"], page=2, per_page=1))
    assert again["facets"] is first["facets"]  # counted once for both pages
    assert again["items"] != first["items"]


def test_requests_on_a_cold_registry_wait_for_one_build(engine, small_registry):
    """As the app's thread pool does: several requests, each with its own session, ask at once
    for what is not built yet; one builds it, the others get that same object."""
    builds = []
    ready = threading.Barrier(6)

    def build() -> object:
        builds.append(1)
        time.sleep(0.3)
        return object()

    def request(_n: int) -> tuple[object, object]:
        with session_scope(engine) as session:
            ready.wait()
            return registry_cached(session, "slow probe", build), registry_table(session)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(request, range(6)))
    assert len(builds) == 1
    assert len({id(probe) for probe, _table in answers}) == 1
    assert len({id(table) for _probe, table in answers}) == 1
    raw(engine, "UPDATE partnerships SET status = 'dormant' WHERE id = :id",
        id=small_registry["pairs"][0])
    with session_scope(engine) as session:
        assert registry_cached(session, "slow probe", build) is not answers[0][0]
        assert registry_table(session) is not answers[0][1]
    assert len(builds) == 2

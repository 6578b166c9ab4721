"""The network report and ego networks on the fixture registry; the cache and its invalidation."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from amity.analytics import network
from amity.core import cache, warm
from amity.core.db import session_scope
from amity.core.errors import InvalidInput, NotFound
from amity.partnerships.models import Partnership
from amity.partnerships.version import registry_version
from amity.places.models import Place


def test_report_on_the_fixture(registry):
    with session_scope(registry) as session:
        report = network.network_report(session)
    assert (report["nodes"], report["edges"]) == (17, 15)
    # {10,11,14,20,21,22,23,33,34}, {12,24,26,32}, {13,25}, {30,31}.
    assert report["components"]["count"] == 4
    assert report["components"]["sizes"] == [9, 4, 2, 2]
    assert report["components"]["largest_edges"] == 10
    assert report["degree"]["max"] == 4
    assert report["centrality"]["degree"][0]["id"] == 10
    # Nanjing–Hong Kong–Tokyo and Nanjing–Tokyo–New York.
    assert report["clustering"]["triangles"] == 2
    countries = report["countries"]
    assert countries["domestic_pairs"] == 1  # Nanjing–Suzhou
    assert countries["top_pairs"][0] == {
        "a": "CN", "a_name": "China", "b": "JP", "b_name": "Japan", "pairs": 2,
    }  # fmt: skip
    geography = report["geography"]
    assert geography["pairs_with_coordinates"] == 15
    # Nanjing–Suzhou (~190 km) and Munich–Bologna (~400 km) are the pairs under 500 km.
    assert geography["share_under_500km"] == pytest.approx(2 / 15, abs=1e-6)
    assert geography["quartiles_km"][0] <= geography["median_km"] <= geography["quartiles_km"][1]
    assert report["homophily"]["pairs_with_population"] == 14  # Rio has no population


def test_after_a_write_the_previous_report_until_the_new_one_is_built(registry):
    with session_scope(registry) as session:
        first = network.network_report(session)
        assert network.network_report(session) == first and first["as_of"]["current"]
    with session_scope(registry) as session:
        session.add(Partnership(place_a_id=30, place_b_id=34, source="test"))
    with session_scope(registry) as session:
        served = network.network_report(session)
    # Answered at once from the state before the write, and said to be so.
    assert served["edges"] == first["edges"] and not served["as_of"]["current"]
    assert served["as_of"]["version"] == first["as_of"]["version"]
    warm.settle()
    with session_scope(registry) as session:
        second = network.network_report(session)
    assert second["as_of"]["current"] and second["as_of"]["version"] != first["as_of"]["version"]
    assert second["edges"] == first["edges"] + 1
    assert second["components"]["count"] == 3  # Berlin and Paris join the largest


def test_a_command_waits_for_the_current_report(registry):
    with session_scope(registry) as session:
        first = network.network_report(session)
        session.add(Partnership(place_a_id=30, place_b_id=34, source="test"))
    with session_scope(registry) as session:
        current = network.network_report(session, wait=True)
    assert current["as_of"]["current"] and current["edges"] == first["edges"] + 1


def test_a_restart_loads_the_stored_report(registry, monkeypatch):
    with session_scope(registry) as session:
        first = network.network_report(session)
    cache.clear()
    monkeypatch.setattr(network, "_report", lambda net: pytest.fail("computed again"))
    with session_scope(registry) as session:
        assert network.network_report(session) == first


def _strip(report: dict) -> dict:
    """The report without what differs between two computations of one state: when and how
    long, and the power-law fit's p-value (igraph's bootstrap draws from its own generator)."""
    kept = {k: v for k, v in report.items() if k not in ("as_of", "timings")}
    fit = dict(kept["degree"]["power_law"] or {})
    fit.pop("p_value", None)
    return kept | {"degree": kept["degree"] | {"power_law": fit}}


@pytest.mark.parametrize("seed", [3, 4])
def test_after_random_writes_the_report_is_a_full_rebuilds(registry_on_both, seed):
    """Served stale, then refreshed in the background: once settled, the report equals the one
    a fresh process computes from the database, write after write, on both engines."""
    rng = random.Random(seed)
    with session_scope(registry_on_both) as session:
        network.network_report(session)
    for _ in range(5):
        with session_scope(registry_on_both) as session:
            ids = sorted(session.scalars(select(Place.id)))
            pairs = list(session.scalars(select(Partnership)))
            taken = {(p.place_a_id, p.place_b_id) for p in pairs}
            if rng.random() < 0.6:
                a, b = sorted(rng.sample(ids, 2))
                while (a, b) in taken:
                    a, b = sorted(rng.sample(ids, 2))
                session.add(Partnership(place_a_id=a, place_b_id=b, source="test"))
            else:
                session.delete(rng.choice(pairs))
        with session_scope(registry_on_both) as session:
            assert not network.network_report(session)["as_of"]["current"]
        warm.settle()
        with session_scope(registry_on_both) as session:
            refreshed = network.network_report(session)
        assert refreshed["as_of"]["current"]
        cache.clear()
        with session_scope(registry_on_both) as session:
            warm.forget(session)  # nothing stored either: computed from the database alone
        with session_scope(registry_on_both) as session:
            rebuilt = network.network_report(session)
        assert _strip(refreshed) == _strip(rebuilt)


def test_cache_sees_a_delete_and_reinsert(registry):
    with session_scope(registry) as session:
        before = registry_version(session)
        pair = session.query(Partnership).filter_by(place_a_id=33, place_b_id=34).one()
        session.delete(pair)
        session.flush()
        session.add(Partnership(place_a_id=31, place_b_id=34, source="test"))
        session.flush()
        assert registry_version(session) != before


def test_ego_network(registry):
    with session_scope(registry) as session:
        ego = network.ego_network(session, 10)
        wider = network.ego_network(session, 10, radius=2)
    assert ego["center"]["id"] == 10 and ego["center"]["hops"] == 0
    assert {n["id"] for n in ego["nodes"]} == {10, 11, 14, 20, 22}
    # Edges among the ego's nodes: its own four, Hong Kong–Tokyo and Tokyo–New York.
    assert len(ego["edges"]) == 6
    assert {n["id"] for n in wider["nodes"]} >= {21, 23, 33}


def test_ego_network_errors(registry):
    with session_scope(registry) as session:
        with pytest.raises(NotFound):
            network.ego_network(session, 999)
        with pytest.raises(InvalidInput):
            network.ego_network(session, 10, radius=9)


def test_ego_network_of_a_place_without_partners(registry):
    with session_scope(registry) as session:
        session.add(Place(id=40, kind="city", name="Lonely", country_code="FR", source="test"))
        session.flush()
        ego = network.ego_network(session, 40)
    assert [n["id"] for n in ego["nodes"]] == [40] and ego["edges"] == []

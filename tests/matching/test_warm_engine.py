"""The recommender after writes, on both engines: the previous state answers (stamped) while the
new one is built in the background; once built, its top-10 is the one a fresh process computes
from the same stored weights, after any sequence of writes; the weights are learned again on a
schedule or on demand, not on every write."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest
from sqlalchemy import select, update

from amity.core import cache, warm
from amity.core.db import session_scope
from amity.matching import model_store
from amity.matching import service as matching
from amity.partnerships.models import Partnership
from amity.places.models import Place

HOME = "CN"


def _top(engine, place_id: int) -> tuple[list[int], dict]:
    with session_scope(engine) as session:
        result = matching.recommend(session, place_id, k=10, scope="world")
    return [row["id"] for row in result["results"]], result["as_of"]


def _learned_at(engine) -> dt.datetime:
    with session_scope(engine) as session:
        return warm.stored(session, model_store.name(HOME)).built_at


def _pair(a: int, b: int) -> Partnership:
    low, high = sorted((a, b))
    return Partnership(place_a_id=low, place_b_id=high, kind="friendship_city",
                       level="city_city", status="active", source="test")  # fmt: skip


def _write(engine, rng: random.Random) -> str:
    """One random write to the partnerships: add a pair, end one, or remove one."""
    with session_scope(engine) as session:
        places = list(session.scalars(select(Place.id)))
        pairs = list(session.scalars(select(Partnership)))
        taken = {(p.place_a_id, p.place_b_id) for p in pairs}
        action = rng.choice(["add", "add", "end", "remove"])
        if action == "add" or len(pairs) < 4:
            a, b = sorted(rng.sample(places, 2))
            while (a, b) in taken:
                a, b = sorted(rng.sample(places, 2))
            session.add(_pair(a, b))
            return "add"
        pair = rng.choice(pairs)
        if action == "end" and pair.status != "ended":
            pair.status = "ended"
        else:
            session.delete(pair)
        return action


@pytest.fixture
def steady(monkeypatch):
    """No relearning by drift or age during a test that writes (the small network drifts fast)."""
    monkeypatch.setenv("AMITY_MODEL_DRIFT", "100")


@pytest.mark.parametrize("seed", [1, 2])
def test_after_random_writes_the_rebuilt_top10_is_a_fresh_processes(network, steady, seed):
    engine, ids = network["engine"], network["ids"]
    rng = random.Random(seed)
    queries = [ids["xian"], ids["chengdu"], ids["paris"], ids["nairobi"]]
    before = {q: _top(engine, q)[0] for q in queries}
    learned = _learned_at(engine)
    for _ in range(6):
        _write(engine, rng)
        # Served at once, from the state before the write, and said to be so.
        top, as_of = _top(engine, queries[0])
        assert not as_of["current"] and top == before[queries[0]]
        warm.settle()
        incremental = {q: _top(engine, q) for q in queries}
        assert all(as_of["current"] for _, as_of in incremental.values())
        cache.clear()  # a fresh process: builds everything from the database
        rebuilt = {q: _top(engine, q) for q in queries}
        tops = {q: t for q, (t, _) in rebuilt.items()}
        assert {q: t for q, (t, _) in incremental.items()} == tops
        before = tops
    assert _learned_at(engine) == learned  # six writes, and the weights were not learned again


def test_a_place_the_served_state_does_not_know_waits_for_the_current_one(network, steady):
    engine, ids = network["engine"], network["ids"]
    _top(engine, ids["xian"])
    with session_scope(engine) as session:
        new = Place(kind="city", name="Tianjin", name_zh="天津市", country_code="CN",
                    lat=39.1, lon=117.2, population=13_000_000, source="test")  # fmt: skip
        session.add(new)
        session.flush()
        session.add(_pair(ids["osaka"], new.id))
        new_id = new.id
    top, as_of = _top(engine, new_id)
    assert as_of["current"] and ids["osaka"] not in top  # already its partner


def test_weights_are_learned_again_when_the_registry_has_drifted(network, monkeypatch):
    engine, ids = network["engine"], network["ids"]
    monkeypatch.setenv("AMITY_MODEL_DRIFT", "0.15")
    _top(engine, ids["xian"])
    first = _learned_at(engine)
    with session_scope(engine) as session:  # 1 of 10 partnerships: under the threshold
        session.execute(update(Partnership).where(Partnership.id == 1).values(status="ended"))
        session.add(_pair(ids["kyoto"], ids["chengdu"]))
    _top(engine, ids["xian"])
    warm.settle()
    assert _learned_at(engine) == first
    with session_scope(engine) as session:  # 12 partnerships now: 20 % more than learned from
        for a, b in (("kyoto", "berlin"), ("osaka", "nairobi")):
            session.add(_pair(ids[a], ids[b]))
    _top(engine, ids["xian"])
    warm.settle()
    _top(engine, ids["xian"])  # the rebuilt state finds the weights due and learns them again
    warm.settle()
    assert _learned_at(engine) > first


def test_weights_are_learned_again_when_old(network, monkeypatch):
    engine, ids = network["engine"], network["ids"]
    _top(engine, ids["xian"])
    first = _learned_at(engine)
    monkeypatch.setenv("AMITY_MODEL_MAX_AGE_DAYS", "0.000001")  # 0.09 s
    time.sleep(0.2)
    with session_scope(engine) as session:
        session.execute(update(Partnership).where(Partnership.id == 2).values(status="ended"))
    _top(engine, ids["xian"])
    warm.settle()
    _top(engine, ids["xian"])
    warm.settle()
    assert _learned_at(engine) > first


def test_learning_on_demand_stores_new_weights(network, steady):
    engine, ids = network["engine"], network["ids"]
    _top(engine, ids["xian"])
    first = _learned_at(engine)
    with session_scope(engine) as session:
        learned = matching.learn(session)
    assert learned.ties == 10 and _learned_at(engine) > first
    top, as_of = _top(engine, ids["xian"])
    assert as_of["current"] and top


def test_stored_weights_of_other_features_are_learned_again(network, steady):
    engine, ids = network["engine"], network["ids"]
    _top(engine, ids["xian"])
    first = _learned_at(engine)
    with session_scope(engine) as session:
        row = warm.stored(session, model_store.name(HOME))
        row.payload = row.payload.replace(b'"features": [', b'"features": ["retired", ')
    cache.clear()
    top, _ = _top(engine, ids["xian"])
    assert top and _learned_at(engine) > first

"""The coverage rules: what enters the index, who is ranked, and that levels never mix."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy import update

from amity.core.db import session_scope
from amity.exchanges.models import Exchange, ExchangeMode
from amity.indices import framework, service
from amity.indices.models import IndicatorValue
from amity.places.models import Place

CITIES = [10, 11, 12, 13, 20, 21, 22, 23, 24, 25, 26, 30, 31, 33, 34]  # the fixture's 15


def test_the_thresholds_are_pinned():
    """The documented values (docs/index.md, "Coverage"): change them there and here together."""
    assert (framework.INDICATOR_COVERAGE, framework.UNIT_COVERAGE) == (0.5, 0.66)
    for name in ("prr", "friendly_exchange"):
        fw = framework.get_framework(name)
        assert (fw.indicator_coverage, fw.unit_coverage) == (0.5, 0.66)
    assert service.enters(8, 15, 0.5) and not service.enters(7, 15, 0.5)
    assert not service.enters(0, 0, 0.5)


def test_a_place_needs_two_thirds_of_the_indicators_and_one_in_every_pillar():
    has = np.array([
        [True, True, False],  # 2 of 3, a record in both pillars: ranked
        [True, False, False],  # 1 of 3: not ranked
        [True, True, True],
        [False, True, True],  # 2 of 3 but nothing in the first pillar: not ranked
        [True, False, True],
    ])  # fmt: skip
    two_pillars = np.array([0, 1, 1])
    assert service.ranked_units(has, two_pillars, 0.66).tolist() == [
        True, False, True, False, True,
    ]  # fmt: skip
    one_pillar = np.array([0, 0, 0])
    assert service.ranked_units(has, one_pillar, 0.66).tolist() == [
        True, False, True, True, True,
    ]  # fmt: skip
    assert service.ranked_units(has, one_pillar, 1.0).tolist() == [
        False, False, True, False, False,
    ]  # fmt: skip


def test_the_thresholds_are_checked_in_a_framework_file():
    data = {"name": "x", "title": {"en": "x", "zh": "x"}, "description": {"en": "x", "zh": "x"},
            "method": {"imputation": "none", "normalisation": "minmax", "weighting": "equal",
                       "aggregation": "arithmetic"},
            "coverage": {"indicator": 1.5, "unit": "most"},
            "pillars": [{"code": "p", "label": {"en": "p", "zh": "p"},
                         "indicators": [{"code": "partners", "source": "amity",
                                         "direction": "positive"}]}]}  # fmt: skip
    with pytest.raises(Exception) as error:
        framework.parse_framework(data)
    assert "coverage.indicator" in str(error.value) and "coverage.unit" in str(error.value)
    data["coverage"] = {"indicator": 0.8}
    assert framework.parse_framework(data).indicator_coverage == 0.8


def _gdp(engine, places: list[int]) -> None:
    with session_scope(engine) as session:
        session.add_all(
            IndicatorValue(place_id=p, indicator="gdp_per_capita", value=1000.0 + p, year=2022,
                           source="test")
            for p in places
        )  # fmt: skip


def test_an_indicator_below_the_threshold_does_not_enter(registry):
    _gdp(registry, CITIES[:7])  # 7 of 15 cities: 47 %
    with session_scope(registry) as session:
        result = service.compute_index(session, runs=20)
    gdp = next(m for m in result.indicators if m["code"] == "gdp_per_capita")
    assert (gdp["observed"], gdp["available"], gdp["excluded"]) == (7, False, "low_coverage")
    assert not next(p for p in result.pillars if p["code"] == "reputation")["available"]
    assert len(result.rows) == 15 and not result.unranked


def test_at_the_threshold_it_enters_and_places_without_it_are_not_ranked(registry):
    _gdp(registry, CITIES[:8])  # 8 of 15: 53 %
    with session_scope(registry) as session:
        result = service.compute_index(session, runs=20)
    gdp = next(m for m in result.indicators if m["code"] == "gdp_per_capita")
    assert gdp["available"] and gdp["coverage"] == round(8 / 15, 4)
    coverage = {p["code"]: p["coverage"] for p in result.pillars}
    assert coverage == {"popularity": 1.0, "reputation": round(8 / 15, 4), "recognition": 1.0}
    # Reputation now enters; a place without its one indicator has no record in that pillar.
    assert {r["id"] for r in result.rows} == set(CITIES[:8])
    assert {r["id"] for r in result.unranked} == set(CITIES[8:])
    assert all(r["coverage"] == round(5 / 6, 4) and r["rank"] is None for r in result.unranked)
    assert {tuple(r["missing_pillars"]) for r in result.unranked} == {("reputation",)}
    assert all(r["missing_pillars"] == [] for r in result.rows)


def test_a_handful_of_records_does_not_move_the_ranking(registry):
    """Two exchanges and a study visit for one city (the demo's Xi'an case) change nothing."""
    with session_scope(registry) as session:
        before = [r["id"] for r in service.compute_index(session, runs=20).rows]
        if session.get(ExchangeMode, "training") is None:
            session.add(ExchangeMode(code="training", label_en="Training", label_zh="培训"))
        session.add_all(
            Exchange(place_a_id=13, place_b_id=25, mode="training", start="2023", start_year=2023,
                     direction="b_to_a")
            for _ in range(2)
        )  # fmt: skip
    with session_scope(registry) as session:
        result = service.compute_index(session, runs=20)
    study = next(m for m in result.indicators if m["code"] == "inbound_study")
    assert study["observed"] == 2 and study["excluded"] == "low_coverage"
    assert [r["id"] for r in result.rows] == before


def test_levels_are_ranked_apart_and_municipalities_with_the_cities(registry):
    with session_scope(registry) as session:
        session.execute(update(Place).where(Place.id == 21).values(admin_level="district"))
        session.execute(update(Place).where(Place.id == 10).values(admin_level="municipality"))
    with session_scope(registry) as session:
        cities = service.compute_index(session, runs=20)
        districts = service.compute_index(session, level="district", runs=20)
        provinces = service.compute_index(session, level="subdivision1", runs=20)
    assert 21 not in cities.by_id and 10 in cities.by_id
    assert [r["id"] for r in districts.rows] == [21]
    assert {r["id"] for r in provinces.rows} == {14, 32}
    assert {r["level"] for r in cities.rows} == {"city"}


def test_a_stored_index_of_another_format_is_not_read():
    with pytest.raises(ValueError):
        service._load(json.dumps({"framework": "prr", "rows": []}).encode())


def test_the_stored_index_reads_back_whole(registry):
    with session_scope(registry) as session:
        result = service.compute_index(session, framework="friendly_exchange", runs=20)
    again = service._load(service._dump(result))
    assert (again.level, again.rows, again.unranked) == (result.level, result.rows, result.unranked)
    assert again.by_id.keys() == result.by_id.keys() and len(result.unranked) == 6


def test_a_place_not_ranked_shows_its_coverage(registry):
    from fastapi.testclient import TestClient

    from amity.http.app import create_app

    client = TestClient(create_app(registry))
    harbin = client.get("/api/v1/index/places/13", params={"framework": "friendly_exchange"})
    body = harbin.json()
    assert (body["ranked"], body["rank"], body["coverage"]) == (False, None, 0.8)
    for lang, words in (("en", "Not ranked: too little data"), ("zh", "未排名：数据不足")):
        page = client.get("/index/places/13", params={"framework": "friendly_exchange",
                                                      "lang": lang})  # fmt: skip
        assert page.status_code == 200 and words in page.text and "80 %" in page.text
        assert (
            "长度" if lang == "zh" else "Length"
        ) in page.text and 'id="index-radar"' not in page.text
        listed = client.get("/index", params={"framework": "friendly_exchange", "lang": lang})
        assert 'id="unranked"' in listed.text and words in listed.text

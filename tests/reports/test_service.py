"""The annual report's figures on the hand-built world."""

from __future__ import annotations

from datetime import date

import pytest

from amity.core.db import session_scope
from amity.core.errors import InvalidInput, NotFound
from amity.reports.service import annual_report

TODAY = date(2020, 6, 1)


def _report(world, place: str, year: int) -> dict:
    with session_scope(world["engine"]) as session:
        return annual_report(session, world["ids"][place], year, today=TODAY)


def test_province_covers_its_cities(world):
    report = _report(world, "jiangsu", 2013)
    homes = {p["home"]["name"] for p in report["partnerships"]}
    assert homes == {"Nanjing", "Suzhou"}  # Chengdu is another province's; 2016 not yet signed
    assert report["summary"]["partnerships"] == 3
    assert report["summary"]["exchanges"] == 3  # Nanjing's three in 2013, not Chengdu's
    assert report["places_covered"] == 3


def test_new_partnerships_and_undated_ones(world):
    report = _report(world, "jiangsu", 2013)
    assert report["summary"]["dated_partnerships"] == 2
    assert report["summary"]["new_partnerships"] == 1
    assert [p["partner"]["name"] for p in report["new_partnerships"]] == ["Paris"]


def test_no_dated_partnerships_is_unknown_not_zero(world):
    report = _report(world, "houston", 2013)  # Houston–Nanjing has no date; Jiangsu's is 2016
    assert report["summary"]["dated_partnerships"] == 0
    assert report["summary"]["new_partnerships"] is None


def test_dormant_as_of_the_year_end(world):
    # Suzhou–Osaka's last exchange was in 2008: dormant at the end of 2013 (N = 3).
    report = _report(world, "jiangsu", 2013)
    assert [p["partner"]["name"] for p in report["dormant"]] == ["Osaka"]
    states = {p["partner"]["name"]: p["state"] for p in report["partnerships"]}
    assert states["Paris"] == "active"
    # In 2009 the 2008 exchange was recent, and the 2013 ones not yet known.
    early = _report(world, "suzhou", 2009)
    assert early["summary"]["dormant"] == 0 and early["partnerships"][0]["state"] == "active"


def test_exchanges_by_mode_field_month(world):
    report = _report(world, "nanjing", 2013)
    assert {m["code"]: m["count"] for m in report["by_mode"]} == {
        "high_level_visit": 1,
        "exhibition": 1,
        "forum": 1,
    }
    assert report["by_field"][0] == {
        "code": "culture",
        "label": "Culture",
        "label_zh": "文化",
        "count": 2,
    }
    months = {m["month"]: m["count"] for m in report["by_month"]}
    assert (months[5], months[11], months[0], months[1]) == (1, 1, 1, 0)


def test_partner_countries_and_continents(world):
    report = _report(world, "nanjing", 2013)
    assert [(c["country"], c["partnerships"]) for c in report["countries"]] == [
        ("FR", 1),
        ("US", 1),
    ]
    assert {c["continent"] for c in report["by_continent"]} == {"Europe", "North America"}
    assert len(report["map"]["partners"]) == 2


def test_errors(world):
    with session_scope(world["engine"]) as session:
        with pytest.raises(NotFound):
            annual_report(session, 99999, 2013, today=TODAY)
        with pytest.raises(InvalidInput):
            annual_report(session, world["ids"]["nanjing"], 2021, today=TODAY)
        with pytest.raises(InvalidInput):
            annual_report(session, world["ids"]["nanjing"], 1900, today=TODAY)


def test_the_report_lists_next_years_round_anniversaries(world):
    report = _report(world, "jiangsu", 2019)
    assert report["anniversaries_year"] == 2020
    assert [(a["partner"]["name"], a["when"], a["precision"], a["years"])
            for a in report["anniversaries"]] == [("Osaka", "2020", "year", 30)]  # fmt: skip
    assert _report(world, "jiangsu", 2017)["anniversaries"][0]["years"] == 5  # Paris, 2018

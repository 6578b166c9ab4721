"""Importing external indicators: good, bad, re-import, conflicts; on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from amity.core.db import session_scope
from amity.indices.importer import import_indicators
from amity.indices.models import IndicatorValue
from amity.indices.service import compute_index, place_index
from amity.partnerships.models import ImportBatch

GOOD = (
    "place,country,indicator,value,year,source\n"
    "Nanjing,CN,gdp_per_capita,25000,2022,City statistical yearbook\n"
    "Nanjing,CN,gdp_per_capita,23000,2021,City statistical yearbook\n"
    "Suzhou,CN,gdp_per_capita,27000,2022,City statistical yearbook\n"
    "Tokyo,JP,pm25,9.8,2022,WHO ambient air quality database\n"
    "Chengdu,CN,pm25,38.9,2022,WHO ambient air quality database\n"
)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(IndicatorValue))


def test_good_file_then_reimport_adds_nothing(registry_on_both):
    with session_scope(registry_on_both) as session:
        report = import_indicators(session, GOOD.encode(), filename="figures.csv")
        assert (report.imported, report.rejected, report.written) == (5, 0, True)
        assert report.indicators == ["gdp_per_capita", "pm25"]
    with session_scope(registry_on_both) as session:
        again = import_indicators(session, GOOD.encode(), filename="figures.csv")
        assert (again.imported, again.duplicates, again.rejected) == (0, 5, 0)
        assert _count(session) == 5
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 1


def test_bad_rows_reject_the_whole_file_by_line(registry_on_both):
    bad = GOOD + (
        "Atlantis,,gdp_per_capita,1,2022,x\n"
        "Tokyo,JP,pm25,lots,2022,x\n"
        "Tokyo,JP,PM 2.5,3,2022,x\n"
        "Tokyo,JP,pm25,3,22,x\n"
    )
    with session_scope(registry_on_both) as session:
        report = import_indicators(session, bad.encode(), filename="bad.csv")
        assert report.rejected == 4 and not report.written and report.imported == 0
        assert [p["line"] for p in report.problems] == [7, 8, 9, 10]
        assert "not a known place" in report.problems[0]["reason"]
        assert "not a number" in report.problems[1]["reason"]
        assert _count(session) == 0


def test_a_different_value_for_a_stored_year_is_a_conflict(registry):
    with session_scope(registry) as session:
        import_indicators(session, GOOD.encode(), filename="figures.csv")
    changed = GOOD.replace("25000", "26000")
    with session_scope(registry) as session:
        report = import_indicators(session, changed.encode(), filename="figures-v2.csv")
        assert report.rejected == 1 and "already 25000.0" in report.problems[0]["reason"]


def test_dry_run_writes_nothing_and_json_with_place_ids(registry):
    rows = [{"place_id": 20, "indicator": "green_space_share", "value": 40.5, "year": 2020,
             "source": "Tokyo metropolitan government"}]  # fmt: skip
    data = json.dumps(rows).encode()
    with session_scope(registry) as session:
        report = import_indicators(session, data, filename="green.json", dry_run=True)
        assert report.imported == 0 and not report.written and report.rejected == 0
        assert _count(session) == 0
        assert import_indicators(session, data, filename="green.json").imported == 1


def test_imported_indicators_are_shown_and_enter_only_with_coverage(registry):
    with session_scope(registry) as session:
        before = compute_index(session, runs=20)
        assert not next(p for p in before.pillars if p["code"] == "reputation")["available"]
        import_indicators(session, GOOD.encode(), filename="figures.csv")
    with session_scope(registry) as session:
        after = compute_index(session, runs=20)
        # Figures for 2 of the 15 cities (13 %) are shown but do not enter (the threshold is
        # half, tests/indices/test_coverage.py); the cities are ranked as before.
        assert not next(p for p in after.pillars if p["code"] == "reputation")["available"]
        assert [r["id"] for r in after.rows] == [r["id"] for r in before.rows]
        nanjing = place_index(session, 10)
        gdp = next(i for i in nanjing["indicators"] if i["code"] == "gdp_per_capita")
        assert gdp["value"] == 25000 and not gdp["entered"]  # the latest year
        assert nanjing["pillars"]["reputation"] is None


@pytest.mark.parametrize("header", ["city,indicator,value", "place,value,year"])
def test_missing_columns(registry, header):
    from amity.core.errors import InvalidInput

    with session_scope(registry) as session, pytest.raises(InvalidInput, match="lacks columns"):
        import_indicators(session, f"{header}\nNanjing,1,2\n".encode(), filename="x.csv")

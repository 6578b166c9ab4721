"""Statistics and layout balance on the small fixture registry (tests/analytics/conftest.py)."""

from __future__ import annotations

import math

import pytest

from amity.analytics import service
from amity.analytics.official import china_province_population
from amity.core.db import session_scope
from amity.core.errors import InvalidInput


def _by(rows, key):
    return {row[key]: row["pairs"] for row in rows}


def test_home_statistics_follow_the_china_conventions(registry_on_both):
    with session_scope(registry_on_both) as session:
        home = service.statistics(session, home="CN")["home"]
    # 8 foreign pairs of mainland places; CN–CN and CN–HK are domestic; HK–JP is counted apart.
    assert home["pairs"] == 8
    assert home["domestic_pairs"] == 2
    assert home["regions_foreign_pairs"] == 1
    # ... by region, for the map of China that colours each by its own pairs.
    assert home["regions_foreign_by_region"] == {"HK": 1, "MO": 0, "TW": 0}
    assert home["partner_countries"] == 7
    assert "HK" not in _by(home["by_partner_country"], "iso2")
    assert _by(home["by_partner_country"], "iso2")["JP"] == 2
    assert home["by_partner_country"][0]["iso2"] == "JP"
    assert _by(home["by_partner_continent"], "continent") == {
        "Asia": 2 + 1, "Europe": 2, "Africa": 1, "North America": 1, "South America": 1,
    }  # fmt: skip
    assert _by(home["by_province"], "code") == {"320000": 4, "510000": 3, "230000": 1}
    assert _by(home["by_region3"], "region") == {"east": 4, "west": 3, "central": 1}
    assert _by(home["by_region4"], "region") == {"east": 4, "west": 3, "northeast": 1}
    assert _by(home["by_kind"], "kind") == {
        "sister_city": 4, "friendship_city": 2, "friendly_exchange": 1, "cooperation": 1,
    }  # fmt: skip
    assert _by(home["by_level"], "level") == {"city_city": 7, "province_state": 1}
    assert _by(home["by_status"], "status") == {"active": 7, "dormant": 1}
    decades = home["by_decade"]
    assert _by(decades["rows"], "decade") == {"1970s": 1, "1980s": 1, "2000s": 1, "2010s": 1}
    assert decades["undated"] == 4
    bri = home["belt_and_road"]
    assert (bri["pairs"], bri["partner_countries"], bri["countries_signed"]) == (2, 2, 2)
    assert bri["share"] == pytest.approx(0.25)
    assert [(p["id"], p["partners"]) for p in home["top_places"]] == [
        (12, 3), (10, 2), (11, 2), (13, 1),
    ]  # fmt: skip


def test_world_statistics_count_each_country_once_per_pair(registry):
    with session_scope(registry) as session:
        world = service.statistics(session, home="CN")["world"]
    assert (world["pairs"], world["places"], world["countries"]) == (15, 17, 11)
    assert world["cross_border_pairs"] == 14
    by_country = _by(world["by_country"], "iso2")
    assert (by_country["CN"], by_country["JP"], by_country["DE"], by_country["US"]) == (10, 4, 4, 3)
    assert world["top_places"][0] == {
        "id": 10, "name": "Nanjing", "name_zh": None, "country": "CN", "partners": 4,
    }  # fmt: skip
    assert world["by_decade"]["undated"] == 9


def test_coverage_against_the_official_series(registry):
    with session_scope(registry) as session:
        coverage = service.statistics(session, home="CN")["coverage"]
    assert coverage["registry"]["pairs"] == 8
    assert coverage["registry"]["partner_countries"] == 7
    latest = coverage["latest"]
    assert (latest["as_of"], latest["pairs"], latest["partner_countries"]) == (
        "2024-11-19",
        3054,
        147,
    )
    assert latest["pairs_share"] == round(8 / 3054, 4)
    assert [row["as_of"][:4] for row in coverage["official"]][:2] == ["1978", "1991"]


def test_other_home_country_has_no_china_coverage(registry):
    with session_scope(registry) as session:
        stats = service.statistics(session, home="de")
    assert stats["coverage"] is None
    assert stats["home"]["country"] == "DE"
    assert _by(stats["home"]["by_partner_country"], "iso2") == {"FR": 1, "US": 1, "IT": 1, "CN": 1}


def test_unknown_home_country_is_invalid(registry):
    with session_scope(registry) as session, pytest.raises(InvalidInput):
        service.statistics(session, home="ZZ")


def _gini(values):
    n, mean = len(values), sum(values) / len(values)
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)


def test_layout_balance_of_china(registry):
    with session_scope(registry) as session:
        layout = service.layout_balance(session, home="CN")
    provinces = layout["provinces"]
    assert provinces["count"] == 31 and provinces["pairs"] == 8
    # Counts [4, 3, 1] and 28 zeros: ordered |xi - xj| sum 460 over 2·31·8.
    assert provinces["gini"]["raw"] == pytest.approx(460 / 496, abs=1e-6)
    mean = 8 / 31
    theil = sum((x / mean) * math.log(x / mean) for x in (4, 3, 1)) / 31
    assert provinces["theil"]["raw"] == pytest.approx(theil, abs=1e-6)
    population = china_province_population()
    counts = {"320000": 4, "510000": 3, "230000": 1}
    rates = [counts.get(code, 0) / population[code] * 1e6 for code in population]
    assert provinces["gini"]["per_million"] == pytest.approx(_gini(rates), abs=1e-6)
    jiangsu = next(row for row in provinces["rows"] if row["code"] == "320000")
    total = sum(population.values())
    assert jiangsu["gap"] == pytest.approx(4 - 8 * population["320000"] / total, abs=1e-5)
    east = next(row for row in provinces["regions3"] if row["region"] == "east")
    assert east["pairs_share"] == pytest.approx(0.5)
    east_population = sum(
        row["population"] for row in provinces["rows"] if row["region3"] == "east"
    )
    assert east["population_share"] == pytest.approx(east_population / total, abs=1e-6)
    weighted = provinces["theil"]["population_weighted"]
    assert weighted["total"] == pytest.approx(weighted["between"] + weighted["within"], abs=1e-5)


def test_partner_concentration_and_groups(registry):
    with session_scope(registry) as session:
        partners = service.layout_balance(session, home="CN")["partners"]
    # JP 2 and six countries with 1 pair each, out of 8.
    assert partners["hhi"] == pytest.approx((4 + 6) / 64)
    assert partners["hhi_10000"] == pytest.approx(1562.5)
    groups = partners["groups"]
    for name in ("africa", "latin_america", "south_asia", "southeast_europe"):
        assert groups[name]["pairs"] == 1 and groups[name]["share"] == pytest.approx(1 / 8)
    assert groups["belt_and_road"]["pairs"] == 2


def test_layout_for_another_home_country_uses_admin1(registry):
    with session_scope(registry) as session:
        provinces = service.layout_balance(session, home="DE")["provinces"]
    rows = {row["code"]: row for row in provinces["rows"]}
    assert set(rows) == {"02", "16"}
    assert rows["02"]["name_en"] == "Bavaria" and rows["02"]["pairs"] == 3
    assert rows["02"]["population"] == 13_100_000
    assert rows["16"]["population_source"] == "sum-of-city-populations"
    assert provinces["population_source"] == "mixed"
    assert provinces["regions3"] == []
    assert provinces["gini"]["raw"] == pytest.approx(_gini([3, 1]))


def test_home_defaults_to_the_setting(registry, monkeypatch):
    monkeypatch.setenv("AMITY_HOME_COUNTRY", "DE")
    with session_scope(registry) as session:
        assert service.statistics(session)["home"]["country"] == "DE"
        assert service.layout_balance(session)["home"] == "DE"

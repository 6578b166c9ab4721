"""A small registry built directly with the models: China, its regions and a few partners."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from amity.core import cache
from amity.core.db import session_scope
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place

COUNTRIES = [
    # iso2, name, continent, UN region, UN sub-region, Belt and Road
    ("CN", "China", "Asia", "Asia", "Eastern Asia", None),
    ("HK", "Hong Kong", "Asia", "Asia", "Eastern Asia", None),
    ("JP", "Japan", "Asia", "Asia", "Eastern Asia", None),
    ("US", "United States", "North America", "Americas", "Northern America", None),
    ("ZA", "South Africa", "Africa", "Africa", "Sub-Saharan Africa", "active"),
    ("BR", "Brazil", "South America", "Americas", "Latin America and the Caribbean", None),
    ("IN", "India", "Asia", "Asia", "Southern Asia", None),
    ("RS", "Serbia", "Europe", "Europe", "Southern Europe", "active"),
    ("DE", "Germany", "Europe", "Europe", "Western Europe", None),
    ("FR", "France", "Europe", "Europe", "Western Europe", None),
    ("IT", "Italy", "Europe", "Europe", "Southern Europe", "exited"),
]

PLACES = [
    # id, kind, name, country, province_code, region3, region4, admin1, lat, lon, population
    (10, "city", "Nanjing", "CN", "320000", "east", "east", "04", 32.06, 118.80, 9_300_000),
    (11, "city", "Suzhou", "CN", "320000", "east", "east", "04", 31.30, 120.62, 12_700_000),
    (12, "city", "Chengdu", "CN", "510000", "west", "west", "32", 30.66, 104.06, 20_900_000),
    (13, "city", "Harbin", "CN", "230000", "central", "northeast", "08", 45.75, 126.65, 10_000_000),
    (14, "province", "Hong Kong", "HK", "810000", None, None, None, 22.32, 114.17, 7_400_000),
    (20, "city", "Tokyo", "JP", None, None, None, "40", 35.69, 139.69, 14_000_000),
    (21, "city", "Osaka", "JP", None, None, None, "32", 34.69, 135.50, 2_700_000),
    (22, "city", "New York", "US", None, None, None, "NY", 40.71, -74.01, 8_300_000),
    (23, "city", "Cape Town", "ZA", None, None, None, "11", -33.92, 18.42, 4_600_000),
    (24, "city", "Rio de Janeiro", "BR", None, None, None, "21", -22.91, -43.17, None),
    (25, "city", "Mumbai", "IN", None, None, None, "16", 19.08, 72.88, 12_400_000),
    (26, "city", "Belgrade", "RS", None, None, None, "00", 44.79, 20.45, 1_400_000),
    (30, "city", "Berlin", "DE", None, None, None, "16", 52.52, 13.40, 3_600_000),
    (31, "city", "Paris", "FR", None, None, None, "11", 48.86, 2.35, 2_100_000),
    (32, "province", "Bavaria", "DE", None, None, None, "02", 48.79, 11.50, 13_100_000),
    (33, "city", "Munich", "DE", None, None, None, "02", 48.14, 11.58, 1_500_000),
    (34, "city", "Bologna", "IT", None, None, None, "05", 44.49, 11.34, 390_000),
]

PAIRS = [
    # a, b, kind, level, status, established year
    (10, 20, "sister_city", "city_city", "active", 1985),
    (10, 22, "sister_city", "city_city", "active", 1979),
    (11, 21, "friendship_city", "city_city", "active", None),
    (11, 23, "friendship_city", "city_city", "dormant", 2000),
    (12, 24, "sister_city", "city_city", "active", None),
    (12, 26, "friendly_exchange", "city_city", "active", 2015),
    (13, 25, "sister_city", "city_city", "active", None),
    (10, 11, "sister_city", "city_city", "active", None),
    (10, 14, "sister_city", "city_city", "active", None),
    (14, 20, "sister_city", "city_city", "active", None),
    (30, 31, "sister_city", "city_city", "active", 1987),
    (20, 22, "sister_city", "city_city", "active", 1960),
    (22, 33, "sister_city", "city_city", "active", None),
    (33, 34, "sister_city", "city_city", "active", None),
    (32, 12, "cooperation", "province_state", "active", None),
]


def build_registry(session: Session) -> None:
    for iso2, name, continent, region, subregion, bri in COUNTRIES:
        session.add(
            Country(iso2=iso2, iso3=iso2 + "X", name_en=name, name_zh=None, continent=continent,
                    un_region=region, un_subregion=subregion, bri_status=bri)
        )  # fmt: skip
    session.flush()
    for pid, kind, name, country, prov, r3, r4, admin1, lat, lon, pop in PLACES:
        session.add(
            Place(id=pid, kind=kind, name=name, country_code=country, province_code=prov,
                  region3=r3, region4=r4, admin1=admin1, lat=lat, lon=lon, population=pop,
                  source="test")
        )  # fmt: skip
    session.flush()
    for a, b, kind, level, status, year in PAIRS:
        session.add(
            Partnership(place_a_id=min(a, b), place_b_id=max(a, b), kind=kind, level=level,
                        status=status, established=str(year) if year else None,
                        established_year=year, source="test")
        )  # fmt: skip


@pytest.fixture
def registry(sqlite_engine: Engine) -> Iterator[Engine]:
    """The small registry on SQLite; the analytics cache starts empty."""
    with session_scope(sqlite_engine) as session:
        build_registry(session)
    cache.clear()
    yield sqlite_engine
    cache.clear()


@pytest.fixture
def registry_on_both(engine: Engine) -> Iterator[Engine]:
    """The small registry on SQLite and on PostgreSQL."""
    with session_scope(engine) as session:
        build_registry(session)
    cache.clear()
    yield engine
    cache.clear()

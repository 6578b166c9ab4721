"""A hand-built world for the reports: a province with two cities, partners abroad, exchanges."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from tests.partnerships.conftest import gazetteer_engine, gazetteer_template  # noqa: F401

from amity.core.db import session_scope
from amity.exchanges.service import record_exchange
from amity.http.app import create_app
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place

COUNTRIES = [
    ("CN", "China", "中国", "Asia"),
    ("FR", "France", "法国", "Europe"),
    ("JP", "Japan", "日本", "Asia"),
    ("US", "United States", "美国", "North America"),
]
PLACES = {  # key: (kind, name, name_zh, country, province_code)
    "jiangsu": ("province", "Jiangsu", "江苏省", "CN", "320000"),
    "nanjing": ("city", "Nanjing", "南京市", "CN", "320000"),
    "suzhou": ("city", "Suzhou", "苏州市", "CN", "320000"),
    "chengdu": ("city", "Chengdu", "成都市", "CN", "510000"),
    "paris": ("city", "Paris", "巴黎", "FR", None),
    "osaka": ("city", "Osaka", "大阪", "JP", None),
    "houston": ("city", "Houston", "休斯敦", "US", None),
}
PAIRS = [  # (a, b, status, established)
    ("nanjing", "paris", "active", "2013"),
    ("suzhou", "osaka", "active", "1990"),
    ("nanjing", "houston", "active", None),
    ("chengdu", "paris", "active", "2013"),
    ("jiangsu", "houston", "active", "2016"),
]
# (a, b, mode, fields, start)
EXCHANGES = [
    ("nanjing", "paris", "high_level_visit", ["economy_trade", "culture"], "2013-05-20"),
    ("nanjing", "paris", "exhibition", ["culture"], "2013"),
    ("nanjing", "houston", "forum", ["education"], "2013-11"),
    ("suzhou", "osaka", "forum", ["economy_trade"], "2008-04"),
    ("chengdu", "paris", "forum", ["culture"], "2013-05"),
]


@pytest.fixture
def world(sqlite_engine: Engine) -> dict:
    with session_scope(sqlite_engine) as session:
        for iso2, en, zh, continent in COUNTRIES:
            session.add(
                Country(iso2=iso2, iso3=iso2 + "X", name_en=en, name_zh=zh, continent=continent)
            )
        ids = {}
        for key, (kind, name, zh, cc, province) in PLACES.items():
            place = Place(
                kind=kind,
                name=name,
                name_zh=zh,
                country_code=cc,
                province_code=province,
                source="test",
                lat=30.0,
                lon=110.0,
            )
            session.add(place)
            session.flush()
            ids[key] = place.id
        pairs = {}
        for a, b, status, established in PAIRS:
            low, high = sorted((ids[a], ids[b]))
            pair = Partnership(
                place_a_id=low,
                place_b_id=high,
                kind="sister_city",
                level="city_city",
                status=status,
                established=established,
                established_year=int(established) if established else None,
                source="test",
            )
            session.add(pair)
            session.flush()
            pairs[(a, b)] = pair.id
        for a, b, mode, fields, start in EXCHANGES:
            record_exchange(
                session,
                place_a_id=ids[a],
                place_b_id=ids[b],
                mode=mode,
                fields=fields,
                start=start,
                title=f"{a}-{b} {mode}",
            )
    return {"ids": ids, "pairs": pairs, "engine": sqlite_engine}


@pytest.fixture
def client(world: dict) -> Iterator[TestClient]:
    with TestClient(create_app(world["engine"])) as test_client:
        yield test_client

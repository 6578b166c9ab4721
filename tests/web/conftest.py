"""A small registry on SQLite and the real app over it, for page tests and the browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from tests.support import live
from tests.support.databases import migrated_sqlite

from amity.auth.service import create_token
from amity.core.db import session_scope
from amity.http.app import create_app
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place

COUNTRIES = [
    ("CN", "CHN", "156", "China", "中国", "Asia"),
    ("TW", "TWN", "158", "Taiwan", "中国台湾", "Asia"),
    ("FR", "FRA", "250", "France", "法国", "Europe"),
    ("JP", "JPN", "392", "Japan", "日本", "Asia"),
    ("US", "USA", "840", "United States", "美国", "North America"),
]
# key: (kind, name, name_zh, country, gb_code, province_code, region3, lat, lon)
PLACES = {
    "jiangsu": ("province", "Jiangsu", "江苏省", "CN", "320000", "320000", "east", 32.06, 118.8),
    "nanjing": ("city", "Nanjing", "南京市", "CN", "320100", "320000", "east", 32.06, 118.78),
    "chengdu": ("city", "Chengdu", "成都市", "CN", "510100", "510000", "west", 30.66, 104.06),
    "taipei": ("city", "Taipei", "台北", "TW", None, None, None, 25.05, 121.53),
    "paris": ("city", "Paris", "巴黎", "FR", None, None, None, 48.85, 2.35),
    "lyon": ("city", "Lyon", "里昂", "FR", None, None, None, 45.76, 4.84),
    "osaka": ("city", "Osaka", "大阪", "JP", None, None, None, 34.69, 135.5),
    "houston": ("city", "Houston", "休斯敦", "US", None, None, None, 29.76, -95.37),
}
# (place, place, kind, status, established, source)
PAIRS = [
    ("nanjing", "paris", "friendship_city", "active", "1985", "wikipedia"),
    ("nanjing", "osaka", "sister_city", "active", "1990", "wikipedia"),
    ("chengdu", "lyon", "friendship_city", "dormant", None, "wikidata"),
    ("chengdu", "houston", "friendship_city", "active", "2000", "wikipedia"),
    ("taipei", "houston", "sister_city", "active", None, "wikidata"),
    ("paris", "osaka", "sister_city", "active", "1958", "wikipedia"),
    ("lyon", "houston", "cooperation", "active", None, "wikidata"),
]


def build_registry(engine: Engine) -> dict:
    """Fill a migrated database; returns place ids by key and a live API token."""
    with session_scope(engine) as session:
        for iso2, iso3, m49, en, zh, continent in COUNTRIES:
            session.add(
                Country(iso2=iso2, iso3=iso3, m49=m49, name_en=en, name_zh=zh, continent=continent)
            )
        session.flush()
        ids = {}
        for key, (kind, name, zh, country, gb, prov, region, lat, lon) in PLACES.items():
            place = Place(
                kind=kind, name=name, name_zh=zh, country_code=country, gb_code=gb,
                province_code=prov, region3=region, lat=lat, lon=lon, population=1_000_000,
                source="test",
            )
            session.add(place)
            session.flush()
            ids[key] = place.id
        for a, b, kind, status, established, source in PAIRS:
            low, high = sorted((ids[a], ids[b]))
            session.add(
                Partnership(
                    place_a_id=low, place_b_id=high, kind=kind, level="city_city",
                    status=status, established=established,
                    established_year=int(established) if established else None, source=source,
                )
            )
        token = create_token(session, "tester")
    return {"ids": ids, "token": token}


@pytest.fixture
def registry(sqlite_template: Path, tmp_path: Path) -> Iterator[dict]:
    engine = migrated_sqlite(sqlite_template, tmp_path / "web.db")
    data = build_registry(engine)
    yield {**data, "engine": engine, "url": str(engine.url)}
    engine.dispose()


@pytest.fixture
def server(request) -> Iterator[str]:
    """The registry served by a real uvicorn, for the browser tests (`page`, tests/conftest.py):
    on the test's own `registry`, or, in a module whose tests only read (READ_ONLY = True), one
    server for the whole module (starting one takes seconds)."""
    if getattr(request.module, "READ_ONLY", False):
        yield request.getfixturevalue("read_only_server")
        return
    registry = request.getfixturevalue("registry")
    with live.serve(registry["url"], ready="/partnerships") as base:
        yield base


@pytest.fixture(scope="module")
def read_only_registry(request, sqlite_template: Path, tmp_path_factory) -> Iterator[dict]:
    """The registry of a READ_ONLY module, made once for it, with what the module's
    `add_to_registry(engine, ids)` adds."""
    engine = migrated_sqlite(sqlite_template, tmp_path_factory.mktemp("web") / "web.db")
    data = build_registry(engine)
    add = getattr(request.module, "add_to_registry", None)
    if add is not None:
        add(engine, data["ids"])
    yield {**data, "engine": engine, "url": str(engine.url)}
    engine.dispose()


@pytest.fixture(scope="module")
def read_only_server(read_only_registry: dict) -> Iterator[str]:
    with live.serve(read_only_registry["url"], ready="/partnerships") as base:
        yield base


@pytest.fixture
def client(registry: dict) -> TestClient:
    return TestClient(create_app(registry["engine"]))

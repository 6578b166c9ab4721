"""Fixtures of the query and API tests: a small registry (nine pairs) built through the models.

The import and registry tests use `gazetteer_engine`: a SQLite copy of a gazetteer-loaded database
built once per test session (a PostgreSQL variant can replace it by overriding the fixture).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.support.databases import built_once, locked, shared_folder

from amity.auth.service import create_token
from amity.core import schema
from amity.core.db import make_engine, session_scope
from amity.http.app import create_app
from amity.partnerships.models import Partnership
from amity.places import resolve
from amity.places.gazetteer import load_gazetteer
from amity.places.models import Country, Place

COUNTRIES = [
    ("CN", "CHN", "China", "中国", "Asia"),
    ("HK", "HKG", "Hong Kong", "中国香港", "Asia"),
    ("FR", "FRA", "France", "法国", "Europe"),
    ("DE", "DEU", "Germany", "德国", "Europe"),
    ("JP", "JPN", "Japan", "日本", "Asia"),
    ("US", "USA", "United States", "美国", "North America"),
    ("KE", "KEN", "Kenya", "肯尼亚", "Africa"),
]
# key: (kind, name, name_zh, country, gb_code, province_code, region3)
PLACES = {
    "jiangsu": ("province", "Jiangsu", "江苏省", "CN", "320000", "320000", "east"),
    "sichuan": ("province", "Sichuan", "四川省", "CN", "510000", "510000", "west"),
    "nanjing": ("city", "Nanjing", "南京市", "CN", "320100", "320000", "east"),
    "suzhou": ("city", "Suzhou", "苏州市", "CN", "320500", "320000", "east"),
    "chengdu": ("city", "Chengdu", "成都市", "CN", "510100", "510000", "west"),
    "hongkong": ("city", "Hong Kong", "香港", "HK", None, None, None),
    "paris": ("city", "Paris", "巴黎", "FR", None, None, None),
    "lyon": ("city", "Lyon", "里昂", "FR", None, None, None),
    "berlin": ("city", "Berlin", "柏林", "DE", None, None, None),
    "bavaria": ("province", "Bavaria", "巴伐利亚州", "DE", None, None, None),
    "osaka": ("city", "Osaka", "大阪", "JP", None, None, None),
    "houston": ("city", "Houston", "休斯敦", "US", None, None, None),
    "nairobi": ("city", "Nairobi", "内罗毕", "KE", None, None, None),
    "lonely": ("city", "Reykjavik", "雷克雅未克", "FR", None, None, None),
}
# (place, place, kind, level, status, established, source)
PAIRS = [
    ("nanjing", "paris", "friendship_city", "city_city", "active", "1985", "wikipedia"),
    ("nanjing", "osaka", "sister_city", "city_city", "active", "1990-05", "wikipedia"),
    ("suzhou", "lyon", "friendship_city", "city_city", "dormant", None, "wikidata"),
    ("chengdu", "houston", "friendship_city", "city_city", "active", "2000", "wikipedia"),
    ("chengdu", "nairobi", "friendly_exchange", "city_city", "proposed", None, "manual"),
    ("jiangsu", "bavaria", "friendship_city", "province_state", "active", "1987", "wikipedia"),
    ("paris", "berlin", "sister_city", "city_city", "active", "1987", "wikipedia"),
    ("hongkong", "osaka", "sister_city", "city_city", "active", None, "wikidata"),
    ("lyon", "osaka", "cooperation", "city_city", "terminated", "1995", "wikidata"),
]


@pytest.fixture
def small_registry(engine: Engine) -> dict:
    """Place ids by key and partnership ids by position in PAIRS, in a fresh database."""
    with session_scope(engine) as session:
        for iso2, iso3, en, zh, continent in COUNTRIES:
            session.add(Country(iso2=iso2, iso3=iso3, name_en=en, name_zh=zh, continent=continent))
        places = {}
        for key, (kind, name, name_zh, cc, gb, province, region) in PLACES.items():
            places[key] = Place(
                kind=kind, name=name, name_zh=name_zh, country_code=cc, gb_code=gb,
                province_code=province, region3=region, source="test", lat=1.0, lon=2.0,
            )
            session.add(places[key])
        session.flush()
        pairs = []
        for a, b, kind, level, status, established, source in PAIRS:
            low, high = sorted((places[a].id, places[b].id))
            pair = Partnership(
                place_a_id=low, place_b_id=high, kind=kind, level=level, status=status,
                established=established,
                established_year=int(established[:4]) if established else None, source=source,
            )
            session.add(pair)
            pairs.append(pair)
        session.flush()
        return {"places": {k: p.id for k, p in places.items()}, "pairs": [p.id for p in pairs]}


@pytest.fixture
def api_client(engine: Engine, small_registry: dict) -> Iterator[TestClient]:
    with TestClient(create_app(engine)) as test_client:
        yield test_client


@pytest.fixture
def api_token(engine: Engine) -> str:
    with session_scope(engine) as session:
        return create_token(session, "tests")


@pytest.fixture
def auth_headers(api_token: str) -> dict:
    return {"Authorization": f"Bearer {api_token}"}


DATA = Path(__file__).parent / "data"


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "full_registry: loads the whole demo registry (slow)")


def _build_gazetteer(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    with session_scope(engine) as session:
        load_gazetteer(session)
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()


@pytest.fixture(scope="session")
def gazetteer_template(tmp_path_factory) -> Path:
    """A migrated SQLite file holding the gazetteer, made once per test run (both xdist
    workers copy the same file: tests.support.databases.built_once)."""
    return built_once(tmp_path_factory, "gazetteer-template", _build_gazetteer)


@pytest.fixture
def gazetteer_engine(gazetteer_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh copy of the gazetteer database for one test."""
    path = tmp_path / "amity.db"
    shutil.copyfile(gazetteer_template, path)
    engine = make_engine(f"sqlite:///{path}")
    resolve.invalidate_index()
    yield engine
    engine.dispose()
    resolve.invalidate_index()


@pytest.fixture(scope="session")
def postgres_gazetteer_template(postgres_template: str, tmp_path_factory) -> Iterator[str]:
    """A PostgreSQL database holding the gazetteer, copied for each test that asks for one.

    Made once per test run and shared by the xdist workers: a file beside the run's lock names
    it and counts the workers using it; the last one to finish drops it."""
    folder = shared_folder(tmp_path_factory, "postgres-gazetteer")
    state = folder / "state.json"
    with locked(folder):
        if state.exists():
            shared = json.loads(state.read_text())
        else:
            url = create_postgres_database(postgres_template)
            engine = make_engine(url)
            with session_scope(engine) as session:
                load_gazetteer(session)
            engine.dispose()
            shared = {"url": url, "users": 0}
        shared["users"] += 1
        state.write_text(json.dumps(shared))
    yield make_url(shared["url"]).database
    with locked(folder):
        shared = json.loads(state.read_text())
        shared["users"] -= 1
        if shared["users"]:
            state.write_text(json.dumps(shared))
        else:
            drop_postgres_database(shared["url"])
            state.unlink()


@pytest.fixture(params=["sqlite", "postgres"])
def gazetteer_any(request) -> Iterator[Engine]:
    """A fresh gazetteer database on each engine, for the import tests that must hold on both."""
    if request.param == "sqlite":
        yield request.getfixturevalue("gazetteer_engine")
        return
    url = create_postgres_database(request.getfixturevalue("postgres_gazetteer_template"))
    engine = make_engine(url)
    resolve.invalidate_index()
    yield engine
    engine.dispose()
    resolve.invalidate_index()
    drop_postgres_database(url)


@pytest.fixture
def data_dir() -> Path:
    return DATA

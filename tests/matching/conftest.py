"""A small hand-built network on both engines: Shaanxi and Sichuan cities, partners abroad."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from tests.support.live import serve

from amity.auth.service import create_token
from amity.core import cache, schema
from amity.core.db import make_engine, session_scope
from amity.http.app import create_app
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place, PlaceName
from amity.places.names import name_key

# iso2: (English, Chinese, continent, UN subregion, Belt and Road status)
COUNTRIES = {
    "CN": ("China", "中国", "Asia", "Eastern Asia", None),
    "FR": ("France", "法国", "Europe", "Western Europe", None),
    "DE": ("Germany", "德国", "Europe", "Western Europe", None),
    "JP": ("Japan", "日本", "Asia", "Eastern Asia", None),
    "KE": ("Kenya", "肯尼亚", "Africa", "Sub-Saharan Africa", "active"),
}
# key: (kind, admin_level, name, name_zh, country, province_code, lat, lon, population)
PREFECTURE = "prefecture_city"
PLACES = {
    "shaanxi": ("province", "province", "Shaanxi", "陕西省", "CN", "610000", 34, 109, 39_000_000),
    "xian": ("city", PREFECTURE, "Xi'an", "西安市", "CN", "610000", 34.34, 108.94, 12_900_000),
    "baoji": ("city", PREFECTURE, "Baoji", "宝鸡市", "CN", "610000", 34.36, 107.24, 3_300_000),
    "chengdu": ("city", PREFECTURE, "Chengdu", "成都市", "CN", "510000", 30.66, 104.06, 20_900_000),
    "paris": ("city", None, "Paris", "巴黎", "FR", None, 48.85, 2.35, 2_100_000),
    "lyon": ("city", None, "Lyon", "里昂", "FR", None, 45.76, 4.84, 520_000),
    "berlin": ("city", None, "Berlin", "柏林", "DE", None, 52.52, 13.4, 3_600_000),
    "osaka": ("city", None, "Osaka", "大阪", "JP", None, 34.69, 135.5, 2_700_000),
    "kyoto": ("city", None, "Kyoto", "京都", "JP", None, 35.01, 135.77, 1_460_000),
    "nairobi": ("city", None, "Nairobi", "内罗毕", "KE", None, -1.29, 36.82, 4_400_000),
}  # fmt: skip
EDGES = [
    ("xian", "paris"), ("xian", "osaka"), ("baoji", "paris"), ("baoji", "berlin"),
    ("chengdu", "lyon"), ("lyon", "paris"), ("lyon", "osaka"), ("kyoto", "paris"),
    ("nairobi", "berlin"), ("shaanxi", "nairobi"),
]  # fmt: skip


def build_network(engine: Engine) -> dict:
    """Fill a migrated database with the network; place ids by key and an API token."""
    with session_scope(engine) as session:
        for iso2, (en, zh, continent, subregion, bri) in COUNTRIES.items():
            session.add(Country(iso2=iso2, iso3=iso2 + "X", name_en=en, name_zh=zh,
                                continent=continent, un_region=continent,
                                un_subregion=subregion, bri_status=bri))  # fmt: skip
        session.flush()
        ids = {}
        for key, (kind, level, name, zh, country, province, lat, lon, people) in PLACES.items():
            place = Place(kind=kind, admin_level=level, name=name, name_zh=zh,
                          country_code=country, province_code=province, lat=lat, lon=lon,
                          population=people, source="test")  # fmt: skip
            session.add(place)
            session.flush()
            ids[key] = place.id
            for label, lang in ((name, "en"), (zh, "zh")):
                key_ = name_key(label)
                session.add(PlaceName(place_id=place.id, name=label, key=key_, lang=lang))
        for a, b in EDGES:
            low, high = sorted((ids[a], ids[b]))
            session.add(Partnership(place_a_id=low, place_b_id=high, kind="friendship_city",
                                    level="city_city", status="active", source="test"))  # fmt: skip
        token = create_token(session, "tester")
    return {"ids": ids, "token": token}


@contextmanager
def served_network(folder: Path) -> Iterator[str]:
    """A server over the network in a new SQLite file in `folder` (for the browser modules)."""
    engine = make_engine(f"sqlite:///{folder / 'web.db'}")
    schema.upgrade(engine)
    build_network(engine)
    url = str(engine.url)
    engine.dispose()
    with serve(url, ready="/board") as base:
        yield base


@pytest.fixture
def web_network(sqlite_engine: Engine) -> dict:
    """The network on SQLite only, for the pages."""
    cache.clear()
    return {**build_network(sqlite_engine), "engine": sqlite_engine}


@pytest.fixture
def network(engine: Engine) -> dict:
    cache.clear()
    return {**build_network(engine), "engine": engine}


@pytest.fixture
def api(network: dict) -> TestClient:
    return TestClient(create_app(network["engine"]))


@pytest.fixture
def auth(network: dict) -> dict:
    return {"Authorization": f"Bearer {network['token']}"}

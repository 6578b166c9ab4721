"""Stored data can never make a page answer 500.

Whatever is in the database (written by an older version, a script, another tool, by hand):
names as long as their columns allow (SQLite: longer), HTML, control characters, NULL wherever
a column allows it, values outside the closed lists (a status, a kind, a level, a date no
calendar has) and coordinates off the globe. The values are written with raw SQL, past the
services, and the main pages and the API that feeds their charts are opened on both engines.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.auth.world import build_world

from amity.core import cache
from amity.core.db import is_sqlite
from amity.http.app import create_app
from amity.places.name_table import invalidate_index

HTML = "<script>alert(1)</script><img src=x onerror=alert(1)>"
CONTROL = "a\x01b\x07c\x1b[31md\u202ee\ufffef\u200b"


def _store_oddities(engine, world: dict) -> None:
    long = 100_000 if is_sqlite(engine) else 200  # SQLite keeps any length; PostgreSQL its own
    ids, pairs = world["places"], world["pairs"]
    updates = [
        ("UPDATE places SET name = :v, pinyin = :c, lat = NULL, lon = NULL, population = -5 "
         "WHERE id = :id", {"v": "N" * long, "c": CONTROL, "id": ids["paris"]}),
        ("UPDATE places SET name = :v, name_zh = :v2, lat = 999, lon = -999, "
         "region3 = 'nowhere', admin_level = NULL WHERE id = :id",
         {"v": HTML, "v2": CONTROL[:100], "id": ids["osaka"]}),
        ("UPDATE places SET name_zh = NULL, province_code = '999999', gb_code = NULL "
         "WHERE id = :id", {"id": ids["nanjing"]}),
        ("UPDATE countries SET name_en = :v, name_zh = NULL, continent = NULL WHERE iso2 = 'FR'",
         {"v": HTML[:100]}),
        ("UPDATE countries SET name_en = :v WHERE iso2 = 'JP'", {"v": CONTROL}),
        ("UPDATE partnerships SET status = 'weird', kind = 'nonsense', level = 'x', "
         "established = '2026-13-45', established_year = 99999, signing_place = :v, "
         "note = :n, source_ref = NULL, quality_flags = 'a,,b,<i>' WHERE id = :id",
         {"v": HTML, "n": CONTROL * 100, "id": pairs[0]}),
        ("UPDATE partnerships SET established = NULL, established_year = NULL, "
         "fields = NULL, note = NULL, source = :v WHERE id = :id",
         {"v": HTML[:100], "id": pairs[1]}),
    ]  # fmt: skip
    with engine.begin() as connection:
        for statement, values in updates:
            connection.execute(text(statement), values)
    cache.clear()
    invalidate_index()


@pytest.fixture
def odd(engine):
    world = build_world(engine)
    _store_oddities(engine, world)
    with TestClient(create_app(engine), raise_server_exceptions=False) as client:
        yield {"client": client, **world}
    cache.clear()
    invalidate_index()


def test_no_page_answers_500_whatever_is_stored(odd) -> None:
    client, ids, pairs = odd["client"], odd["places"], odd["pairs"]
    paths = [
        "/", "/partnerships", "/partnerships?q=%3Cscript", "/partnerships?sort=-established",
        *(f"/partnerships/{p}" for p in pairs),
        *(f"/places/{ids[k]}" for k in ("paris", "osaka", "nanjing", "suzhou")),
        "/dashboard", "/network", "/about/data", "/reports", f"/reports?place={ids['nanjing']}",
        *(f"/reports/{ids[k]}/{year}" for k in ("nanjing", "jiangsu", "suzhou")
          for year in (1990, 2025)),
        "/index", f"/index/places/{ids['nanjing']}",
        "/api/v1/partnerships", "/api/v1/partnerships/export.csv",
        "/api/v1/partnerships/export.xlsx", "/api/v1/stats", "/api/v1/statistics",
        "/api/v1/layout", "/api/v1/network", "/api/v1/lines",
        f"/api/v1/network/ego/{ids['suzhou']}?radius=2", f"/api/v1/places/{ids['osaka']}",
        f"/api/v1/places/{ids['nanjing']}/partners", f"/api/v1/reports/{ids['nanjing']}/2025",
    ]  # fmt: skip
    failed = []
    for path in paths:
        for lang in ("en", "zh"):
            answer = client.get(path, params={"lang": lang} if not path.startswith("/api") else {})
            if answer.status_code >= 500:
                failed.append((path, lang, answer.status_code))
    assert failed == [], failed


def test_stored_html_stays_text(odd) -> None:
    page = odd["client"].get(f"/partnerships/{odd['pairs'][0]}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

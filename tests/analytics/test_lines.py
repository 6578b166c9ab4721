"""Partnership lines for the dashboard map (service and API) on the fixture registry."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.analytics.conftest import PAIRS

from amity.analytics import service
from amity.analytics.api import router
from amity.core.db import session_scope
from amity.http import errors


def _ends(result) -> set[tuple[int, int]]:
    return {(a, b) for _, a, b in result["pairs"]}


def test_lines_by_province_country_and_place(registry):
    with session_scope(registry) as session:
        jiangsu = service.partnership_lines(session, province="320000")
        japan = service.partnership_lines(session, country="jp")
        berlin = service.partnership_lines(session, place=30)
        everything = service.partnership_lines(session)
    assert _ends(jiangsu) == {(10, 20), (10, 22), (11, 21), (11, 23), (10, 11), (10, 14)}
    assert jiangsu["count"] == 6 and jiangsu["truncated"] is False
    assert {p["id"] for p in jiangsu["places"]} == {10, 11, 14, 20, 21, 22, 23}
    assert all(p["lat"] is not None and p["lon"] is not None for p in jiangsu["places"])
    pairs = {(min(a, b), max(a, b)) for a, b, *_ in PAIRS}
    assert _ends(everything) == pairs
    assert _ends(japan) == {pair for pair in pairs if {20, 21} & set(pair)}
    assert japan["filter"] == {"country": "JP"}
    assert _ends(berlin) == {pair for pair in pairs if 30 in pair}
    assert len(_ends(berlin)) >= 1


def test_lines_limit_truncates(registry):
    with session_scope(registry) as session:
        result = service.partnership_lines(session, limit=3)
    assert result["truncated"] is True
    assert len(result["pairs"]) == 3 and result["count"] > 3
    assert {p["id"] for p in result["places"]} == {i for pair in result["pairs"] for i in pair[1:]}


@pytest.fixture
def client(registry):
    app = FastAPI()
    app.state.engine = registry
    errors.install(app)
    app.include_router(router)
    return TestClient(app)


def test_lines_api(client):
    answer = client.get("/api/v1/lines", params={"province": "320000"})
    assert answer.status_code == 200
    assert answer.json()["count"] == 6
    assert client.get("/api/v1/lines", params={"province": "3200"}).status_code == 422
    assert client.get("/api/v1/lines", params={"limit": 0}).status_code == 422

"""The analytics API on the fixture registry."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from amity.analytics.api import router
from amity.http import errors


@pytest.fixture
def client(registry):
    app = FastAPI()
    app.state.engine = registry
    errors.install(app)
    app.include_router(router)
    return TestClient(app)


def test_network_and_its_cache(client):
    first = client.get("/api/v1/network")
    assert first.status_code == 200
    assert first.json()["nodes"] == 17
    assert client.get("/api/v1/network").content == first.content


def test_ego(client):
    body = client.get("/api/v1/network/ego/10", params={"radius": 1}).json()
    assert body["center"]["name"] == "Nanjing"
    missing = client.get("/api/v1/network/ego/999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/network/ego/10", params={"radius": 7}).status_code == 422


def test_statistics_and_layout(client):
    stats = client.get("/api/v1/statistics").json()
    assert stats["home"]["pairs"] == 8
    assert client.get("/api/v1/statistics", params={"home": "DE"}).json()["home"]["pairs"] == 4
    layout = client.get("/api/v1/layout").json()
    assert layout["partners"]["hhi"] == pytest.approx(10 / 64)
    unknown = client.get("/api/v1/layout", params={"home": "ZZ"})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid_input"


def test_export_download(client):
    response = client.get("/api/v1/export/geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    assert "attachment" in response.headers["content-disposition"]
    assert json.loads(response.content)["type"] == "FeatureCollection"
    assert client.get("/api/v1/export/pdf").status_code == 422

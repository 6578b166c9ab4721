"""The cases API: search JSON, one case, writes behind the token, validation of the model."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from amity.auth.service import create_token
from amity.cases.schemas import CaseCreate
from amity.core.db import session_scope
from amity.http.app import create_app


@pytest.fixture
def api(library) -> dict:
    with session_scope(library["engine"]) as session:
        token = create_token(session, "tester")
    client = TestClient(create_app(library["engine"]))
    return {**library, "client": client, "auth": {"Authorization": f"Bearer {token}"}}


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"source": "s"}, "needs a title"),
        ({"title_en": "x"}, "needs its source"),
        ({"title_en": "x", "source": "s", "fields": ["Economy"]}, "lower-case words"),
        ({"title_en": "x", "source": "s", "countries": ["China"]}, "alpha-2"),
        ({"title_en": "x", "source": "s", "year": 1850}, "greater than or equal"),
        ({"title_en": "x", "source": "s", "colour": "red"}, "Extra inputs"),
    ],
)
def test_case_validation(fields, problem):
    with pytest.raises(ValidationError, match=problem):
        CaseCreate(**fields)


def test_search_json(api):
    body = api["client"].get("/api/v1/cases", params={"q": "大学", "field": "education"}).json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["id"] == api["ids"]["universities"]
    assert item["highlight"]["title_zh"] == "山东与京畿道<mark>大学</mark>联盟"
    assert {"field", "mode", "year", "country", "place"} <= set(body["facets"])
    assert [p["name"] for p in item["places"]] == ["Shandong", "Gyeonggi"]


def test_search_refuses_unknown_parameters_and_bad_values(api):
    client = api["client"]
    assert client.get("/api/v1/cases?fields=education").status_code == 400
    assert client.get("/api/v1/cases?country=China").status_code == 422
    assert client.get("/api/v1/cases?per_page=500").status_code == 422


def test_one_case(api):
    client = api["client"]
    body = client.get(f"/api/v1/cases/{api['ids']['apple']}").json()
    assert body["countries"] == ["CN", "KZ"]
    assert body["fields"] == ["agriculture"] and body["source"] == "seed 003"
    missing = client.get("/api/v1/cases/9999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_writes_need_the_token(api):
    client = api["client"]
    new = {"title_zh": "友城熊猫", "source": "test"}
    assert client.post("/api/v1/cases", json=new).status_code == 401
    created = client.post("/api/v1/cases", json=new, headers=api["auth"])
    assert created.status_code == 201
    case_id = created.json()["id"]
    assert client.get("/api/v1/cases", params={"q": "熊猫"}).json()["total"] == 1
    changed = client.patch(
        f"/api/v1/cases/{case_id}", json={"title_en": "Panda"}, headers=api["auth"]
    )
    assert changed.json()["title_en"] == "Panda" and changed.json()["title_zh"] == "友城熊猫"
    bad = client.post("/api/v1/cases", json={"title_en": "x", "source": "s", "place_ids": [999]},
                      headers=api["auth"])  # fmt: skip
    assert bad.status_code == 404
    assert client.delete(f"/api/v1/cases/{case_id}").status_code == 401
    assert client.delete(f"/api/v1/cases/{case_id}", headers=api["auth"]).status_code == 204
    assert client.get("/api/v1/cases", params={"q": "熊猫"}).json()["total"] == 0

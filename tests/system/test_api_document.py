"""The API describes itself: every page at path P has its JSON twin at /api/v1/P, and every JSON
route's 200 answer has a schema in /openapi.json (issue 16)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sqlalchemy.engine import Engine
from tests.web.conftest import build_registry

from amity.core import schema
from amity.core.db import make_engine
from amity.http.app import create_app

# Pages that need no JSON twin: forms (their answer is a redirect or the form again; the API
# route they post to is named in tests/security/test_permission_matrix.py), pure downloads (the
# file is the answer), and redirects.
NO_TWIN = {
    "/login": "form: signing in (the API takes a token instead)",
    "/partnerships/new": "form for POST /api/v1/partnerships",
    "/exchanges/new": "form for POST /api/v1/exchanges",
    "/proposals/new": "form for POST /api/v1/proposals",
    "/import": "form: upload a spreadsheet (the importer is a command, docs/import.md)",
    "/reports": "form: choose a place and a year, then /reports/{place}/{year} (twin exists)",
    "/admin/sync": "form: preview and apply the Wikidata sync",
    "/attention": "redirect (308) to /health, kept for bookmarks",
    "/admin/audit.csv": "download (CSV)",
    "/anniversaries.ics": "download (iCalendar); JSON twin: /api/v1/anniversaries",
    "/events.ics": "download (iCalendar); JSON twin: /api/v1/events",
    "/events/{}.ics": "download (iCalendar); JSON twin: /api/v1/events/{id}",
    "/import/template.csv": "download (CSV template)",
    "/import/template.xlsx": "download (Excel template)",
    "/reports/{}/{}.pdf": "download (PDF); JSON twin: /api/v1/reports/{place}/{year}",
    "/reports/{}/{}.xlsx": "download (Excel); JSON twin: /api/v1/reports/{place}/{year}",
}

# File downloads under /api/v1: a documented media type instead of a JSON schema.
DOWNLOADS = {
    "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/geo+json", "application/graphml+xml", "application/gexf+xml",
    # attached photos and PDFs (amity.attachments.api)
    "image/jpeg", "image/png", "image/webp", "application/pdf",
}  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    engine: Engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('doc') / 'doc.db'}")
    schema.upgrade(engine)
    app = create_app(engine)
    app.state.ids = build_registry(engine)["ids"]
    yield app
    engine.dispose()


def _routes(app) -> list:
    found, pending = [], list(app.routes)
    while pending:
        route = pending.pop()
        if hasattr(route, "effective_candidates"):  # an included router
            pending.extend(route.effective_candidates())
        else:
            found.append(route)
    return found


def _shape(path: str) -> str:
    """A path with its parameters' names and converters dropped: /awards/{year:int} → /awards/{}."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def test_every_page_has_its_json_twin(app):
    pages, api = set(), set()
    for route in _routes(app):
        if "GET" not in (getattr(route, "methods", None) or ()):
            continue
        path = _shape(route.path)
        if path.startswith("/api/v1/"):
            api.add(path.removeprefix("/api/v1"))
        elif not path.startswith(("/api/", "/static", "/docs", "/openapi", "/favicon")) and (
            path not in ("/healthz", "/readyz")  # for machines: JSON already
        ):
            pages.add(path)
    assert len(pages) > 30  # the walk found the pages
    exempt = set(NO_TWIN)
    missing = sorted(p for p in pages - exempt if p not in api)
    assert missing == [], f"pages without a twin under /api/v1: {missing}"
    # The lists stay true: an exempted page exists, and a page that got its twin leaves them.
    assert exempt <= pages, sorted(exempt - pages)


def test_every_json_route_has_a_response_schema(app):
    document = TestClient(app).get("/openapi.json").json()
    components = document["components"]["schemas"]
    bare = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            ok = answers.get("200") or answers.get("201")
            if ok is None:  # 204 No Content
                assert "204" in answers, (method, path)
                continue
            content = ok.get("content", {})
            if set(content) & DOWNLOADS:
                continue
            body = content.get("application/json", {}).get("schema", {})
            if not _described(body, components):
                bare.append(f"{method.upper()} {path}")
    assert bare == [], "JSON answers without a described schema"
    assert len(document["paths"]) > 60  # the walk read the document


def _described(body: dict, components: dict) -> bool:
    """A named model, or a list of named models; an object open to anything is not a schema."""
    if "$ref" in body:
        return True
    if body.get("type") == "array":
        return _described(body.get("items", {}), components)
    if "anyOf" in body:
        return all(_described(b, components) or b.get("type") == "null" for b in body["anyOf"])
    return False


def test_the_models_describe_what_the_routes_answer(app):
    """Each model keeps every key its route answers, also where the route sends cached JSON
    text that no model filters (network, statistics, layout): validating the answer against its
    model and writing it out again gives the same JSON."""
    ids = app.state.ids
    nanjing, jiangsu = ids["nanjing"], ids["jiangsu"]
    client = TestClient(app)
    models = {
        route.path: route.response_model
        for route in _routes(app)
        if "GET" in (getattr(route, "methods", None) or ()) and getattr(route, "response_model", 0)
    }
    urls = {
        f"/api/v1/places/{nanjing}": "/api/v1/places/{place_id}",
        f"/api/v1/anniversaries?office={jiangsu}": "/api/v1/anniversaries",
        "/api/v1/about/data": "/api/v1/about/data",
        "/api/v1/network": "/api/v1/network",
        f"/api/v1/network/ego/{nanjing}?radius=2": "/api/v1/network/ego/{place_id}",
        "/api/v1/statistics": "/api/v1/statistics",
        "/api/v1/layout": "/api/v1/layout",
        f"/api/v1/lines?place={nanjing}": "/api/v1/lines",
        "/api/v1/cases": "/api/v1/cases",
        "/api/v1/events": "/api/v1/events",
        "/api/v1/awards": "/api/v1/awards",
        f"/api/v1/reports/{jiangsu}/2020": "/api/v1/reports/{place_id}/{year}",
        "/api/v1/index": "/api/v1/index",
        f"/api/v1/index/places/{nanjing}": "/api/v1/index/places/{place_id}",
        "/api/v1/index/methodology": "/api/v1/index/methodology",
        f"/api/v1/health?office={jiangsu}": "/api/v1/health",
        f"/api/v1/places/{nanjing}/activity": "/api/v1/places/{place_id}/activity",
    }
    for url, path in urls.items():
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.text[:200])
        model = TypeAdapter(models[path])
        again = model.dump_python(model.validate_python(answer.json()), mode="json", by_alias=True)
        assert again == answer.json(), url


def test_the_home_and_dashboard_twins_answer_what_their_pages_show(app):
    client = TestClient(app)
    front = client.get("/api/v1/", params={"lang": "zh"}).json()
    page = client.get("/", params={"lang": "zh"}).text
    assert front["stats"]["partnerships"] > 0
    assert front["top_countries"] and all(c["label"] in page for c in front["top_countries"])
    assert {"HK", "MO", "TW"}.isdisjoint(c["iso2"] for c in front["top_countries"])
    board = client.get("/api/v1/dashboard", params={"lang": "zh"}).json()
    assert board["home"] == "CN" and board["countries"] and board["provinces"]
    shown = client.get("/dashboard", params={"lang": "zh"}).text
    assert all(c["label"] in shown for c in board["countries"][:20])
    assert client.get("/api/v1/dashboard", params={"lang": "fr"}).status_code == 422

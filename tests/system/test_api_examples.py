"""The OpenAPI document's conventions (docs/api.md, issue 20): operation ids are the route
functions' names, every tag is described, every list and write operation has an example that its
model accepts, and /api/docs is served from the app's own files under its CSP."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from amity.core import schema
from amity.core.db import make_engine
from amity.http.app import create_app
from amity.http.security import CSP

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('doc') / 'doc.db'}")
    schema.upgrade(engine)  # only the server's secret is read (the browser cookie)
    yield create_app(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def document(app) -> dict:
    return TestClient(app).get("/openapi.json").json()


def _operations(document: dict):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _api_routes(app) -> dict:
    """The documented routes by operation id."""
    found, pending = {}, list(app.routes)
    while pending:
        route = pending.pop()
        if hasattr(route, "effective_candidates"):  # an included router
            pending.extend(route.effective_candidates())
        elif hasattr(route, "unique_id") and route.include_in_schema:  # an API route
            found[route.operation_id or route.unique_id] = route
    return found


def test_operation_ids_are_the_route_functions_names(app, document):
    ids = [operation["operationId"] for _, _, operation in _operations(document)]
    assert len(ids) > 60  # the walk read the document
    assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)
    assert [i for i in ids if not SNAKE.match(i) or "api_v1" in i] == []
    routes = _api_routes(app)
    assert set(routes) == set(ids)
    for operation_id, route in routes.items():
        if operation_id == route.name:
            continue
        # The only other id: a page's JSON twin served by a function that already has its id.
        assert operation_id == f"{route.name}_twin", operation_id
        assert route.name in routes and routes[route.name].endpoint is route.endpoint


def test_every_operation_has_a_tag_and_every_tag_a_description(document):
    described = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    used = set()
    for path, method, operation in _operations(document):
        assert operation.get("tags"), f"{method.upper()} {path} has no tag"
        used.update(operation["tags"])
    assert used <= set(described), sorted(used - set(described))
    assert [name for name in used if len(described[name]) < 20] == []
    assert set(described) <= used, "a described tag no operation has"


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _examples(media: dict, document: dict) -> list:
    """The examples of a request or response body: the media type's, or its schema's (a list's
    examples are those of its items' schema)."""
    found = [media["example"]] if "example" in media else []
    found += [e["value"] for e in media.get("examples", {}).values() if "value" in e]
    schema = _resolve(media.get("schema", {}), document)
    if schema.get("type") == "array":
        return found + [[e] for e in _resolve(schema["items"], document).get("examples", [])]
    return found + schema.get("examples", [])


def _is_list(operation: dict, answer: dict, document: dict) -> bool:
    """A list answers an array, or an object that counts what it holds (`total`, `count`)."""
    schema = _resolve(answer.get("schema", {}), document)
    counted = {"total", "count"} & set(schema.get("properties", {}))
    return schema.get("type") == "array" or bool(counted) or operation["operationId"].startswith(
        "list_"
    )


def test_every_list_and_write_operation_has_an_example_its_model_accepts(app, document):
    routes = _api_routes(app)
    missing, checked = [], 0
    for path, method, operation in _operations(document):
        route = routes[operation["operationId"]]
        name = f"{method.upper()} {path}"
        body = operation.get("requestBody", {}).get("content", {})
        if method in WRITES and "multipart/form-data" in body:
            # A file upload: no JSON to show, so its description gives the curl command.
            if "curl" not in operation.get("description", ""):
                missing.append(f"{name} (a curl example for the upload)")
            continue
        if method in WRITES and "requestBody" in operation:
            media = body["application/json"]
            examples = _examples(media, document)
            if not examples:
                missing.append(f"{name} (request body)")
            model = TypeAdapter(route.dependant.body_params[0].field_info.annotation)
            for example in examples:
                model.validate_python(example)  # raises, naming the field, if the example is wrong
                checked += 1
        answer = (operation["responses"].get("200") or {}).get("content", {})
        if method == "get" and "application/json" in answer:
            media = answer["application/json"]
            if not _is_list(operation, media, document):
                continue
            examples = _examples(media, document)
            if not examples:
                missing.append(f"{name} (answer)")
            for example in examples:
                TypeAdapter(route.response_model).validate_python(example)
                checked += 1
    assert missing == [], "operations without an example"
    assert checked > 40


def test_the_docs_page_loads_only_the_apps_own_files(app):
    client = TestClient(app)
    answer = client.get("/api/docs")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    # The CSP is the app's one policy, scripts from this site only.
    assert answer.headers["content-security-policy"] == CSP
    assert "script-src 'self';" in CSP and "unsafe" not in CSP.split("script-src")[1].split(";")[0]
    page = answer.text
    assert "//" not in re.sub(r"<!doctype[^>]*>", "", page, flags=re.I)  # no CDN, no other site
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    files = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    paths = {url.split("?")[0] for url in files}
    assert {"/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css"} <= paths
    for url in files:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "immutable" in answer.headers["cache-control"], url  # fingerprinted
    # FastAPI's own pages stay off: they would load the CDN.
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404

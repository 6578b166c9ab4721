"""Integers past their range get 422 (the API) or an HTML 422 (the pages), never a 500.

`?page=9223372036854775807` answered 500 (Python's islice), and ids past the database's integer
type reached the database. These tests walk the app's routes rather than a list, so a new route
that takes an integer without a bound (amity.core.bounds) fails here:
- every integer parameter and request-body field of the OpenAPI document declares a maximum;
- every API operation with an integer in its path or query answers 422 naming that parameter,
  for a value just past the maximum and for values past 64 bits, on both engines;
- every integer field of a request body is refused the same way (with a token, so that the
  request gets as far as validation);
- every page whose address holds an integer answers an HTML 422, and the pages that read numbers
  from their query string answer no 5xx whatever number they are given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.auth.web import sign_in
from tests.auth.world import build_world

from amity.auth.service import create_token
from amity.core.bounds import INT_MAX
from amity.core.db import session_scope
from amity.http.app import _routers, create_app

HUGE = (2**63, 10**30)  # past SQLite's 64 bits, past anything
PAGE_NUMBERS = ("page", "per_page", "place", "partnership", "year", "office", "k", "new", "a",
                "b", "limit", "radius")  # fmt: skip


@pytest.fixture
def setup(engine) -> Iterator[dict]:
    world = build_world(engine)
    with session_scope(engine) as session:
        token = create_token(session, "bounds", username="admin")
    app = create_app(engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield {"client": client, "token": token, "spec": app.openapi(), "world": world}


def _integers(schema: dict, spec: dict, where: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """(path inside the value, schema) of every integer a schema holds, following $refs."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        yield from _integers(spec["components"]["schemas"][name], spec, where)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from _integers(option, spec, where)
    if schema.get("type") == "integer":
        yield where, schema
    if isinstance(schema.get("items"), dict):
        yield from _integers(schema["items"], spec, (*where, 0))
    for name, sub in schema.get("properties", {}).items():
        yield from _integers(sub, spec, (*where, name))
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _integers(schema["additionalProperties"], spec, (*where, "key"))


def _operations(spec: dict) -> Iterator[tuple[str, str, dict]]:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def _sample(schema: dict, spec: dict):
    """A valid-looking value for a parameter that is not the one under test."""
    if "$ref" in schema:
        return _sample(spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]], spec)
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "integer":
        return max(1, schema.get("minimum", 1))
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return _sample(option, spec)
    return "x"


def test_every_integer_the_api_takes_has_a_maximum(setup) -> None:
    spec, unbounded = setup["spec"], []
    for method, path, operation in _operations(spec):
        for parameter in operation.get("parameters", []):
            for where, schema in _integers(parameter["schema"], spec):
                if "maximum" not in schema or schema["maximum"] > INT_MAX:
                    unbounded.append(f"{method} {path} {parameter['name']}{list(where)}")
        for content in operation.get("requestBody", {}).get("content", {}).values():
            for where, schema in _integers(content["schema"], spec):
                if "maximum" not in schema or schema["maximum"] > INT_MAX:
                    unbounded.append(f"{method} {path} body{list(where)}")
    assert unbounded == []


def _url(path: str, operation: dict, spec: dict, name: str, value: int) -> tuple[str, dict]:
    query: dict = {}
    for parameter in operation.get("parameters", []):
        chosen = value if parameter["name"] == name else None
        if parameter["in"] == "path":
            sample = chosen if chosen is not None else _sample(parameter["schema"], spec)
            path = path.replace("{" + parameter["name"] + "}", str(sample))
        elif chosen is not None:
            query[name] = str(chosen)
        elif parameter.get("required"):
            query[parameter["name"]] = str(_sample(parameter["schema"], spec))
    return path, query


def test_every_integer_parameter_past_its_range_is_refused(setup) -> None:
    client, spec = setup["client"], setup["spec"]
    headers = {"Authorization": f"Bearer {setup['token']}"}
    tried, wrong = 0, []
    for method, path, operation in _operations(spec):
        for parameter in operation.get("parameters", []):
            bounds = [s for _, s in _integers(parameter["schema"], spec)]
            if not bounds:
                continue
            for value in (bounds[0]["maximum"] + 1, *HUGE):
                url, query = _url(path, operation, spec, parameter["name"], value)
                body = {} if method in ("post", "put", "patch") else None
                answer = client.request(method, url, params=query, json=body, headers=headers)
                tried += 1
                fields = [
                    p["field"]
                    for p in answer.json().get("error", {}).get("details", {}).get("problems", [])
                ] if answer.status_code == 422 else []  # fmt: skip
                if not any(f.split(".")[1:2] == [parameter["name"]] for f in fields):
                    wrong.append((method, url, query, answer.status_code, answer.text[:200]))
    assert tried > 100  # the walk found the routes
    assert wrong == []


def _body(where: tuple, value: int):
    body: object = value
    for step in reversed(where):
        body = [body] if step == 0 else {step: body}
    return body


def test_every_integer_body_field_past_its_range_is_refused(setup) -> None:
    client, spec = setup["client"], setup["spec"]
    headers = {"Authorization": f"Bearer {setup['token']}"}
    tried, wrong = 0, []
    for method, path, operation in _operations(spec):
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if content is None:
            continue
        url = re.sub(r"\{\w+\}", "1", path)
        for where, _schema in _integers(content["schema"], spec):
            if "key" in where:
                continue
            answer = client.request(method, url, json=_body(where, 2**63), headers=headers)
            tried += 1
            expected = ".".join(["body", *map(str, where)])
            problems = answer.json().get("error", {}).get("details", {}).get("problems", [])
            if answer.status_code != 422 or expected not in [p["field"] for p in problems]:
                wrong.append((method, url, where, answer.status_code, answer.text[:200]))
    assert tried > 20
    assert wrong == []


def _page_routes() -> Iterator[APIRoute]:
    def walk(router) -> Iterator[APIRoute]:
        for route in router.routes:
            if isinstance(route, APIRoute):
                yield route
            elif hasattr(route, "original_router"):  # an included router
                yield from walk(route.original_router)

    for router in _routers():
        if not router.prefix.startswith("/api/"):
            yield from walk(router)


def test_every_page_with_an_integer_in_its_address_answers_an_html_422(setup) -> None:
    client, tried, wrong = setup["client"], 0, []
    for route in _page_routes():
        if "GET" not in route.methods or not route.dependant.path_params:
            continue
        for value in HUGE:
            url = route.path_format
            for parameter in route.dependant.path_params:
                sample = value if parameter.field_info.annotation is int else "partnership"
                url = url.replace("{" + parameter.name + "}", str(sample))
            answer = client.get(url)
            tried += 1
            if answer.status_code != 422 or "text/html" not in answer.headers["content-type"]:
                wrong.append((url, answer.status_code))
    assert tried > 20
    assert wrong == []


def test_no_number_in_a_query_string_makes_a_page_fail(setup) -> None:
    """Pages read numbers from their query strings (a page, a place, a year): none answers 5xx."""
    client, world, wrong, tried = setup["client"], setup["world"], [], 0
    sign_in(client, username="bounds-admin")  # the administrators' pages too
    for route in _page_routes():
        if "GET" not in route.methods:
            continue
        url = route.path_format
        for parameter in route.dependant.path_params:
            sample = world["pairs"][0] if parameter.field_info.annotation is int else "partnership"
            url = url.replace("{" + parameter.name + "}", str(sample))
        # Only what the page requires besides (the comparison needs a and b): an unknown
        # parameter would make a list page refuse the whole selection and hide the number.
        required = {q.alias: "1" for q in route.dependant.query_params
                    if q.field_info.is_required()}  # fmt: skip
        for name in PAGE_NUMBERS:
            # Past PostgreSQL's integer, past SQLite's 64 bits, negative (10**30 adds nothing
            # here that 2**63 does not: both overflow every column).
            for value in (INT_MAX + 1, HUGE[0], -1):
                answer = client.get(url, params={**required, name: str(value)})
                tried += 1
                if answer.status_code >= 500:
                    wrong.append((url, name, value, answer.status_code))
    assert tried > 750
    assert wrong == []

"""The API's own documentation at /api/docs, served from the app's static files.

FastAPI's built-in docs page loads Swagger UI from a CDN and starts it with an inline script: the
Content-Security-Policy (amity.http.security) blocks both, and an office or offline server cannot
reach a CDN anyway. This page loads the vendored Swagger UI (static/vendor, made by
scripts/vendor_assets.py) and starts it from static/js/api-docs.js, so the policy needs no
exception. ReDoc is not served. Conventions of the document (docs/api.md): each operation's id is
its route function's name, and every tag has a description.
"""

from __future__ import annotations

import html
from typing import get_args

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from amity.http.static import static_url

DOCS_URL = "/api/docs"

# One line per router tag; a test fails when a tag has none.
TAGS = {
    "places": "Find places: resolve a name, suggest as one types, a place's summary.",
    "partnerships": "The registry of friendship-city and sister-city partnerships: lists with "
    "filters, exports, anniversaries, and writes (a token with the right role).",
    "exchanges": "Exchanges and visits within partnerships, their taxonomy, and the health of "
    "partnerships (dormant or declining, reviews and proposals to end them).",
    "analytics": "The partnership network, statistics, layout balance, lines for maps, the "
    "dashboard and whole-registry exports (GraphML, GEXF, GeoJSON, CSV).",
    "cases": "The library of cooperation cases: search, read and write.",
    "events": "Events and the friendship awards: editions, nominations and scores.",
    "reports": "A place's annual report as JSON (its pages also offer PDF and Excel).",
    "matching": "Partner recommendations with each factor's contribution, plans of new "
    "pairings, places' declared profiles, and the partner-seeking board.",
    "index": "The city-diplomacy index: ranking, a place's scores, comparisons and methodology.",
    "proposals": "Proposals for new partnerships: drafts, checks, submission and decisions.",
    "participation": "The public's voice: published ideas and feedback, and their moderation.",
    "accounts": "Who a token acts as; users and the audit log for administrators.",
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{favicon}" type="image/svg+xml">
<link rel="stylesheet" href="{css}">
<script src="{bundle}" defer></script>
<script src="{start}" defer></script>
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
</body>
</html>
"""


def operation_id(route: APIRoute) -> str:
    """The operation id: the route function's name (`list_partnerships`), not FastAPI's
    generated `list_partnerships_api_v1_partnerships_get`. A function serving a second path
    (a page's JSON twin) gives that route its own `operation_id`, so that ids stay unique."""
    return route.name


def install(app: FastAPI) -> None:
    """Describe the tags, keep the examples whole, and serve the docs page (the app is created
    with docs_url=None)."""
    app.openapi_tags = [{"name": name, "description": text} for name, text in TAGS.items()]
    generate = app.openapi

    def openapi() -> dict:
        return _with_whole_examples(generate(), _models_with_examples(app))

    app.openapi = openapi  # type: ignore[method-assign]
    page = PAGE.format(
        title=html.escape(f"{app.title} – docs"), openapi_url=html.escape(app.openapi_url or ""),
        # Fingerprinted: the 1.7 MB bundle is cached for a year (amity.http.static).
        favicon=static_url("favicon.svg"), css=static_url("vendor/swagger-ui.css"),
        bundle=static_url("vendor/swagger-ui-bundle.js"), start=static_url("js/api-docs.js"),
    )  # fmt: skip

    def api_docs() -> HTMLResponse:
        return HTMLResponse(page)

    app.add_api_route(DOCS_URL, api_docs, include_in_schema=False)


def _with_whole_examples(document: dict, models: dict[str, type[BaseModel]]) -> dict:
    """FastAPI writes the document without null values, which drops every `null` from the
    models' examples (an answer's `"province_code": null` would vanish): put them back whole."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        model = models.get(name.removesuffix("-Input").removesuffix("-Output"))
        if model is not None and "examples" in schema:
            examples = model.model_config["json_schema_extra"]["examples"]  # type: ignore[index]
            schema["examples"] = jsonable_encoder(examples)
    return document


def _models_with_examples(app: FastAPI) -> dict[str, type[BaseModel]]:
    """The request and answer models that give examples, by their names in the document (the
    class name, or module__class when two share a name)."""
    found: dict[str, type[BaseModel]] = {}
    pending = list(app.routes)
    while pending:
        route = pending.pop()
        if hasattr(route, "effective_candidates"):  # an included router
            pending.extend(route.effective_candidates())
            continue
        dependant = getattr(route, "dependant", None)
        types = [getattr(route, "response_model", None)]
        if dependant is not None:
            types += [param.field_info.annotation for param in dependant.body_params]
        for kind in types:
            for model in (kind, *get_args(kind)):  # list[Submission] gives Submission
                extra = model.model_config.get("json_schema_extra") if _is_model(model) else None
                if isinstance(extra, dict) and "examples" in extra:
                    found[model.__name__] = model
                    found[f"{model.__module__.replace('.', '__')}__{model.__name__}"] = model
    return found


def _is_model(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)

"""Every error leaves the API as {"error": {"code", "message", "details"}}: a 4xx, never a trace."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException

from amity.core import i18n
from amity.core.errors import AmityError, Unauthorized
from amity.http.render import invalid_input_page, not_found_page

log = logging.getLogger("amity")


class UnknownFilter(AmityError):
    code = "unknown_filter"
    status = 400


class PayloadTooLarge(AmityError):
    code = "payload_too_large"
    status = 413


class UnsupportedMediaType(AmityError):
    code = "unsupported_media_type"
    status = 415


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    """The shape of every API error."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"error": {
        "code": "invalid_input",
        "message": "The request is not valid: query.kind.0: Input should be 'sister_city', "
                   "'friendship_city', 'friendly_exchange' or 'cooperation', not 'x'.",
        "details": {"problems": [{
            "field": "query.kind.0",
            "problem": "Input should be 'sister_city', 'friendship_city', 'friendly_exchange' "
                       "or 'cooperation', not 'x'",
            "allowed": ["sister_city", "friendship_city", "friendly_exchange", "cooperation"],
        }]},
    }}]})  # fmt: skip

    error: ErrorDetail


def _described(description: str) -> dict:
    return {"model": ErrorResponse, "description": description}


# For `responses=` on routes, so that the OpenAPI document shows the real error shape.
READ_ERRORS = {
    400: _described("Unknown query parameter"),
    404: _described("Not found"),
    422: _described("Invalid input"),
}
WRITE_ERRORS = {
    401: _described("Missing, unknown or revoked API token"),
    404: _described("Not found"),
    409: _described("Conflicts with what is stored"),
    413: _described("Body larger than the limit"),
    415: _described("Body is not application/json"),
    422: _described("Invalid input"),
}

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def error_body(code: str, message: str, details: Any = None) -> dict:
    return {"error": {"code": code, "message": message, "details": jsonable_encoder(details or {})}}


def reject_undeclared_params(request: Request) -> None:
    """The one guard against unknown query parameters, a dependency of every API route: the
    parameters a route does not declare are refused (400 unknown_filter, with the allowed ones),
    so a typo (`?contry=FR`, `?hom=CN`) is never silently ignored and answered with everything.
    """
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    allowed = _declared_query_params(route)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise UnknownFilter(
            f"Unknown query parameters: {', '.join(unknown)}.",
            {"unknown": unknown, "allowed": sorted(allowed)},
        )


_DECLARED: dict[int, frozenset[str]] = {}


def _declared_query_params(route) -> frozenset[str]:
    key = id(route)  # routes live as long as the app and are not hashable
    if key not in _DECLARED:
        _DECLARED[key] = frozenset(_query_names(route.dependant))
    return _DECLARED[key]


def _query_names(dependant) -> set[str]:
    """Query parameter names of a route and its dependencies (a model's fields count each)."""
    names: set[str] = set()
    for field in dependant.query_params:
        model = field.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            names |= {info.alias or name for name, info in model.model_fields.items()}
        else:
            names.add(field.alias)
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def require_json(request: Request) -> None:
    """A dependency refusing write bodies that are not application/json (415)."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise UnsupportedMediaType(
            "Send the body as application/json.", {"content_type": content_type or None}
        )


def _wants_page(request: Request, status: int) -> bool:
    """A missing page (not an API resource) gets the HTML 404 in the visitor's language."""
    path = request.url.path
    return status == 404 and not path.startswith(("/api/", "/openapi.json", "/static/"))


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/openapi.json", "/static/"))


def _invalid_input_page(request: Request, fields: list[str]) -> Response:
    return invalid_input_page(request, fields)


def _not_found_page(request: Request, message: str) -> Response:
    return not_found_page(request, message)


def _problem(err: dict) -> dict:
    """One validation error as the API says it: the field, the problem, and for a parameter
    with a fixed set of values (a Literal or an Enum), the value given and the values allowed."""
    problem = {"field": ".".join(str(p) for p in err["loc"]), "problem": err["msg"]}
    expected = (err.get("ctx") or {}).get("expected")
    if err["type"] in ("literal_error", "enum") and isinstance(expected, str):
        problem["allowed"] = re.findall(r"'([^']*)'", expected)
        problem["problem"] = f"{err['msg']}, not {err.get('input')!r}"
    return problem


def install(app: FastAPI) -> None:
    @app.exception_handler(AmityError)
    async def amity_error(request: Request, exc: AmityError) -> Response:
        if _wants_page(request, exc.status):
            return _not_found_page(request, exc.message)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(
            error_body(exc.code, i18n.error_text(exc, i18n.choose_locale(request)), exc.details),
            status_code=exc.status,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [_problem(err) for err in exc.errors()]
        if _is_page(request):  # a page's address (an id past the range): an HTML 422
            return _invalid_input_page(request, [p["field"] for p in problems])
        said = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        message = f"The request is not valid: {said}."
        return JSONResponse(
            error_body("invalid_input", message, {"problems": problems}),
            status_code=422,
        )

    # An id or number past the database's integer range (SQLite raises OverflowError at binding,
    # PostgreSQL a DataError), or text longer than a column: the request's fault, not ours.
    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, _exc: Exception) -> Response:
        if _is_page(request):
            return _invalid_input_page(request, [])
        return JSONResponse(
            error_body("invalid_input", "A value in the request is out of range."),
            status_code=422,
        )

    # The database is unreachable (restarting, network down): the pool's pre-ping reconnects once
    # it is back, so the client should retry; a 503, not a 500. Other driver errors (an integrity
    # error that slipped past the services) stay 500s.
    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if not (isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated):
            return await unexpected(request, exc)
        log.warning("database unavailable: %s", exc.orig.__class__.__name__, exc_info=exc)
        return JSONResponse(
            error_body("database_unavailable", "The database is unavailable; try again shortly."),
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _wants_page(request, exc.status_code):
            return _not_found_page(request, str(exc.detail))
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(
            error_body("internal_error", "Something went wrong on our side."), status_code=500
        )

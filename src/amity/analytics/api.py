"""Analytics API: network report, ego networks, statistics, layout balance and exports."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from amity.analytics import export as exports
from amity.analytics import network, scope, service
from amity.analytics.schemas import (
    Dashboard,
    EgoNetwork,
    LayoutBalance,
    Lines,
    NetworkReport,
    Statistics,
)
from amity.analytics.stats import stats_report
from amity.core import cache, i18n
from amity.core.bounds import Id
from amity.core.errors import InvalidInput
from amity.core.spreadsheets import CSV_ENCODING_HELP, CsvEncoding
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS
from amity.partnerships.schemas import RegistryStats
from amity.partnerships.service import registry_cached

router = APIRouter(prefix="/api/v1", tags=["analytics"])

_HOME = "The home country: an ISO 3166-1 alpha-2 code (default AMITY_HOME_COUNTRY)."


def home_query(home: str | None = Query(None, max_length=100, description=_HOME)) -> str | None:
    """The home country's code as given, refused at once when it cannot be one (home=Africa),
    with the allowed form and the parameter a continent goes to."""
    if home is not None and not (len(home) == 2 and home.isascii() and home.isalpha()):
        raise InvalidInput(
            f"home must be {scope.COUNTRY_FORMAT}, not {home}. For a continent use "
            f"continent= one of: {', '.join(scope.CONTINENTS)} (GET /api/v1/statistics).",
            {"home": home, "allowed": scope.COUNTRY_FORMAT},
        )
    return home


HOME = Depends(home_query)


def _cached_json(session: Session, name: str, compute: Callable[[], Any]) -> Response:
    """The JSON text of a cached result, itself cached: a repeated answer is one query."""
    body = registry_cached(session, f"json:{name}", lambda: json.dumps(compute()).encode("utf-8"))
    return Response(body, media_type="application/json")


@router.get("/network", response_model=NetworkReport, responses=READ_ERRORS)
def get_network(session: Session = SESSION) -> Response:
    """Network analysis of the whole registry. After a write, the previous report is answered
    (its `as_of.current` false) while the new one is computed."""
    report = network.network_report(session)
    stamp = report["as_of"]
    body = cache.cached(
        (cache.database_key(session), "json:network"),
        (stamp["version"], stamp["current"]),
        lambda: json.dumps(report).encode("utf-8"),
    )
    return Response(body, media_type="application/json")


@router.get("/network/ego/{place_id}", response_model=EgoNetwork, responses=READ_ERRORS)
def get_ego_network(
    place_id: Id,
    radius: int = Query(1, ge=1, le=network.MAX_EGO_RADIUS),
    session: Session = SESSION,
) -> dict[str, Any]:
    """The places within `radius` partnerships of a place, and the partnerships among them."""
    return network.ego_network(session, place_id, radius)


_CONTINENT = f"Only partnerships with this continent: one of {', '.join(scope.CONTINENTS)}."
_COUNTRY = f"Only partnerships with this country: {scope.COUNTRY_FORMAT}."


@router.get("/statistics", response_model=Statistics, responses=READ_ERRORS)
def get_statistics(
    home: str | None = HOME,
    continent: str | None = Query(None, max_length=100, description=_CONTINENT),
    country: str | None = Query(None, max_length=100, description=_COUNTRY),
    session: Session = SESSION,
) -> Response:
    """Partnerships counted by country, continent, region, province, level, kind, status, decade;
    the twin of the page /statistics. With `continent` or `country` (not both), only the
    partnerships with a side there: the home tables count the home country's partners there,
    the world tables every pair touching it. `scope` in the answer names what was counted."""
    code = service.resolve_home(session, home)
    chosen = scope.resolve_scope(service.snapshot(session), continent, country)
    return _cached_json(
        session,
        f"statistics:{code}:{chosen.key}",
        lambda: service.statistics(
            session, home=code, continent=chosen.continent, country=chosen.country
        ),
    )


@router.get("/layout", response_model=LayoutBalance, responses=READ_ERRORS)
def get_layout(
    home: str | None = HOME,
    session: Session = SESSION,
) -> Response:
    """Layout balance: province inequality and partner-country concentration."""
    code = service.resolve_home(session, home)
    return _cached_json(
        session, f"layout:{code}", lambda: service.layout_balance(session, home=code)
    )


@router.get("/lines", response_model=Lines, responses=READ_ERRORS)
def get_lines(
    country: str | None = Query(None, min_length=2, max_length=2, description="ISO2; either side."),
    province: str | None = Query(None, pattern=r"^\d{2}0000$", description="GB/T 2260 code."),
    place: Id | None = Query(None, ge=1, description="A place id: its partnerships."),
    limit: int = Query(service.MAX_LINES, ge=1, le=service.MAX_LINES),
    session: Session = SESSION,
) -> dict[str, Any]:
    """Partnership lines for a map: pairs with coordinates, with the places at their ends."""
    return service.partnership_lines(
        session, country=country, province=province, place=place, limit=limit
    )


@router.get(
    "/export/{format}",
    response_class=Response,
    responses={
        **READ_ERRORS,
        200: {
            "description": "A download: csv, xlsx, geojson, graphml or gexf.",
            "content": {media.split(";")[0]: {} for media in exports.MEDIA_TYPES.values()},
        },
    },
)
def get_export(
    request: Request,
    format: str,
    home: str | None = HOME,
    encoding: CsvEncoding = Query("utf-8", description=CSV_ENCODING_HELP),
    lang: Literal["en", "zh"] | None = Query(
        None, description="xlsx: the workbook's language (default: the browser's)."
    ),
    raw: bool = Query(False, description="xlsx: the coded columns instead, for programs."),
    session: Session = SESSION,
) -> Response:
    """The registry as csv, xlsx, geojson, graphml or gexf, as a download. The CSV keeps codes
    and ids (UTF-8 with a byte-order mark, or `encoding=gb18030`); the Excel statistics are
    for people, in `lang` (`raw=true`: the coded columns)."""
    locale = lang or i18n.choose_locale(request)
    result = exports.export(
        session, format, home=home, encoding=encoding, locale=locale, raw=raw
    )
    return Response(
        result.content,
        media_type=result.media_type,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )


@router.get("/stats", response_model=RegistryStats, responses=READ_ERRORS)
def stats(
    home: str | None = HOME,
    session: Session = SESSION,
) -> dict:
    """Registry totals with the full statistics and layout balance, computed from the data."""
    return stats_report(session, home=home)


@router.get("/dashboard", response_model=Dashboard, responses=READ_ERRORS)
def dashboard(
    lang: Literal["en", "zh"] = Query("en", description="The language of the names."),
    session: Session = SESSION,
) -> dict:
    """The dashboard page's twin: its filter choices and the names its charts need (the charts
    themselves read /statistics, /layout, /lines and /network)."""
    return service.dashboard_choices(session, locale=lang)

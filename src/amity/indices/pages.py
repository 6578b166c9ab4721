"""Index pages: the ranking with rank intervals, a city's profile, two cities, the method."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from amity.analytics.service import province_choices
from amity.core import i18n
from amity.core.bounds import Id
from amity.core.errors import AmityError
from amity.core.settings import get_settings
from amity.http.deps import SESSION
from amity.http.render import render
from amity.indices import service
from amity.indices.framework import frameworks
from amity.places.service import country_choices

router = APIRouter()
REGIONS = ("east", "central", "west", "northeast")


def _common(request: Request, session: Session) -> dict:
    locale = i18n.choose_locale(request)
    home = get_settings().home_country
    return {
        "frameworks": [(f.name, f.title[locale]) for f in frameworks().values()],
        "countries": country_choices(session, locale, home),
        "provinces": province_choices(locale),
        "regions": REGIONS,
        "bands": [b[0] for b in service.POPULATION_BANDS] + [service.UNKNOWN_BAND],
        "levels": service.LEVELS,
        "lang": locale,
    }


def _radar(pillars: list[dict], locale: str, series: list[tuple[str, dict]]) -> dict:
    """The radar's axes (the pillars with data, 0–100) and one line per place."""
    live = [p for p in pillars if p["available"]]
    return {
        "axes": [p["label"][locale] for p in live],
        "series": [
            {"name": name, "values": [values.get(p["code"]) for p in live]}
            for name, values in series
        ],
    }


@router.get("/index", response_class=HTMLResponse)
def ranking_page(
    request: Request,
    framework: str | None = Query(None),
    level: str | None = Query(None),
    country: str | None = Query(None),
    province: str | None = Query(None),
    region: str | None = Query(None),
    population_band: str | None = Query(None),
    page: Annotated[Id, Query()] = 1,
    session: Session = SESSION,
) -> HTMLResponse:
    filters = {"framework": framework or None, "level": level or None, "country": country or None,
               "province": province or None, "region": region or None,
               "population_band": population_band or None}  # fmt: skip
    try:
        ranking = service.ranking(session, page=page, **filters)
        error = None
    except AmityError as problem:
        ranking, error = None, i18n.error_text(problem, i18n.choose_locale(request))
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request, "indices/ranking.html", ranking=ranking, error=error, filters=filters,
        query=query, **_common(request, session),
    )  # fmt: skip


@router.get("/index/places/{place_id}", response_class=HTMLResponse)
def place_page(
    request: Request,
    place_id: Id,
    framework: str | None = Query(None),
    session: Session = SESSION,
) -> HTMLResponse:
    profile = service.place_index(session, place_id, framework=framework or None)
    locale = i18n.choose_locale(request)
    radar = _radar(
        profile["pillar_info"], locale,
        [(i18n.place_name(profile, locale), profile["pillars"]),
         (i18n.translations(locale).gettext("Peers (mean)"), profile["peers"]["pillars"])],
    )  # fmt: skip
    return render(
        request, "indices/place.html", profile=profile, radar=radar, **_common(request, session)
    )


@router.get("/index/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    a: Annotated[Id, Query()],
    b: Annotated[Id, Query()],
    framework: str | None = Query(None),
    session: Session = SESSION,
) -> HTMLResponse:
    pair = service.compare(session, a, b, framework=framework or None)
    locale = i18n.choose_locale(request)
    radar = _radar(
        pair["a"]["pillar_info"],
        locale,
        [(i18n.place_name(pair[k], locale), pair[k]["pillars"]) for k in ("a", "b")],
    )
    return render(
        request, "indices/compare.html", pair=pair, radar=radar, **_common(request, session)
    )


@router.get("/index/methodology", response_class=HTMLResponse)
def methodology_page(
    request: Request,
    framework: str | None = Query(None),
    level: str | None = Query(None),
    session: Session = SESSION,
) -> HTMLResponse:
    report = service.framework_report(session, framework or None, level=level or None)
    return render(request, "indices/method.html", report=report, **_common(request, session))

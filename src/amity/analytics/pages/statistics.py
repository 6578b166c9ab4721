"""The statistics page: the home country's partnerships with a continent or a country, as tables.

Its JSON twin is GET /api/v1/statistics with the same `continent` or `country`. A value the
page cannot use is shown as a message listing what it takes, with a 422, and the page counts
everything meanwhile.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from amity.analytics import scope, service
from amity.core import i18n
from amity.core.errors import InvalidInput
from amity.http.deps import SESSION
from amity.http.render import render
from amity.places.service import country_choices

router = APIRouter()


@router.get("/statistics", response_class=HTMLResponse)
def statistics_page(request: Request, session: Session = SESSION) -> HTMLResponse:
    locale = i18n.choose_locale(request)
    continent = request.query_params.get("continent", "").strip()
    country = request.query_params.get("country", "").strip()
    snap = service.snapshot(session)
    problem = None
    try:
        chosen = scope.resolve_scope(snap, continent, country)
    except InvalidInput as error:
        problem = _problem(snap, error, continent, country, locale)
        chosen = scope.Scope()
    stats = service.statistics(
        session, continent=chosen.continent, country=chosen.country
    )
    home = stats["home"]["country"]
    selection = [(k, v) for k, v in (("continent", chosen.continent), ("country", chosen.country))
                 if v]  # fmt: skip
    return render(
        request,
        "analytics/statistics.html",
        stats=stats,
        home=home,
        chosen=chosen,
        continents=scope.CONTINENTS,
        countries=country_choices(session, locale, home),
        problem=problem,
        json_url="/api/v1/statistics" + ("?" + urlencode(selection) if selection else ""),
        list_url=_list_url(chosen),
        status_code=422 if problem else 200,
    )


def _problem(snap, error: InvalidInput, continent: str, country: str, locale: str) -> dict:
    """What the template says about a value it could not use (in the page's language)."""
    details = error.details or {}
    if continent and country:
        return {"kind": "both"}
    if "continent" in details:
        _ = i18n.translations(locale).gettext
        if locale == "zh":  # 非洲（Africa）、亚洲（Asia）…: the name and the value the URL takes
            allowed = "、".join(f"{_(c)}（{c}）" for c in scope.CONTINENTS)
        else:
            allowed = ", ".join(scope.CONTINENTS)
        code = continent.upper()
        info = snap.countries.get(code)
        name = (
            i18n.country_name(code, locale, name_zh=info.name_zh)  # else CLDR's, in the locale
            if info
            else None
        )
        return {"kind": "continent", "value": continent, "allowed": allowed,
                "country_code": code if info else None, "country_name": name}  # fmt: skip
    return {"kind": "country", "value": country}


def _list_url(chosen: scope.Scope) -> str:
    """The partnerships list with a side in the continent or country (all of them)."""
    if chosen.country:
        return "/partnerships?" + urlencode([("country", chosen.country)])
    if chosen.continent:
        return "/partnerships?" + urlencode([("continent", chosen.continent)])
    return "/partnerships"

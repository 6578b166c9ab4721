"""The home page: headline figures and the world map of partnerships per country."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.conventions import home_regions
from amity.core.settings import get_settings
from amity.http.deps import SESSION
from amity.http.render import render
from amity.partnerships import service
from amity.partnerships.schemas import PartnershipQuery

router = APIRouter()
TOP_COUNTRIES = 15


def map_rows(country_facet: list[dict], locale: str, home: str) -> list[dict]:
    """Choropleth rows by ISO2 code; HK/MO/TW take the home country's colour, never their own."""
    rows = {}
    for entry in country_facet:
        iso2 = entry["value"]
        label = i18n.country_name(
            iso2, locale, name_en=entry["label"], name_zh=entry.get("label_zh"), home=home
        )
        rows[iso2] = {
            "name": iso2,
            "value": entry["count"],
            "label": label,
            "href": f"/partnerships?country={iso2}",
        }
    if home in rows:
        # The home country's regions take its colour on the map (they are not countries).
        for region in home_regions(home):
            rows[region] = {**rows[home], "name": region}
    return list(rows.values())


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, session: Session = SESSION) -> HTMLResponse:
    locale = i18n.choose_locale(request)
    home = get_settings().home_country
    stats = service.registry_stats(session)
    countries = service.list_partnerships(session, PartnershipQuery(per_page=1))["facets"]
    rows = map_rows(countries.get("country", []), locale, home)
    shown = [r for r in rows if r["name"] not in home_regions(home)]
    top = sorted(shown, key=lambda r: -r["value"])[:TOP_COUNTRIES]
    return render(
        request,
        "partnerships/home.html",
        stats=stats,
        map_rows=rows,
        top_countries=[{"iso2": r["name"], **r} for r in top],
    )

"""The dashboard: maps and charts of the analytics services, drawn in the browser.

The page itself carries only the filter choices and the translated labels; every chart fetches
its JSON twin (an /api/v1 address) after the first paint, so the network report never delays it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analytics.official import china_provinces
from amity.core import i18n
from amity.core.conventions import home_regions
from amity.core.settings import get_settings
from amity.http.deps import SESSION
from amity.http.render import render
from amity.places.models import Country

router = APIRouter()


def country_choices(session: Session, locale: str, home: str) -> list[dict[str, str]]:
    """Countries for the map filter, named in the locale; HK/MO/TW as regions of China."""
    rows = session.execute(select(Country.iso2, Country.name_en, Country.name_zh)).all()
    choices = [
        {
            "value": iso2,
            "label": i18n.country_name(iso2, locale, name_en=en, name_zh=zh, home=home),
        }
        for iso2, en, zh in rows
    ]
    return sorted(choices, key=lambda c: i18n.sort_key(c["label"], locale))


def province_choices(locale: str) -> list[dict[str, str]]:
    """China's provincial-level divisions for the map filter, by GB/T 2260 code."""
    return [
        {"value": code, "label": row["name_zh"] if locale == "zh" else row["name_en"]}
        for code, row in sorted(china_provinces().items())
    ]


def chart_names(locale: str, home: str) -> dict[str, Any]:
    """What the charts' script needs that the API leaves coded: provinces (name, belt, capital)
    and the names of China's regions HK/MO/TW."""
    provinces = {
        code: {
            "name": row["name_zh"] if locale == "zh" else row["name_en"],
            "region3": row["region3"] or None,
            "capital": [float(row["capital_lon"]), float(row["capital_lat"])],
        }
        for code, row in china_provinces().items()
    }
    regions = {iso2: i18n.country_name(iso2, locale, home=home) for iso2 in home_regions(home)}
    return {"provinces": provinces, "china_regions": regions}


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, session: Session = SESSION) -> HTMLResponse:
    locale = i18n.choose_locale(request)
    home = get_settings().home_country
    return render(
        request,
        "analytics/dashboard.html",
        home=home,
        countries=country_choices(session, locale, home),
        provinces=province_choices(locale) if home == "CN" else [],
        names=chart_names(locale, home),
    )

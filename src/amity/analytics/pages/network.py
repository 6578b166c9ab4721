"""The network page: every figure of the network report, with the degree chart and ego networks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from amity.analytics import export
from amity.analytics.network import network_report
from amity.analytics.service import chart_names
from amity.core import i18n
from amity.core.settings import get_settings
from amity.http.deps import SESSION
from amity.http.render import render
from amity.places.service import country_choices

router = APIRouter()


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, session: Session = SESSION) -> HTMLResponse:
    locale = i18n.choose_locale(request)
    home = get_settings().home_country
    return render(
        request,
        "analytics/network.html",
        report=network_report(session),
        export_formats=export.FORMATS,
        names=chart_names(locale, home),
        country_labels={c["value"]: c["label"] for c in country_choices(session, locale, home)},
    )

"""The dashboard: maps and charts of the analytics services, drawn in the browser.

The page itself carries only the filter choices and the translated labels; every chart fetches
its JSON twin (an /api/v1 address) after the first paint, so the network report never delays it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from amity.analytics import scope, service
from amity.core import i18n
from amity.http.deps import SESSION
from amity.http.render import render

router = APIRouter()


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, session: Session = SESSION) -> HTMLResponse:
    choices = service.dashboard_choices(session, locale=i18n.choose_locale(request))
    return render(request, "analytics/dashboard.html", continents=scope.CONTINENTS, **choices)

"""About the data: every source and licence, with figures computed from the database."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from amity.http.deps import SESSION
from amity.http.render import render
from amity.partnerships import service
from amity.partnerships.schemas import PartnershipQuery

router = APIRouter()


@router.get("/about/data", response_class=HTMLResponse)
def about_data(request: Request, session: Session = SESSION) -> HTMLResponse:
    facets = service.list_partnerships(session, PartnershipQuery(per_page=1))["facets"]
    return render(
        request,
        "partnerships/about_data.html",
        stats=service.registry_stats(session),
        by_source=facets.get("source", []),
    )

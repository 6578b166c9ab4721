"""The friendship-city awards: the award types and editions, and each edition's results."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from amity.core.bounds import Year
from amity.events import awards
from amity.http.deps import SESSION
from amity.http.render import render

router = APIRouter()


@router.get("/awards", response_class=HTMLResponse)
def award_list(request: Request, session: Session = SESSION) -> HTMLResponse:
    return render(
        request,
        "events/awards.html",
        award_types=[awards.award_type_dict(a) for a in awards.list_award_types(session)],
        editions=[awards.edition_dict(e) for e in awards.list_editions(session)],
    )


@router.get("/awards/{year:int}", response_class=HTMLResponse)
def award_edition(year: Year, request: Request, session: Session = SESSION):
    return render(request, "events/award_edition.html", edition=awards.results(session, year))

"""The annual report as JSON: GET /api/v1/reports/{place_id}/{year}."""

from __future__ import annotations

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session

from amity.reports.service import annual_report
from amity.web.deps import SESSION
from amity.web.errors import READ_ERRORS

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.get("/reports/{place_id}/{year}", responses=READ_ERRORS)
def report(
    place_id: int = Path(ge=1, description="The place's id (a province covers its cities)."),
    year: int = Path(description="The report's year."),
    session: Session = SESSION,
) -> dict:
    """A place's annual report: partnerships, new and dormant ones, exchanges, partners, map."""
    return annual_report(session, place_id, year)

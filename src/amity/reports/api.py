"""The annual report as JSON: GET /api/v1/reports/{place_id}/{year}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session

from amity.core.bounds import Id, Year
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS
from amity.reports.schemas import AnnualReport
from amity.reports.service import annual_report

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.get("/reports/{place_id}/{year}", response_model=AnnualReport, responses=READ_ERRORS)
def get_annual_report(
    place_id: Annotated[Id, Path(description="The place's id (a province covers its cities).")],
    year: Annotated[Year, Path(description="The report's year.")],
    session: Session = SESSION,
) -> dict:
    """A place's annual report: partnerships, new and dormant ones, exchanges, partners, map."""
    return annual_report(session, place_id, year)

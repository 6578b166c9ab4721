"""The case library API under /api/v1: search with highlights and facets, reads, writes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor
from amity.auth.web import api_actor
from amity.cases import service
from amity.cases.schemas import (
    MAX_PER_PAGE,
    CaseCreate,
    CaseQuery,
    CaseRead,
    CaseResults,
    CaseUpdate,
)
from amity.cases.search import search_cases
from amity.core.bounds import Id, Year
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS, WRITE_ERRORS, require_json

router = APIRouter(prefix="/api/v1", tags=["cases"])

CaseId = Annotated[Id, Path(description="The case's id.")]
_write = {
    "responses": WRITE_ERRORS,
    "dependencies": [Depends(require_json)],
}


def case_query(
    q: str | None = Query(
        None, max_length=200, description='Words in Chinese or English; "quoted" for a phrase.'
    ),
    field: list[str] = Query([], description="A field code (repeat for any of several)."),
    mode: list[str] = Query([], description="A mode code."),
    year: list[Year] = Query([]),
    country: list[str] = Query([], description="ISO 3166-1 alpha-2."),
    place: list[Id] = Query([], description="A place id."),
    page: Annotated[Id, Query()] = 1,
    per_page: int = Query(20, ge=1, le=MAX_PER_PAGE),
) -> CaseQuery:
    """The search from the URL."""
    try:
        return CaseQuery(
            q=q, field=field, mode=mode, year=year, country=country, place=place,
            page=page, per_page=per_page,
        )  # fmt: skip
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in error.errors()]
        ) from None


@router.get("/cases", response_model=CaseResults, responses=READ_ERRORS)
def list_cases(
    query: CaseQuery = Depends(case_query), session: Session = SESSION
) -> dict:
    """Cases matching the words and filters, best first, with highlights and facet counts.

    Chinese is cut into words with jieba, so two-character words (苹果, 大学, 友城) are found;
    English words match their plurals. Highlights are HTML with the matched words in <mark>.
    """
    return search_cases(session, query)


@router.get("/cases/{case_id}", response_model=CaseRead, responses=READ_ERRORS)
def get_case(case_id: CaseId, session: Session = SESSION) -> dict:
    """One case, in both languages, with its places, fields, modes and source."""
    return service.case_dict(service.get_case(session, case_id))


@router.post("/cases", response_model=CaseRead, status_code=201, **_write)
def create_case(
    data: CaseCreate, session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> dict:
    """Add a case (a title in either language and a source are required)."""
    return service.case_dict(service.create_case(session, data, actor=actor))


@router.patch("/cases/{case_id}", response_model=CaseRead, **_write)
def update_case(
    changes: CaseUpdate, case_id: CaseId, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:  # fmt: skip
    """Change the fields sent."""
    return service.case_dict(service.update_case(session, case_id, changes, actor=actor))


@router.delete(
    "/cases/{case_id}",
    status_code=204,
    responses=WRITE_ERRORS,
)
def delete_case(
    case_id: CaseId, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> Response:  # fmt: skip
    """Remove a case."""
    service.delete_case(session, case_id, actor=actor)
    return Response(status_code=204)

"""The events and awards API under /api/v1 (the iCalendar exports are with the pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor
from amity.auth.web import api_actor
from amity.core.bounds import Id, Year
from amity.events import awards, service
from amity.events.schemas import (
    Awards,
    EditionCreate,
    EditionRead,
    EditionResults,
    EventCreate,
    EventKind,
    EventList,
    EventQuery,
    EventRead,
    EventUpdate,
    NominationCreate,
    NominationCreated,
    ScoreCreate,
    ScoreRead,
)
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS, WRITE_ERRORS, require_json

router = APIRouter(prefix="/api/v1", tags=["events"])

EventId = Annotated[Id, Path(description="The event's id.")]
_write = {
    "responses": WRITE_ERRORS,
    "dependencies": [Depends(require_json)],
}


def event_query(
    year: list[Year] = Query([]),
    kind: list[EventKind] = Query([]),
    place: list[Id] = Query([], description="A place id."),
    country: list[str] = Query([], description="ISO 3166-1 alpha-2 of the event's place."),
    series: list[str] = Query([], description="A recurring event, e.g. cifcc, ifpd."),
) -> EventQuery:
    """The selection from the URL (repeat a parameter for any of several values)."""
    try:
        return EventQuery(year=year, kind=kind, place=place, country=country, series=series)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in error.errors()]
        ) from None


@router.get("/events", response_model=EventList, responses=READ_ERRORS)
def list_events(
    query: EventQuery = Depends(event_query), session: Session = SESSION
) -> dict:
    """Events matching the filters, by date (undated ones last)."""
    events = service.list_events(session, query)
    return {"total": len(events), "items": [service.event_dict(e) for e in events]}


@router.get("/events/{event_id}", response_model=EventRead, responses=READ_ERRORS)
def get_event(event_id: EventId, session: Session = SESSION) -> dict:
    return service.event_dict(service.get_event(session, event_id))


@router.post("/events", response_model=EventRead, status_code=201, **_write)
def create_event(
    data: EventCreate, session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> dict:
    """Add an event (a name, a kind and a source; dates may be partial: 2012, 2012-05)."""
    return service.event_dict(service.create_event(session, data, actor=actor))


@router.patch("/events/{event_id}", response_model=EventRead, **_write)
def update_event(
    changes: EventUpdate, event_id: EventId, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:  # fmt: skip
    return service.event_dict(service.update_event(session, event_id, changes, actor=actor))


@router.delete(
    "/events/{event_id}",
    status_code=204,
    responses=WRITE_ERRORS,
)
def delete_event(
    event_id: EventId, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> Response:  # fmt: skip
    service.delete_event(session, event_id, actor=actor)
    return Response(status_code=204)


@router.get("/awards", response_model=Awards, responses=READ_ERRORS)
def list_awards(session: Session = SESSION) -> dict:
    """The award types and the editions."""
    return {
        "award_types": [awards.award_type_dict(a) for a in awards.list_award_types(session)],
        "editions": [awards.edition_dict(e) for e in awards.list_editions(session)],
    }


@router.get("/awards/{year}", response_model=EditionResults, responses=READ_ERRORS)
def edition_results(
    year: int = Path(ge=1973, le=2100), session: Session = SESSION
) -> dict:
    """An edition's nominations per award type, ranked by mean score, winners marked."""
    return awards.results(session, year)


@router.post("/awards", response_model=EditionRead, status_code=201, **_write)
def create_edition(
    data: EditionCreate, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:  # fmt: skip
    return awards.edition_dict(awards.create_edition(session, data, actor=actor))


@router.post(
    "/awards/{year}/nominations", response_model=NominationCreated, status_code=201, **_write
)
def nominate(
    data: NominationCreate,
    year: int = Path(ge=1973, le=2100),
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:
    nomination = awards.nominate(session, year, data, actor=actor)
    return {"id": nomination.id, "award": data.award}


@router.post(
    "/nominations/{nomination_id}/scores", response_model=ScoreRead, status_code=201, **_write
)
def add_score(
    data: ScoreCreate,
    nomination_id: Annotated[Id, Path()],
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:
    entry = awards.score(session, nomination_id, data, actor=actor)
    return {"id": entry.id, "judge": entry.judge, "criterion": entry.criterion,
            "score": entry.score}  # fmt: skip

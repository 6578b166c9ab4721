"""Events: create, change, delete, read, list with filters, and the calendar by year and month."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.attachments import service as attachments
from amity.auth import audit
from amity.auth.permissions import LOCAL_ADMIN, Actor, guard
from amity.core.errors import InvalidInput, NotFound
from amity.events.models import Event, EventSession
from amity.events.schemas import EventCreate, EventQuery, EventUpdate
from amity.places.models import Place

_SCALARS = (
    "name_zh", "name_en", "kind", "series", "edition", "theme_zh", "theme_en", "organisers",
    "co_sponsors", "speakers", "starts", "ends", "place_id", "venue", "attendance",
    "description_zh", "description_en", "source", "source_url",
)  # fmt: skip


def get_event(session: Session, event_id: int) -> Event:
    """The event with this id, or NotFound."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"No event with id {event_id}.", {"event_id": event_id})
    return event


def create_event(session: Session, data: EventCreate, *, actor: Actor | str = LOCAL_ADMIN) -> Event:
    """Store a new event with its sessions (officers: an event in one of their places)."""
    who = guard(actor, "event.write", _place(session, data.place_id))
    event = Event()
    _apply(session, event, data.model_dump())
    session.add(event)
    session.flush()
    audit.record(session, actor=who, action="create", entity="event", entity_id=event.id,
                 after=event_dict(event))  # fmt: skip
    return event


def _place(session: Session, place_id: int | None) -> list[Place]:
    place = session.get(Place, place_id) if place_id is not None else None
    return [place] if place is not None else []


def update_event(
    session: Session, event_id: int, changes: EventUpdate, *, actor: Actor | str = LOCAL_ADMIN
) -> Event:
    """Change the fields sent (sessions, when sent, replace the programme)."""
    event = get_event(session, event_id)
    sent = changes.model_dump(exclude_unset=True)
    who = guard(actor, "event.write", _place(session, event.place_id))
    if "place_id" in sent:
        guard(who, "event.write", _place(session, sent["place_id"]))
    before = event_dict(event)
    _apply(session, event, sent)
    if not (event.name_zh or event.name_en) or not event.source or not event.kind:
        raise InvalidInput("An event keeps a name, a kind and its source.", {"event_id": event_id})
    if event.starts and event.ends and event.ends < event.starts:
        raise InvalidInput("The event ends before it starts.", {"event_id": event_id})
    session.flush()
    audit.record(session, actor=who, action="update", entity="event", entity_id=event.id,
                 before=before, after=event_dict(event))  # fmt: skip
    return event


def delete_event(session: Session, event_id: int, *, actor: Actor | str = LOCAL_ADMIN) -> None:
    """Remove an event and its sessions."""
    event = get_event(session, event_id)
    who = guard(actor, "event.write", _place(session, event.place_id))
    audit.record(session, actor=who, action="delete", entity="event", entity_id=event.id,
                 before=event_dict(event))  # fmt: skip
    attachments.forget_owner(session, "event", event.id, actor=who)
    session.delete(event)
    session.flush()


def _apply(session: Session, event: Event, values: dict[str, Any]) -> None:
    if values.get("place_id") is not None and session.get(Place, values["place_id"]) is None:
        raise NotFound(f"No place with id {values['place_id']}.", {"place_id": values["place_id"]})
    for name in _SCALARS:
        if name in values:
            setattr(event, name, values[name])
    event.start_year = int(event.starts[:4]) if event.starts else None
    if "sessions" in values:
        event.sessions = [
            EventSession(position=i, **s) for i, s in enumerate(values["sessions"] or [])
        ]


def list_events(session: Session, query: EventQuery) -> list[Event]:
    """Events matching the filters, by date (undated ones last, by name)."""
    statement = select(Event).outerjoin(Place, Event.place_id == Place.id)
    if query.year:
        statement = statement.where(Event.start_year.in_(query.year))
    if query.kind:
        statement = statement.where(Event.kind.in_(query.kind))
    if query.place:
        statement = statement.where(Event.place_id.in_(query.place))
    if query.country:
        statement = statement.where(Place.country_code.in_(query.country))
    if query.series:
        statement = statement.where(Event.series.in_(query.series))
    statement = statement.order_by(
        Event.starts.is_(None), Event.starts, func.coalesce(Event.name_en, Event.name_zh), Event.id
    )
    return list(session.scalars(statement).unique())


def event_dict(event: Event) -> dict[str, Any]:
    """The JSON description of an event shared by the API and the pages."""
    place = event.place
    return {
        "id": event.id,
        **{name: getattr(event, name) for name in _SCALARS},
        "start_year": event.start_year,
        "place": None
        if place is None
        else {
            "id": place.id,
            "name": place.name,
            "name_zh": place.name_zh,
            "country": place.country_code,
        },  # fmt: skip
        "sessions": [
            {
                "title_zh": s.title_zh,
                "title_en": s.title_en,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "speakers": s.speakers or [],
            }
            for s in event.sessions
        ],  # fmt: skip
    }


def calendar(events: list[Event]) -> list[dict[str, Any]]:
    """Events grouped by year, then month (None: the month is not known), newest year first."""
    years: dict[int | None, dict[int | None, list[Event]]] = defaultdict(lambda: defaultdict(list))
    for event in events:
        month = int(event.starts[5:7]) if event.starts and len(event.starts) >= 7 else None
        years[event.start_year][month].append(event)
    return [
        {
            "year": year,
            "months": [
                {"month": month, "events": months[month]}
                for month in sorted(months, key=lambda m: (m is None, m or 0))
            ],
        }
        for year, months in sorted(
            years.items(), key=lambda item: (item[0] is None, -(item[0] or 0))
        )
    ]


def _newest_first(item: tuple[int | None, object]) -> tuple[bool, int]:
    return item[0] is None, -(item[0] or 0)


def _attachment_owner(session: Session, event_id: int) -> attachments.Owner:
    """An event as the attachments domain sees it: its place's officers may attach files."""
    event = get_event(session, event_id)
    places = tuple(_place(session, event.place_id))
    return attachments.Owner("event", event.id, places, "event.write", f"/events/{event.id}")


attachments.register_owner("event", _attachment_owner)

"""Events: the calendar by year and month with month grids, each event, and the .ics exports."""

from __future__ import annotations

import calendar as month_calendar
from urllib.parse import urlencode

from babel.dates import get_month_names
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.attachments import service as attachments
from amity.auth.permissions import Actor
from amity.auth.web import current_actor
from amity.core.bounds import Id
from amity.core.i18n import babel_locale, choose_locale
from amity.events import ical, service
from amity.events.models import KINDS, Event
from amity.events.schemas import EventQuery
from amity.http.deps import SESSION
from amity.http.render import render

router = APIRouter()
ICS = "text/calendar; charset=utf-8"
_FILTERS = ("year", "kind", "place", "country", "series")


def _query(request: Request) -> tuple[EventQuery, list[tuple[str, str]]]:
    params = [(k, v) for k, v in request.query_params.multi_items() if k in _FILTERS and v]
    fields: dict[str, tuple] = {}
    for key, value in params:
        fields[key] = (*fields.get(key, ()), value)
    try:
        return EventQuery.model_validate(fields), params
    except ValidationError:
        return EventQuery(), []


def month_grid(year: int, month: int, events: list[Event]) -> list[list[dict]]:
    """Weeks (Monday first) of a month, each day with its events; none when no day is known."""
    on_day: dict[int, list[Event]] = {}
    for event in events:
        if event.starts and len(event.starts) == 10:
            on_day.setdefault(int(event.starts[8:]), []).append(event)
    if not on_day:
        return []
    return [
        [{"day": day, "events": on_day.get(day, [])} for day in week]
        for week in month_calendar.monthcalendar(year, month)
    ]


@router.get("/events", response_class=HTMLResponse)
def event_calendar(request: Request, session: Session = SESSION) -> HTMLResponse:
    query, params = _query(request)
    events = service.list_events(session, query)
    return render(
        request,
        "events/events.html",
        years=service.calendar(events),
        total=len(events),
        kinds=KINDS,
        selected=dict(params),
        month_grid=month_grid,
        month_names=get_month_names("wide", locale=babel_locale(choose_locale(request))),
        ics_url="/events.ics" + ("?" + urlencode(params) if params else ""),
        api_url="/api/v1/events" + ("?" + urlencode(params) if params else ""),
    )


@router.get("/events/{event_id:int}", response_class=HTMLResponse)
def event_page(
    event_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
):  # fmt: skip
    event = service.get_event(session, event_id)
    files = attachments.section(session, actor, "event", event_id, choose_locale(request),
                                request.query_params.get("attachment_error"))  # fmt: skip
    return render(
        request,
        "events/event.html",
        event=service.event_dict(event),
        in_calendar=bool(ical.calendar_events([event])),
        attachments=files,
    )


@router.get("/events.ics")
def events_ics(request: Request, session: Session = SESSION) -> Response:
    """The selected events with a known day, as an iCalendar file."""
    query, _ = _query(request)
    body = ical.to_ics(service.list_events(session, query), locale=choose_locale(request))
    return Response(body, media_type=ICS, headers=_attachment("amity-events.ics"))


@router.get("/events/{event_id:int}.ics")
def event_ics(event_id: Id, request: Request, session: Session = SESSION):
    """One event as an iCalendar file (with no VEVENT when its day is not known)."""
    body = ical.to_ics([service.get_event(session, event_id)], locale=choose_locale(request))
    return Response(body, media_type=ICS, headers=_attachment(f"amity-event-{event_id}.ics"))


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}

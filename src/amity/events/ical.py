"""iCalendar (RFC 5545) export of events: one VEVENT per event whose day is known.

Events are all-day (DTSTART/DTEND as DATE values; DTEND is the day after the last, as the RFC
says). An event known only to the year or month has no day to put in a calendar and is left
out. The icalendar library escapes commas and semicolons and folds long lines.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from icalendar import Event as VEvent

from amity import __version__
from amity.events.models import Event

PRODID = f"-//Amity//City diplomacy events {__version__}//EN"
UID_DOMAIN = "events.amity"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value and len(value) == 10 else None


def calendar_events(events: list[Event]) -> list[Event]:
    """The events that can be placed in a calendar (their first day is known)."""
    return [event for event in events if _day(event.starts)]


def to_ics(events: list[Event], *, locale: str = "en", now: datetime | None = None) -> bytes:
    """An iCalendar file of the events, with names and descriptions in the locale."""
    stamp = now or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Amity events")
    for event in calendar_events(events):
        cal.add_component(_vevent(event, locale, stamp))
    return cal.to_ical()


def _pick(event: Event, name: str, locale: str) -> str | None:
    first, second = ("zh", "en") if locale == "zh" else ("en", "zh")
    return getattr(event, f"{name}_{first}") or getattr(event, f"{name}_{second}")


def _vevent(event: Event, locale: str, stamp: datetime) -> VEvent:
    start = _day(event.starts)
    last = _day(event.ends) or start
    vevent = VEvent()
    vevent.add("uid", f"event-{event.id}@{UID_DOMAIN}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", start)
    vevent.add("dtend", last + timedelta(days=1))
    vevent.add("summary", _pick(event, "name", locale) or "")
    location = _location(event, locale)
    if location:
        vevent.add("location", location)
    vevent.add("description", _description(event, locale))
    vevent.add("categories", [event.kind])
    if event.source_url:
        vevent.add("url", event.source_url)
    return vevent


def _location(event: Event, locale: str) -> str | None:
    place = event.place
    name = None
    if place is not None:
        name = (place.name_zh if locale == "zh" else None) or place.name
    return ", ".join(p for p in (event.venue, name) if p) or None


def _description(event: Event, locale: str) -> str:
    lines = []
    theme = _pick(event, "theme", locale)
    if theme:
        lines.append(theme)
    if event.organisers:
        lines.append("; ".join(event.organisers))
    description = _pick(event, "description", locale)
    if description:
        lines.append(description)
    lines.append(f"{'来源' if locale == 'zh' else 'Source'}: {event.source}")
    return "\n".join(lines)

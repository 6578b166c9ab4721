"""Round anniversaries of partnerships in the coming twelve months, and their .ics feed.

Round: 5, 10, 20, 25, 30, 40, 50 years, then every 10 (60, 70 ...). The window is the twelve
calendar months starting with the month of `start` (so a whole month is never cut in two).

A signing date may be partial, and no day is ever invented:
- known to the day: the anniversary is that day (in the .ics feed, as an all-day event); a
  29 February signing has no day in a common year, so it is listed by its month then;
- known to the month: listed by month ("2027-06"), not in the .ics feed;
- known to the year: listed by year ("2027") for each calendar year the window touches, not in
  the .ics feed.
Ended (terminated) and merely proposed partnerships are left out.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity import __version__
from amity.partnerships.models import Partnership
from amity.partnerships.service import place_side
from amity.places.service import office_places

FIRST_ROUND = (5, 10, 20, 25, 30, 40, 50)
MONTHS = 12


def is_round(years: int) -> bool:
    """5, 10, 20, 25, 30, 40, 50, then every ten years."""
    return years in FIRST_ROUND or (years > 50 and years % 10 == 0)


@dataclass(frozen=True)
class Window:
    """Twelve calendar months, from the first of `start`'s month."""

    first: tuple[int, int]  # (year, month)

    @classmethod
    def starting(cls, start: date) -> Window:
        return cls((start.year, start.month))

    def months(self) -> list[tuple[int, int]]:
        year, month = self.first
        return [(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1) for i in range(MONTHS)]

    def years(self) -> list[int]:
        return sorted({year for year, _ in self.months()})

    @property
    def last(self) -> tuple[int, int]:
        return self.months()[-1]


def _occasions(established: str, window: Window) -> list[tuple[str, str, int]]:
    """(when, precision, years) of each round anniversary of a signing date in the window."""
    parts = [int(p) for p in established.split("-")]
    signed_year = parts[0]
    found = []
    if len(parts) == 1:
        for year in window.years():
            if is_round(year - signed_year):
                found.append((f"{year:04d}", "year", year - signed_year))
        return found
    for year, month in window.months():
        if month != parts[1] or not is_round(year - signed_year):
            continue
        if len(parts) == 3 and parts[2] <= calendar.monthrange(year, month)[1]:
            found.append((f"{year:04d}-{month:02d}-{parts[2]:02d}", "day", year - signed_year))
        else:  # a month known, or 29 February in a common year: no day to give
            found.append((f"{year:04d}-{month:02d}", "month", year - signed_year))
    return found


def upcoming(
    session: Session, *, office_id: int | None = None, start: date | None = None
) -> dict:
    """The round anniversaries in the twelve months from `start` (default today), soonest first,
    of an office's partnerships (a province's with its cities') or of the whole registry."""
    start = start or date.today()
    window = Window.starting(start)
    statement = select(Partnership).where(
        Partnership.established.is_not(None),
        Partnership.status.not_in(("terminated", "proposed")),
    )
    office = None
    inside: set[int] = set()
    if office_id is not None:
        office, scope = office_places(session, office_id)
        inside = set(scope)
        statement = statement.where(
            Partnership.place_a_id.in_(scope) | Partnership.place_b_id.in_(scope)
        )
    items = []
    undated = 0
    for p in session.scalars(statement):
        home, partner = p.place_a, p.place_b
        if p.place_b_id in inside and p.place_a_id not in inside:
            home, partner = partner, home
        for when, precision, years in _occasions(p.established, window):
            items.append({
                "partnership_id": p.id,
                "when": when,
                "precision": precision,
                "years": years,
                "established": p.established,
                "kind": p.kind,
                "status": p.status,
                "home": place_side(home),
                "partner": place_side(partner),
                "in_calendar": precision == "day",
            })  # fmt: skip
    if office_id is not None:
        undated = _undated(session, inside)
    # A year-only anniversary sorts at the start of its year, a month-only one at its month's.
    items.sort(key=lambda i: (i["when"], i["home"]["name"], i["partner"]["name"]))
    first_year, first_month = window.first
    last_year, last_month = window.last
    return {
        "office": place_side(office) if office is not None else None,
        "start": f"{first_year:04d}-{first_month:02d}-01",
        "end": date(last_year, last_month, calendar.monthrange(last_year, last_month)[1])
        .isoformat(),
        "total": len(items),
        "in_calendar": sum(1 for i in items if i["in_calendar"]),
        "undated": undated,
        "items": items,
    }


def _undated(session: Session, inside: set[int]) -> int:
    """How many of an office's partnerships have no signing date (so no anniversary)."""
    from sqlalchemy import func

    return session.scalar(
        select(func.count()).select_from(Partnership).where(
            Partnership.established.is_(None),
            Partnership.place_a_id.in_(inside) | Partnership.place_b_id.in_(inside),
        )
    ) or 0  # fmt: skip


PRODID = f"-//Amity//Partnership anniversaries {__version__}//EN"
UID_DOMAIN = "anniversaries.amity"


def _name(side: dict, locale: str) -> str:
    return (side.get("name_zh") or side["name"]) if locale == "zh" else side["name"]


def to_ics(result: dict, *, locale: str = "en", now: datetime | None = None) -> bytes:
    """The anniversaries known to the day as an iCalendar (RFC 5545) file of all-day events;
    those known only to the month or year are left out rather than given an invented day."""
    from icalendar import Calendar, Event

    stamp = now or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Amity 友城周年纪念" if locale == "zh" else "Amity anniversaries")
    for item in result["items"]:
        if not item["in_calendar"]:
            continue
        day = date.fromisoformat(item["when"])
        pair = f"{_name(item['home'], locale)} – {_name(item['partner'], locale)}"
        if locale == "zh":
            summary = f"{pair}：结好{item['years']}周年"
            description = f"签约日期：{item['established']}。"
        else:
            summary = f"{pair}: {item['years']} years of partnership"
            description = f"Signed on {item['established']}."
        event = Event()
        event.add("uid", f"partnership-{item['partnership_id']}-{item['years']}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()

"""The annual report of a place: one dict that the page, the workbook and the PDF all render.

A province's report covers its cities too (the scoping of `places.service.office_places`).
Partnerships signed after the year are left out; dormancy is judged as of the year's end (or
today, for the current year) from the exchanges recorded up to then.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from amity.core.errors import InvalidInput, NotFound
from amity.exchanges.schemas import ExchangeQuery
from amity.exchanges.service import Activity, assess, dormant_years, iter_exchanges, pair_activity
from amity.partnerships.models import Partnership
from amity.partnerships.service import anniversaries, place_side
from amity.places.models import Country, Place
from amity.places.service import office_places

FIRST_YEAR = 1949
UNKNOWN_MONTH = 0


def check_year(year: int, *, today: date | None = None) -> int:
    """A report year: from 1949 to the current year."""
    last = (today or date.today()).year
    if not FIRST_YEAR <= year <= last:
        raise InvalidInput(f"The year must be between {FIRST_YEAR} and {last}.", {"year": year})
    return year


def annual_report(session: Session, place_id: int, year: int, *, today: date | None = None) -> dict:
    """Partnerships, new and dormant ones, exchanges by mode, field and month, partner countries
    and continents, and the map's lines, for a place (a province with its cities) and a year."""
    today = today or date.today()
    check_year(year, today=today)
    if session.get(Place, place_id) is None:
        raise NotFound(f"No place {place_id}.", {"place_id": place_id})
    place, scope = office_places(session, place_id)
    inside = set(scope)
    as_of = min(date(year, 12, 31), today)
    rows = _partnerships(session, scope, year)
    activity = pair_activity(session, places=scope)
    years = dormant_years()
    exchanges = list(
        iter_exchanges(session, ExchangeQuery(place=tuple(scope), year=(year,), sort="start"))
    )
    in_year = Counter(e["partnership_id"] for e in exchanges if e["partnership_id"])
    continents = _continents(session, rows, inside)
    partnerships = []
    for p in rows:
        pair = (p.place_a_id, p.place_b_id)
        state = assess(p, _up_to(activity.get(pair), year), today=as_of, years=years)
        home, partner = _sides(p, inside)
        partnerships.append({
            "id": p.id,
            "home": place_side(home),
            "partner": place_side(partner),
            "partner_continent": continents.get(partner.country_code),
            "kind": p.kind,
            "level": p.level,
            "status": p.status,
            "established": p.established,
            "established_year": p.established_year,
            "state": state["state"],
            "dormant": state["dormant"],
            "last_activity": state["last_activity"],
            "reasons": state["reasons"],
            "exchanges_in_year": in_year.get(p.id, 0),
        })  # fmt: skip
    dated = sum(1 for p in partnerships if p["established_year"])
    # The round anniversaries of the year after the report's: what the office can plan for.
    coming = anniversaries.upcoming(session, office_id=place_id, start=date(year + 1, 1, 1))
    return {
        "place": place_side(place) | {"kind": place.kind},
        "year": year,
        "as_of": as_of.isoformat(),
        "places_covered": len(scope),
        "dormant_years": years,
        "summary": {
            "partnerships": len(partnerships),
            "dated_partnerships": dated,
            # None, not 0, when no partnership has a signing date: the count is unknown.
            "new_partnerships": (
                sum(1 for p in partnerships if p["established_year"] == year) if dated else None
            ),
            "dormant": sum(1 for p in partnerships if p["dormant"]),
            "exchanges": len(exchanges),
            "partner_countries": len({p["partner"]["country"] for p in partnerships}),
            "continents": len({p["partner_continent"] for p in partnerships} - {None}),
        },
        "partnerships": partnerships,
        "new_partnerships": [p for p in partnerships if p["established_year"] == year],
        "dormant": [p for p in partnerships if p["dormant"]],
        "anniversaries_year": year + 1,
        "anniversaries": coming["items"],
        "exchanges": [_exchange(e, inside) for e in exchanges],
        "by_mode": _tally(exchanges, "mode"),
        "by_field": _tally(exchanges, "field"),
        "by_month": _by_month(exchanges),
        "countries": _countries(partnerships),
        "by_continent": _count(p["partner_continent"] for p in partnerships),
        "map": {
            "place": {
                "name": place.name,
                "name_zh": place.name_zh,
                "lat": place.lat,
                "lon": place.lon,
            },
            "partners": _map_partners(partnerships),
        },  # fmt: skip
    }


def _partnerships(session: Session, scope: list[int], year: int) -> list[Partnership]:
    """The scope's partnerships, except those signed after the year (undated ones stay)."""
    return list(
        session.scalars(
            select(Partnership)
            .where(
                or_(Partnership.place_a_id.in_(scope), Partnership.place_b_id.in_(scope)),
                or_(Partnership.established_year.is_(None), Partnership.established_year <= year),
            )
            .order_by(Partnership.id)
        )
    )


def _up_to(activity: Activity | None, year: int) -> Activity | None:
    """A pair's activity as it stood at the end of `year` (later exchanges not yet known)."""
    if activity is None or not activity.last or int(activity.last[:4]) <= year:
        return activity
    per_year = Counter({y: n for y, n in activity.per_year.items() if y <= year})
    if not per_year:
        return None
    # The day of the last exchange up to then is not kept; its year is (read as 31 December).
    return replace(activity, count=sum(per_year.values()), last=str(max(per_year)),
                   per_year=per_year)  # fmt: skip


def _sides(p: Partnership, inside: set[int]):
    """(the place of the report's scope, its partner); a pair inside the scope reads a → b."""
    if p.place_b_id in inside and p.place_a_id not in inside:
        return p.place_b, p.place_a
    return p.place_a, p.place_b


def _continents(session: Session, rows: list[Partnership], inside: set[int]) -> dict[str, str]:
    codes = {_sides(p, inside)[1].country_code for p in rows}
    rows = session.execute(select(Country.iso2, Country.continent).where(Country.iso2.in_(codes)))
    return {key: value for key, value in rows}


def _exchange(item: dict, inside: set[int]) -> dict:
    home, partner = (item["b"], item["a"]) if item["b"]["id"] in inside and item["a"]["id"] \
        not in inside else (item["a"], item["b"])  # fmt: skip
    keep = ("id", "partnership_id", "title", "mode", "mode_label", "mode_label_zh", "fields",
            "field_labels", "field_labels_zh", "start", "end", "direction", "source")  # fmt: skip
    return {k: item[k] for k in keep} | {"home": home, "partner": partner}


def _tally(exchanges: list[dict], facet: str) -> list[dict]:
    """Counts by mode or by field (an exchange counts once in each of its fields), most first."""
    counts: Counter = Counter()
    labels: dict[str, tuple[str, str]] = {}
    for e in exchanges:
        if facet == "mode":
            codes = [(e["mode"], e["mode_label"], e["mode_label_zh"])]
        else:
            codes = zip(e["fields"], e["field_labels"], e["field_labels_zh"], strict=True)
        for code, en, zh in codes:
            counts[code] += 1
            labels[code] = (en, zh)
    return [
        {"code": code, "label": labels[code][0], "label_zh": labels[code][1], "count": n}
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _by_month(exchanges: list[dict]) -> list[dict]:
    """Twelve months, then month 0 for exchanges known only to the year."""
    counts = Counter(int(e["start"][5:7]) if len(e["start"]) >= 7 else UNKNOWN_MONTH
                     for e in exchanges)  # fmt: skip
    months = [{"month": m, "count": counts.get(m, 0)} for m in range(1, 13)]
    return months + [{"month": UNKNOWN_MONTH, "count": counts.get(UNKNOWN_MONTH, 0)}]


def _countries(partnerships: list[dict]) -> list[dict]:
    """Partner countries and regions (named by the place_side convention) with their counts."""
    found: dict[str, dict] = {}
    for p in partnerships:
        side = p["partner"]
        entry = found.setdefault(side["country"], {
            "country": side["country"], "name": side["country_name"],
            "name_zh": side["country_name_zh"], "continent": p["partner_continent"],
            "partnerships": 0,
        })  # fmt: skip
        entry["partnerships"] += 1
    return sorted(found.values(), key=lambda c: (-c["partnerships"], c["country"]))


def _count(values) -> list[dict]:
    counts = Counter(v for v in values if v)
    return [{"continent": k, "partnerships": n}
            for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]  # fmt: skip


def _map_partners(partnerships: list[dict]) -> list[dict]:
    return [
        {"id": p["partner"]["id"], "name": p["partner"]["name"],
         "name_zh": p["partner"]["name_zh"], "lat": p["partner"]["lat"],
         "lon": p["partner"]["lon"], "dormant": p["dormant"]}
        for p in partnerships if p["partner"]["lat"] is not None
    ]  # fmt: skip

"""Exchanges: record, change and delete them; list them with filters and facet counts.

An exchange names its partnership, or its two places; when the places have a partnership it is
linked, otherwise the exchange is kept and flagged `without_partnership`. Reads return dicts
shaped like `exchanges.schemas` (ExchangeRead, ExchangePage, Timeline, PlaceExchanges).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from amity.attachments import service as attachments
from amity.auth import audit as audit_log
from amity.auth.permissions import Actor, guard
from amity.core.conventions import country_labels
from amity.core.errors import InvalidInput, NotFound
from amity.core.facets import Facet, FacetTable, Sort
from amity.exchanges import taxonomy
from amity.exchanges.models import Exchange, ExchangeFieldLink
from amity.exchanges.schemas import FACETS, ExchangeCreate, ExchangeQuery, ExchangeUpdate
from amity.partnerships.models import Partnership
from amity.partnerships.service import normalise_pair, parse_partial_date, place_side
from amity.places.models import Country, Place

audit = logging.getLogger("amity.audit")
SWAPPED = {"a_to_b": "b_to_a", "b_to_a": "a_to_b"}


def record_exchange(session: Session, *, actor: str = "system", **values) -> dict:
    """Record an exchange from keyword values (the ExchangeCreate fields); for loaders and demos."""
    try:
        data = ExchangeCreate(**values)
    except ValidationError as error:
        problems = {".".join(map(str, e["loc"])): e["msg"] for e in error.errors()}
        raise InvalidInput("Invalid exchange.", problems) from None
    # Loaders record their batch as a whole; each row is not an audited act of a person.
    return create_exchange(session, data, actor=actor, audited=False)


def create_exchange(
    session: Session, data: ExchangeCreate, *, actor: Actor | str, audited: bool = True
) -> dict:
    """Record an exchange after checking its places, taxonomy terms, dates and amounts."""
    partnership_id, a_id, b_id, swapped = resolve_pair(
        session, partnership_id=data.partnership_id, place_a_id=data.place_a_id,
        place_b_id=data.place_b_id,
    )  # fmt: skip
    who = guard(actor, "exchange.write", [session.get(Place, a_id), session.get(Place, b_id)])
    values = checked_values(
        session, data.model_dump(exclude={"partnership_id", "place_a_id", "place_b_id"})
    )
    check_span(values["start"], values.get("end"))
    fields = values.pop("fields")
    if swapped:
        values["direction"] = SWAPPED.get(values["direction"], values["direction"])
    exchange = Exchange(partnership_id=partnership_id, place_a_id=a_id, place_b_id=b_id, **values)
    exchange.field_links = [ExchangeFieldLink(field_code=code) for code in fields]
    session.add(exchange)
    session.flush()
    session.refresh(exchange)
    audit.info("exchange %s created by %s", exchange.id, who.name)
    item = exchange_item(exchange, _labels(session))
    if audited:
        audit_log.record(session, actor=who, action="create", entity="exchange",
                         entity_id=exchange.id, after=item)  # fmt: skip
    return item


def resolve_pair(
    session: Session,
    *,
    partnership_id: int | None,
    place_a_id: int | None,
    place_b_id: int | None,
) -> tuple[int | None, int, int, bool]:
    """(partnership id or None, place a, place b, whether the given places were swapped)."""
    if partnership_id is not None:
        partnership = session.get(Partnership, partnership_id)
        if partnership is None:
            raise NotFound(f"No partnership {partnership_id}.", {"partnership_id": partnership_id})
        pair = (partnership.place_a_id, partnership.place_b_id)
        given = {place_a_id, place_b_id} - {None}
        if given and not given <= set(pair):
            raise InvalidInput(
                "These places are not the partnership's.", {"place_id": sorted(given - set(pair))}
            )
        return partnership.id, *pair, place_a_id == pair[1]
    if place_a_id is None or place_b_id is None:
        raise InvalidInput(
            "Name the partnership, or both places.", {"place_id": [place_a_id, place_b_id]}
        )
    a_id, b_id = normalise_pair(place_a_id, place_b_id)
    found = set(session.scalars(select(Place.id).where(Place.id.in_((a_id, b_id)))))
    if missing := sorted({a_id, b_id} - found):
        raise InvalidInput(
            f"Unknown places: {', '.join(map(str, missing))}.", {"place_id": missing}
        )
    linked = session.scalar(
        select(Partnership.id).where(Partnership.place_a_id == a_id, Partnership.place_b_id == b_id)
    )
    return linked, a_id, b_id, a_id != place_a_id


def checked_values(session: Session, values: dict) -> dict:
    """Validated, normalised column values: known terms, real past dates, end not before start."""
    if "mode" in values and values["mode"] not in taxonomy.known_codes(session, "mode"):
        raise InvalidInput(f"Unknown mode {values['mode']!r}.", {"mode": values["mode"]})
    if values.get("fields") is not None:
        fields = list(dict.fromkeys(values["fields"]))
        if unknown := sorted(set(fields) - taxonomy.known_codes(session, "field")):
            raise InvalidInput(f"Unknown fields: {', '.join(unknown)}.", {"fields": unknown})
        values["fields"] = fields
    if "start" in values:
        values["start"], values["start_year"] = _date(values["start"], "start")
        if not values["start"]:
            raise InvalidInput("The start date is needed.", {"start": None})
    if "end" in values:
        values["end"], _year = _date(values["end"], "end")
    budget = "budget_amount" in values or "budget_currency" in values
    if budget and (values.get("budget_amount") is None) != (values.get("budget_currency") is None):
        raise InvalidInput("A budget needs an amount and a currency.", {"budget_amount": None})
    return values


def _date(text: str | None, name: str) -> tuple[str | None, int | None]:
    try:
        return parse_partial_date(text)
    except InvalidInput as error:
        raise InvalidInput(f"{name}: {error.message}", {name: text}) from None


def check_span(start: str, end: str | None) -> None:
    # Partial dates compare on what both know: "2013" ends no earlier than "2013-05".
    if end is not None:
        n = min(len(start), len(end))
        if end[:n] < start[:n]:
            raise InvalidInput("The end is before the start.", {"end": end, "start": start})


def get_exchange(session: Session, exchange_id: int) -> dict:
    """One exchange (the ExchangeRead shape)."""
    return exchange_item(_get(session, exchange_id), _labels(session))


def _get(session: Session, exchange_id: int) -> Exchange:
    exchange = session.get(Exchange, exchange_id)
    if exchange is None:
        raise NotFound(f"No exchange {exchange_id}.", {"exchange_id": exchange_id})
    return exchange


def update_exchange(
    session: Session, exchange_id: int, data: ExchangeUpdate, *, actor: Actor | str
) -> dict:
    """Change an exchange's details; its places stay."""
    exchange = _get(session, exchange_id)
    who = guard(actor, "exchange.write", [exchange.place_a, exchange.place_b])
    before = exchange_item(exchange, _labels(session))
    changes = data.model_dump(exclude_unset=True)
    required = [k for k in ("mode", "start", "direction", "source", "fields") if k in changes
                and changes[k] is None]  # fmt: skip
    if required:
        raise InvalidInput(f"These cannot be empty: {', '.join(required)}.", {"fields": required})
    if ("budget_amount" in changes) != ("budget_currency" in changes):
        changes.setdefault("budget_amount", exchange.budget_amount)
        changes.setdefault("budget_currency", exchange.budget_currency)
    values = checked_values(session, changes)
    check_span(values.get("start", exchange.start), values.get("end", exchange.end))
    if (fields := values.pop("fields", None)) is not None:
        exchange.field_links = [ExchangeFieldLink(field_code=code) for code in fields]
    for name, value in values.items():
        setattr(exchange, name, value)
    session.flush()
    session.refresh(exchange)
    audit.info("exchange %s updated by %s: %s", exchange_id, who.name, sorted(changes))
    after = exchange_item(exchange, _labels(session))
    audit_log.record(session, actor=who, action="update", entity="exchange",
                     entity_id=exchange_id, before=before, after=after)  # fmt: skip
    return after


def delete_exchange(session: Session, exchange_id: int, *, actor: Actor | str) -> None:
    """Delete an exchange recorded in error."""
    exchange = _get(session, exchange_id)
    who = guard(actor, "exchange.write", [exchange.place_a, exchange.place_b])
    before = exchange_item(exchange, _labels(session))
    attachments.forget_owner(session, "exchange", exchange_id, actor=who)
    session.delete(exchange)
    session.flush()
    audit.info("exchange %s deleted by %s", exchange_id, who.name)
    audit_log.record(session, actor=who, action="delete", entity="exchange",
                     entity_id=exchange_id, before=before)  # fmt: skip


def _labels(session: Session) -> dict[str, dict[str, tuple[str, str]]]:
    return {kind: taxonomy.labels(session, kind) for kind in ("mode", "field")}


def exchange_item(exchange: Exchange, labels: dict) -> dict:
    """An exchange as the API returns it (the ExchangeRead shape)."""
    mode = labels["mode"].get(exchange.mode, (exchange.mode, exchange.mode))
    fields = exchange.fields
    field_labels = [labels["field"].get(code, (code, code)) for code in fields]
    return {
        "id": exchange.id,
        "partnership_id": exchange.partnership_id,
        "without_partnership": exchange.partnership_id is None,
        "a": place_side(exchange.place_a),
        "b": place_side(exchange.place_b),
        "title": exchange.title,
        "mode": exchange.mode,
        "mode_label": mode[0],
        "mode_label_zh": mode[1],
        "fields": fields,
        "field_labels": [en for en, _zh in field_labels],
        "field_labels_zh": [zh for _en, zh in field_labels],
        "start": exchange.start,
        "start_year": exchange.start_year,
        "end": exchange.end,
        "direction": exchange.direction,
        "delegation_size": exchange.delegation_size,
        "delegation_level": exchange.delegation_level,
        "participants": exchange.participants,
        "outcome": exchange.outcome,
        "budget_amount": float(exchange.budget_amount) if exchange.budget_amount else None,
        "budget_currency": exchange.budget_currency,
        "source": exchange.source,
        "link": exchange.link,
        "created_at": exchange.created_at,
        "updated_at": exchange.updated_at,
    }


@dataclass(slots=True)
class _Facts:
    """What filters and facets need of one exchange (read for all of them at once)."""

    id: int
    start: str
    partnership: int | None
    places: tuple[int, int]
    country: tuple[str, str]
    mode: str
    field: set[str]
    year: int
    direction: str
    text: str


# The facet table's declaration: the counted facets (FACETS), then filters that are not counted.
_FACETS = (
    Facet("country", lambda f: f.country, many=True),
    Facet("mode", lambda f: f.mode),
    Facet("field", lambda f: f.field, many=True),
    Facet("year", lambda f: f.year),
    Facet("direction", lambda f: f.direction),
    Facet("place", lambda f: f.places, many=True, sparse=True),
    Facet("partnership", lambda f: f.partnership, sparse=True),
)
_SORTS = {"start": Sort(lambda f: (f.start, f.id)), "id": Sort(lambda f: f.id)}


def _table(session: Session) -> FacetTable[_Facts]:
    """The exchanges as a facet table, read afresh: exchanges have no version number to keep
    one by (a change of an exchange's fields alone leaves its row's updated_at as it was)."""
    a, b = aliased(Place), aliased(Place)
    fields: dict[int, set[str]] = {}
    for exchange_id, code in session.execute(
        select(ExchangeFieldLink.exchange_id, ExchangeFieldLink.field_code)
    ):
        fields.setdefault(exchange_id, set()).add(code)
    rows = session.execute(
        select(
            Exchange.id, Exchange.start, Exchange.partnership_id, Exchange.place_a_id,
            Exchange.place_b_id, a.country_code, b.country_code, Exchange.mode,
            Exchange.start_year, Exchange.direction, Exchange.title, Exchange.participants,
            Exchange.outcome, a.name, a.name_zh, b.name, b.name_zh,
        )
        .join(a, a.id == Exchange.place_a_id)
        .join(b, b.id == Exchange.place_b_id)
    )  # fmt: skip
    facts = [
        _Facts(
            id=r[0], start=r[1], partnership=r[2], places=(r[3], r[4]), country=(r[5], r[6]),
            mode=r[7], field=fields.get(r[0], set()), year=r[8], direction=r[9],
            text=" ".join(t for t in r[10:] if t),
        )
        for r in rows
    ]  # fmt: skip
    return FacetTable(facts, _FACETS, _SORTS, text=lambda f: f.text)


def _selection(session: Session, query: ExchangeQuery) -> tuple[FacetTable[_Facts], dict, int]:
    """The table, the masks of the filters in use, and the selection they make."""
    table = _table(session)
    chosen = {
        name: table.facet_mask(name, values)
        for name in (*FACETS, "place", "partnership")
        if (values := getattr(query, name))
    }
    if query.q:
        chosen["q"] = table.text_mask(query.q)
    return table, chosen, table.within(chosen)


def list_exchanges(session: Session, query: ExchangeQuery) -> dict:
    """One page of the exchanges matching a query, the total, and facet counts.

    As for partnerships: several values of one filter mean any of them, different filters must
    all hold, and each facet is counted over the selection made by the other filters.
    """
    table, chosen, selection = _selection(session, query)
    page = table.page(selection, query.sort, query.page, query.per_page)
    return {
        "total": selection.bit_count(),
        "page": query.page,
        "per_page": query.per_page,
        "items": _items(session, [f.id for f in page]),
        "facets": _facet_lists(session, table.facet_counts(chosen, FACETS)),
    }


def iter_exchanges(session: Session, query: ExchangeQuery) -> Iterator[dict]:
    """Every exchange of a query's selection (all pages), in its sort order."""
    table, _chosen, selection = _selection(session, query)
    ids = [table.rows[i].id for i in table.ordered(selection, query.sort)]
    for start in range(0, len(ids), 500):
        yield from _items(session, ids[start : start + 500])


def _items(session: Session, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    labels = _labels(session)
    found = {e.id: e for e in session.scalars(select(Exchange).where(Exchange.id.in_(ids)))}
    return [exchange_item(found[i], labels) for i in ids]


def _facet_lists(session: Session, counts: dict[str, dict]) -> dict:
    names = {
        "mode": taxonomy.labels(session, "mode"),
        "field": taxonomy.labels(session, "field"),
        "country": {
            c.iso2: country_labels(c.iso2, c.name_en, c.name_zh)
            for c in session.scalars(select(Country).where(Country.iso2.in_(counts["country"])))
        },
    }
    facets = {}
    for facet, counter in counts.items():
        labels = names.get(facet, {})
        entries = [
            {
                "value": str(value),
                "label": labels.get(value, (str(value), None))[0],
                "label_zh": labels.get(value, (str(value), None))[1],
                "count": count,
            }
            for value, count in counter.items()
        ]
        if facet == "year":
            entries.sort(key=lambda e: e["value"], reverse=True)
        else:
            entries.sort(key=lambda e: (-e["count"], e["value"]))
        facets[facet] = entries
    return facets


def partnership_timeline(session: Session, partnership_id: int) -> dict:
    """A partnership's exchanges, newest first (by its pair of places, linked or not)."""
    partnership = session.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound(f"No partnership {partnership_id}.", {"partnership_id": partnership_id})
    ids = session.scalars(
        select(Exchange.id)
        .where(
            Exchange.place_a_id == partnership.place_a_id,
            Exchange.place_b_id == partnership.place_b_id,
        )
        .order_by(Exchange.start.desc(), Exchange.id.desc())
    ).all()
    return {"partnership_id": partnership_id, "total": len(ids), "items": _items(session, ids)}


def place_exchanges(session: Session, place_id: int) -> dict:
    """A place's exchanges with any partner, newest first."""
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound(f"No place {place_id}.", {"place_id": place_id})
    ids = session.scalars(
        select(Exchange.id)
        .where((Exchange.place_a_id == place_id) | (Exchange.place_b_id == place_id))
        .order_by(Exchange.start.desc(), Exchange.id.desc())
    ).all()
    return {"place": place_side(place), "total": len(ids), "items": _items(session, ids)}


def _attachment_owner(session: Session, exchange_id: int) -> attachments.Owner:
    """An exchange as the attachments domain sees it: either side's officers may attach files."""
    exchange = _get(session, exchange_id)
    places = (exchange.place_a, exchange.place_b)
    return attachments.Owner(
        "exchange", exchange.id, places, "exchange.write", f"/exchanges/{exchange.id}"
    )


attachments.register_owner("exchange", _attachment_owner)


# What other domains use of this domain's modules is imported from here
# (docs/architecture.md); at the end, as its modules may import this one.
from amity.exchanges.health import STATES as HEALTH_STATES  # noqa: F401 (re-exported)
from amity.exchanges.health import Activity as Activity
from amity.exchanges.health import assess as assess
from amity.exchanges.health import dormant_years as dormant_years
from amity.exchanges.health import pair_activity as pair_activity

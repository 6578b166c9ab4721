"""The partnership registry: filtered lists with facets, statistics, a place's partners, writes.

Pages, the API and the CLI all call these functions, so they say the same thing. Reads return
plain dicts shaped like the schemas in `partnerships.schemas` (PartnershipPage, PartnershipRead,
PlacePartners, RegistryStats); writes return the stored partnership as `PartnershipRead` does.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime

from pydantic import TypeAdapter
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from amity.auth import audit as audit_log
from amity.auth.permissions import Actor, as_actor, can, guard, require
from amity.core import i18n
from amity.core.conventions import country_labels, fold_country, home_country, home_regions
from amity.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from amity.partnerships.facet_table import Pair, RegistryTable, registry_table
from amity.partnerships.history import record_change
from amity.partnerships.importer import proposal_door  # noqa: F401 (for amity.proposals)
from amity.partnerships.models import Partnership, StewardRecord
from amity.partnerships.provenance import mark_person
from amity.partnerships.rules import infer_level, normalise_pair, parse_partial_date
from amity.partnerships.schemas import (
    FACETS,
    PartnershipCreate,
    PartnershipPage,
    PartnershipQuery,
    PartnershipUpdate,
)
from amity.places.models import Place
from amity.places.service import place_level

audit = logging.getLogger("amity.audit")


def list_partnerships(session: Session, query: PartnershipQuery) -> dict:
    """One page of the partnerships matching a query, the total, and facet counts.

    Several values of one filter mean any of them; different filters must all hold. A pair
    matches a place filter (country, continent, province, region) when either side does.
    Each facet is counted over the selection made by all the *other* filters, ignoring its
    own (the Datasette convention), so its counts say what choosing another value would give.
    """
    index = registry_table(session)
    selection, total, facets = index.remembered(
        "counts " + repr(sorted(query.model_dump(exclude={"sort", "page", "per_page"}).items())),
        lambda: _count(session, index, query),
    )
    return {
        "total": total,
        "page": query.page,
        "per_page": query.per_page,
        "items": [
            p.as_item() for p in index.page(selection, query.sort, query.page, query.per_page)
        ],
        "facets": facets,
    }


_PAGE = TypeAdapter(PartnershipPage)


def list_partnerships_json(session: Session, query: PartnershipQuery) -> bytes:
    """list_partnerships as PartnershipPage JSON, rendered once per query and registry state:
    the API's busiest answer (40 KB with its facets) is then a lookup, not a rendering."""
    index = registry_table(session)
    return index.rendered(
        query.model_dump_json(),
        lambda: _PAGE.dump_json(_PAGE.validate_python(list_partnerships(session, query))),
    )


def _count(
    session: Session, index: RegistryTable, query: PartnershipQuery
) -> tuple[int, int, dict]:
    """The selection's bitset, its size and every facet's counts (each without its own filter)."""
    chosen = _filter_masks(session, index, query)

    selection = index.within(chosen)
    facets = {
        f: index.labelled_counts(f, index.within(chosen, excluding=f), getattr(query, f))
        for f in FACETS
    }
    return selection, selection.bit_count(), facets


def iter_partnerships(session: Session, query: PartnershipQuery) -> Iterator[dict]:
    """Every partnership of a query's selection (all pages), in its sort order."""
    index = registry_table(session)
    selection = index.within(_filter_masks(session, index, query))
    return (index.pairs[i].as_item() for i in index.ordered(selection, query.sort))


def _filter_masks(
    session: Session, index: RegistryTable, query: PartnershipQuery
) -> dict[str, int]:
    unknown = sorted(set(query.country) - index.labels["country"].keys())
    if unknown:
        raise InvalidInput(f"Unknown country codes: {', '.join(unknown)}.", {"country": unknown})
    if query.place:
        _require_places(session, set(query.place) - index.places.keys(), field="place")
    chosen = {f: index.facet_mask(f, getattr(query, f)) for f in FACETS if getattr(query, f)}
    if query.q:
        chosen["q"] = index.text_mask(query.q)
    if query.place:
        chosen["place"] = index.place_mask(query.place)
    if query.established_from is not None or query.established_to is not None:
        chosen["established"] = index.year_mask(query.established_from, query.established_to)
    return chosen


def _require_places(session: Session, place_ids: set[int], *, field: str) -> None:
    if not place_ids:
        return
    found = set(session.scalars(select(Place.id).where(Place.id.in_(place_ids))))
    if missing := sorted(place_ids - found):
        raise InvalidInput(f"Unknown places: {', '.join(map(str, missing))}.", {field: missing})


def registry_stats(session: Session) -> dict:
    """Totals of the registry, counted from the data under the home-country convention.

    `countries` counts countries with at least one partnership (HK, MO, TW under China);
    `china_partnerships` counts pairs with a side in mainland China, of every level (city_city,
    province_city, province_state, district: `china_partnerships_by_level` splits them), and
    `china_partner_countries` the foreign countries on their other side.
    """
    index = registry_table(session)
    # A copy: callers add their own keys (stats_report does).
    return dict(index.remembered("stats", lambda: _stats(session, index)))


def _stats(session: Session, index: RegistryTable) -> dict:
    # Pairs with a side in China, counted with the table's bitsets (no object per pair).
    china = index.facet_mask("country", ["CN"])
    partner_countries = {
        fold_country(country, home="CN")
        for country, mask in index.values("country").items()
        if mask & china
    } - {"CN"}
    china_by_level = {
        level: n
        for level, mask in index.values("level").items()
        if (n := (mask & china).bit_count())
    }
    places_by_continent: dict[str, int] = {}
    for side in index.places.values():
        if side.continent:
            places_by_continent[side.continent] = places_by_continent.get(side.continent, 0) + 1
    by_continent = [
        {
            "value": continent,
            "label": index.label("continent", continent)[0],
            "label_zh": index.label("continent", continent)[1],
            "partnerships": mask.bit_count(),
            "places": places_by_continent.get(continent, 0),
        }
        for continent, mask in index.values("continent").items()
    ]
    by_continent.sort(key=lambda row: (-row["partnerships"], row["value"]))
    return {
        "partnerships": len(index.pairs),
        "places": session.scalar(select(func.count()).select_from(Place)) or 0,
        "places_with_partnerships": len(index.places),
        "countries": len({fold_country(s.country) for s in index.places.values()}),
        "china_partnerships": china.bit_count(),
        "china_partner_countries": len(partner_countries),
        "china_partnerships_by_level": dict(sorted(china_by_level.items())),
        "by_continent": by_continent,
    }


def place_partners(session: Session, place_id: int) -> dict:
    """A place and its partnerships, each with the place on the other side."""
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound(f"No place {place_id}.", {"place_id": place_id})
    index = registry_table(session)
    partners = _partner_rows(index, place_id)
    # The pairs of the places under it (a municipality's districts, a city's counties) are theirs,
    # at their own level: listed apart, never counted as the place's own partners.
    children = session.scalars(
        select(Place.id).where(Place.parent_id == place_id).order_by(Place.id)
    ).all()
    below = [
        {**row, "place": index.places[child].as_dict()}
        for child in children
        if child in index.places
        for row in _partner_rows(index, child)
    ]
    return {
        "place": place_side(place),
        "total": len(partners),
        "partners": partners,
        "by_level": _level_counts(partners),
        "below": below,
        "below_by_level": _level_counts(below),
    }


# Pair levels from the highest to the lowest, the order a place's list shows them in.
PAIR_LEVEL_ORDER = ("province_state", "province_city", "city_city", "district")


def _partner_rows(index: RegistryTable, place_id: int) -> list[dict]:
    """A place's partnerships, each with the place on the other side, by level then country."""
    pairs: list[Pair] = [index.pairs[i] for i in index.positions_of("place", place_id)]
    rows = [
        {
            "partnership_id": pair.id,
            "kind": pair.kind,
            "level": pair.level,
            "status": pair.status,
            "established": pair.established,
            "source": pair.source,
            "partner": (pair.b if pair.a.id == place_id else pair.a).as_dict(),
        }
        for pair in pairs
    ]
    rank = {level: i for i, level in enumerate(PAIR_LEVEL_ORDER)}
    rows.sort(
        key=lambda p: (
            rank.get(p["level"], len(rank)),
            p["partner"]["country_name"],
            p["partner"]["name"],
        )
    )
    return rows


def _level_counts(rows: list[dict]) -> list[dict]:
    """How many of the rows are at each pair level, highest level first."""
    counts = Counter(row["level"] for row in rows)
    order = [*PAIR_LEVEL_ORDER, *sorted(counts.keys() - set(PAIR_LEVEL_ORDER))]
    return [{"level": level, "count": counts[level]} for level in order if counts[level]]


def place_side(place: Place) -> dict:
    """A place as one side of a partnership (the PlaceSide shape)."""
    country_name, country_name_zh = country_labels(
        place.country_code, place.country.name_en, place.country.name_zh
    )
    return {
        "id": place.id,
        "name": place.name,
        "name_zh": place.name_zh,
        "country": place.country_code,
        "country_name": country_name,
        "country_name_zh": country_name_zh,
        "province_code": place.province_code,
        "lat": place.lat,
        "lon": place.lon,
        "level": place_level(place.kind, place.admin_level),
    }


def get_partnership(session: Session, partnership_id: int) -> dict:
    """One partnership with everything stored about it (the PartnershipRead shape)."""
    return _detail(_get(session, partnership_id))


def _get(session: Session, partnership_id: int) -> Partnership:
    partnership = session.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound(f"No partnership {partnership_id}.", {"partnership_id": partnership_id})
    return partnership


def _detail(p: Partnership) -> dict:
    record = object_session(p).scalar(
        select(StewardRecord).where(StewardRecord.partnership_id == p.id)
    )
    return {
        "id": p.id,
        "kind": p.kind,
        "level": p.level,
        "status": p.status,
        "established": p.established,
        "established_year": p.established_year,
        "ended_on": p.ended_on,
        "signing_place": p.signing_place,
        "fields": p.fields,
        "source": p.source,
        "source_ref": p.source_ref,
        "quality_flags": p.quality_flags,
        "note": p.note,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "a": place_side(p.place_a),
        "b": place_side(p.place_b),
        "steward_record": None if record is None else {
            "steward": record.steward, "recorded_at": record.recorded_at,
            "document": record.document, "signed_on": record.signed_on,
            "evidence_source": record.evidence_source,
        },
    }  # fmt: skip


# The one door: a new pairing enters through an approved proposal. The API's and the form's
# refusal says where to go instead (translated by the pages and the API's error handler).
ONE_DOOR = (
    "A new partnership enters the registry through an approved proposal: draft one at "
    "/proposals/new. Only a registry steward records an agreement signed outside Amity."
)
EVIDENCE_NEEDED = (
    "A steward's record needs its evidence: the document, the date it was signed "
    "(established) and where the evidence is kept."
)


def create_partnership(session: Session, data: PartnershipCreate, *, actor: Actor | str) -> dict:
    """The registry steward's act: record an agreement signed outside Amity, with its evidence.

    Anyone else is refused (403) and sent to the proposal form; 409 if the pair is recorded.
    """
    who = as_actor(actor)
    if not can(who, "registry.steward"):
        raise Forbidden(ONE_DOOR, {"action": "registry.steward", "role": who.role,
                                   "proposal_form": "/proposals/new"})  # fmt: skip
    missing = [
        name for name in ("established", "evidence_document", "evidence_source")
        if not getattr(data, name)
    ]  # fmt: skip
    if missing:
        raise InvalidInput(EVIDENCE_NEEDED, {"fields": missing})
    partnership = _insert(session, data, who)
    signed_on, _ = parse_partial_date(data.established)
    session.add(StewardRecord(
        partnership_id=partnership.id, steward=who.name[:100], recorded_at=datetime.now(),
        document=data.evidence_document, signed_on=signed_on,
        evidence_source=data.evidence_source,
    ))  # fmt: skip
    session.flush()
    created = _detail(partnership)
    audit_log.record(session, actor=who, action="steward_record", entity="partnership",
                     entity_id=partnership.id, after=created)  # fmt: skip
    return created


def create_from_proposal(
    session: Session, data: PartnershipCreate, *, actor: Actor, proposal_id: int
) -> dict:
    """The partnership of an approved proposal (the caller, the review, has decided it)."""
    require(actor, "proposal.review.national", [])
    partnership = _insert(session, data, actor)
    created = _detail(partnership)
    audit_log.record(session, actor=actor, action="create", entity="partnership",
                     entity_id=partnership.id,
                     after={**created, "proposal_id": proposal_id})  # fmt: skip
    return created


def _insert(session: Session, data: PartnershipCreate, who: Actor) -> Partnership:
    """Write a partnership between two known places; 409 if the pair is already recorded."""
    a_id, b_id = normalise_pair(data.place_a_id, data.place_b_id)
    _require_places(session, {a_id, b_id}, field="place_id")
    actor = who.name
    _refuse_duplicate(session, a_id, b_id)
    established, year = parse_partial_date(data.established)
    place_a, place_b = session.get(Place, a_id), session.get(Place, b_id)
    partnership = Partnership(
        place_a_id=a_id,
        place_b_id=b_id,
        kind=data.kind,
        level=data.level or infer_level(place_a, place_b),
        status=data.status,
        established=established,
        established_year=year,
        signing_place=data.signing_place,
        fields=data.fields,
        source=data.source,
        source_ref=data.source_ref,
        note=data.note,
    )
    session.add(partnership)
    try:
        session.flush()
    except IntegrityError:
        # Another writer recorded the same pair between our check and our insert.
        raise Conflict("This pair is already recorded.", {"place_ids": [a_id, b_id]}) from None
    if established:  # a steward's or a proposal's date: a person's (amity.sync keeps it)
        mark_person(session, "partnership", partnership.id, {"established": established})
    record_change(
        session, partnership.id, action="created", actor=actor, new_status=partnership.status
    )
    session.refresh(partnership)
    audit.info("partnership %s created by %s", partnership.id, actor)
    return partnership


def _refuse_duplicate(session: Session, a_id: int, b_id: int) -> None:
    existing = session.scalar(
        select(Partnership.id).where(Partnership.place_a_id == a_id, Partnership.place_b_id == b_id)
    )
    if existing is not None:
        raise Conflict(
            f"This pair is already recorded as partnership {existing}.",
            {"partnership_id": existing},
        )


_REQUIRED = ("kind", "level", "status", "source")


def update_partnership(
    session: Session, partnership_id: int, data: PartnershipUpdate, *, actor: Actor | str
) -> dict:
    """Change a partnership's details; its places stay, and an ended one stays ended."""
    partnership = _get(session, partnership_id)
    who = guard(actor, "partnership.write", [partnership.place_a, partnership.place_b])
    actor = who.name
    before = _detail(partnership)
    changes = data.model_dump(exclude_unset=True)
    if cleared := [name for name in _REQUIRED if name in changes and changes[name] is None]:
        raise InvalidInput(f"These cannot be empty: {', '.join(cleared)}.", {"fields": cleared})
    if "status" in changes and partnership.status == "terminated":
        raise Conflict("An ended partnership keeps its status.", {"partnership_id": partnership_id})
    if "established" in changes:
        established, year = parse_partial_date(changes.pop("established"))
        if year and partnership.ended_on and year > partnership.ended_on.year:
            raise InvalidInput("Established after it ended.", {"established": established})
        partnership.established, partnership.established_year = established, year
        # A person's date: a later Wikidata sync keeps it (amity.sync).
        mark_person(session, "partnership", partnership.id, {"established": established})
    old_status = partnership.status
    for name, value in changes.items():
        setattr(partnership, name, value)
    session.flush()
    if partnership.status != old_status:
        record_change(
            session,
            partnership_id,
            action="status_changed",
            actor=actor,
            old_status=old_status,
            new_status=partnership.status,
        )
    session.refresh(partnership)
    audit.info("partnership %s updated by %s: %s", partnership_id, actor, sorted(changes))
    after = _detail(partnership)
    audit_log.record(session, actor=who, action="update", entity="partnership",
                     entity_id=partnership_id, before=before, after=after)  # fmt: skip
    return after


def end_partnership(
    session: Session,
    partnership_id: int,
    ended_on: date,
    reason: str | None = None,
    *,
    actor: Actor | str,
) -> dict:
    """Mark a partnership terminated on a date; nothing is deleted, the reason joins the note."""
    partnership = _get(session, partnership_id)
    who = guard(actor, "partnership.write", [partnership.place_a, partnership.place_b])
    actor = who.name
    before = _detail(partnership)
    if partnership.status == "terminated":
        raise Conflict("This partnership has already ended.", {"ended_on": partnership.ended_on})
    if ended_on > date.today():
        raise InvalidInput("The end date is in the future.", {"ended_on": ended_on.isoformat()})
    if partnership.established_year and ended_on.year < partnership.established_year:
        raise InvalidInput(
            "The end date is before the partnership was established.",
            {"ended_on": ended_on.isoformat(), "established": partnership.established},
        )
    record_change(
        session,
        partnership_id,
        action="ended",
        actor=actor,
        old_status=partnership.status,
        new_status="terminated",
        note=reason,
    )
    partnership.status = "terminated"
    partnership.ended_on = ended_on
    if reason:
        line = f"Ended {ended_on.isoformat()}: {reason}"
        partnership.note = f"{partnership.note}\n{line}" if partnership.note else line
    session.flush()
    session.refresh(partnership)
    audit.info("partnership %s ended by %s", partnership_id, actor)
    after = _detail(partnership)
    audit_log.record(session, actor=who, action="end", entity="partnership",
                     entity_id=partnership_id, before=before, after=after)  # fmt: skip
    return after


def warm(session: Session) -> None:
    """Build the registry's facet table now (`amity serve` warms each worker at start)."""
    registry_table(session)


TOP_COUNTRIES = 15


def front_page(session: Session, *, locale: str, home: str | None = None) -> dict:
    """The home page's figures: the registry's totals, the map's rows by country, the top
    countries (named in the locale; HK/MO/TW take the home country's colour on the map)."""
    home = home_country(home)
    stats = registry_stats(session)
    countries = list_partnerships(session, PartnershipQuery(per_page=1))["facets"]
    rows = map_rows(countries.get("country", []), locale, home)
    shown = [r for r in rows if r["name"] not in home_regions(home)]
    top = sorted(shown, key=lambda r: -r["value"])[:TOP_COUNTRIES]
    return {"stats": stats, "map_rows": rows,
            "top_countries": [{"iso2": r["name"], **r} for r in top]}  # fmt: skip


def map_rows(country_facet: list[dict], locale: str, home: str) -> list[dict]:
    """Choropleth rows by ISO2 code; HK/MO/TW take the home country's colour, never their own."""
    rows = {}
    for entry in country_facet:
        iso2 = entry["value"]
        label = i18n.country_name(
            iso2, locale, name_en=entry["label"], name_zh=entry.get("label_zh"), home=home
        )
        rows[iso2] = {
            "name": iso2,
            "value": entry["count"],
            "label": label,
            "href": f"/partnerships?country={iso2}",
        }
    if home in rows:
        # The home country's regions take its colour on the map (they are not countries).
        for region in home_regions(home):
            rows[region] = {**rows[home], "name": region}
    return list(rows.values())


# What other domains use of this domain's modules is imported from here
# (docs/architecture.md); at the end, as its modules may import this one.
from amity.partnerships import anniversaries as anniversaries
from amity.partnerships import labels as labels
from amity.partnerships import registry as registry
from amity.partnerships.columns import HEADER_ALIASES as HEADER_ALIASES
from amity.partnerships.columns import normalise_header as normalise_header
from amity.partnerships.country_hints import CountryHints as CountryHints
from amity.partnerships.history import status_history as status_history
from amity.partnerships.importer import PROBLEMS_KEPT_IN_BATCH as PROBLEMS_KEPT_IN_BATCH
from amity.partnerships.importer import ImportReport as ImportReport
from amity.partnerships.importer import RowProblem as RowProblem
from amity.partnerships.place_lookup import PlaceMatcher as PlaceMatcher
from amity.partnerships.place_lookup import SideMatch as SideMatch
from amity.partnerships.reader import read_table as read_table
from amity.partnerships.version import ensure_version_row as ensure_version_row
from amity.partnerships.version import registry_cached as registry_cached
from amity.partnerships.version import registry_latest as registry_latest
from amity.partnerships.version import registry_version as registry_version

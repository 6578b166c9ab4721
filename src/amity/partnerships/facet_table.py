"""The registry as a facet table (amity.core.facets), so that a filtered list of partnerships
with all its facets takes a millisecond: one row per partnership (by id), its facets the places'
country, continent, province and region (a pair has a value when either side has) and its own
level, kind, status and source; its place filter keeps lists of positions (sparse).

One table is kept per database in amity.core.cache under the registry version (one row that
triggers change with every write, `partnerships.version`), which catches writes by other
processes; it is dropped at once when a commit in this process touched partnerships, places or
countries. Facet counts and totals are remembered per filter set for the life of a table: a
popular selection is counted once per registry state, not once per request.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from sqlalchemy import event, select, union
from sqlalchemy.orm import Session

from amity.core import cache
from amity.core.conventions import country_labels
from amity.core.facets import Facet, FacetTable, Sort
from amity.partnerships import labels
from amity.partnerships.models import Partnership
from amity.partnerships.version import registry_cached
from amity.places.models import Country, Place
from amity.places.service import place_level

# Rows fetched at a time while building (all at once doubled the peak memory at 100x).
STREAM_ROWS = 50_000

# What the cache keeps the table under, with the database.
CACHE_NAME = "partnerships:facet-table"


@dataclass(frozen=True, slots=True)
class Side:
    id: int
    name: str
    name_zh: str | None
    country: str
    country_name: str
    country_name_zh: str | None
    province_code: str | None
    region: str | None
    continent: str | None
    lat: float | None
    lon: float | None
    level: str = "city"  # amity.places.levels.place_level

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "name_zh": self.name_zh,
            "country": self.country,
            "country_name": self.country_name,
            "country_name_zh": self.country_name_zh,
            "province_code": self.province_code,
            "lat": self.lat,
            "lon": self.lon,
            "level": self.level,
        }


@dataclass(frozen=True, slots=True)
class Pair:
    id: int
    a: Side
    b: Side
    kind: str
    level: str
    status: str
    established: str | None
    source: str
    created_at: datetime | None

    def as_item(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "level": self.level,
            "status": self.status,
            "established": self.established,
            "source": self.source,
            "a": self.a.as_dict(),
            "b": self.b.as_dict(),
        }


class RegistryTable(FacetTable[Pair]):
    """The partnerships as a facet table, with the places on either side of them."""

    def __init__(self, pairs: list[Pair], places: dict[int, Side], facet_labels: dict) -> None:
        super().__init__(pairs, FACETS, SORTS, text=_haystack, labels=facet_labels)
        self.places = places

    @property
    def pairs(self) -> list[Pair]:
        return self.rows

    def year_mask(self, first: int | None, last: int | None) -> int:
        """Pairs signed from year `first` to year `last` (either open): a slice of the pairs
        in date order, as "YYYY…" strings sort by year."""
        low = f"{first:04d}" if first is not None else ""
        high = f"{last + 1:04d}" if last is not None else "~"
        return self.range_mask("established", low, high, key=_established)

    def place_mask(self, place_ids: Iterable[int]) -> int:
        """Pairs with any of these places on either side."""
        return self.facet_mask("place", place_ids)


def _side(attr: str):
    return lambda pair: (getattr(pair.a, attr), getattr(pair.b, attr))


def _own(attr: str):
    return lambda pair: getattr(pair, attr)


def _established(pair: Pair) -> str | None:
    return pair.established


FACETS = (
    Facet("country", _side("country"), many=True),
    Facet("continent", _side("continent"), many=True),
    Facet("province", _side("province_code"), many=True),
    Facet("region", _side("region"), many=True),
    Facet("level", _own("level")),
    Facet("kind", _own("kind")),
    Facet("status", _own("status")),
    Facet("source", _own("source")),
    Facet("place", lambda pair: (pair.a.id, pair.b.id), many=True, sparse=True),
)
SORTS = {
    "id": Sort(),
    "name_a": Sort(lambda p: (p.a.name.casefold(), p.id)),
    "country": Sort(lambda p: (p.a.country_name.casefold(), p.a.name.casefold(), p.id)),
    "established": Sort(lambda p: (p.established, p.id), has=_established),
    "created": Sort(lambda p: (p.created_at or datetime.min, p.id)),
}


def _haystack(pair: Pair) -> str:
    """What a text search looks in: either side's names, in both languages, and its country."""
    parts = (
        s
        for side in (pair.a, pair.b)
        for s in (side.name, side.name_zh, side.country_name, side.country_name_zh)
        if s
    )
    return "\n".join(parts)


def registry_table(session: Session) -> RegistryTable:
    """The table of the session's database, rebuilt first if the registry has changed."""
    return registry_cached(session, CACHE_NAME, lambda: _build(session))


def invalidate(session: Session) -> None:
    """Forget the table of a session's database; the next read rebuilds it."""
    cache.forget((cache.database_key(session), CACHE_NAME))


def _build(session: Session) -> RegistryTable:
    countries = {c.iso2: c for c in session.scalars(select(Country))}
    used = union(select(Partnership.place_a_id), select(Partnership.place_b_id)).subquery()
    place_rows = session.execute(
        select(
            Place.id,
            Place.name,
            Place.name_zh,
            Place.country_code,
            Place.province_code,
            Place.region3,
            Place.lat,
            Place.lon,
            Place.kind,
            Place.admin_level,
        )
        .where(Place.id.in_(select(used.c[0])))
        .execution_options(yield_per=STREAM_ROWS)
    )
    country_label = {
        iso2: country_labels(iso2, c.name_en, c.name_zh) for iso2, c in countries.items()
    }
    places = {}
    for pid, name, name_zh, cc, province, region, lat, lon, kind, admin_level in place_rows:
        en, zh = country_label.get(cc, (cc, None))
        continent = countries[cc].continent if cc in countries else None
        level = place_level(kind, admin_level)
        places[pid] = Side(
            pid, name, name_zh, cc, en, zh, province, region, continent, lat, lon, level
        )

    pairs = [
        Pair(pid, places[a], places[b], kind, level, status, established, source, created)
        for pid, a, b, kind, level, status, established, source, created in session.execute(
            select(
                Partnership.id,
                Partnership.place_a_id,
                Partnership.place_b_id,
                Partnership.kind,
                Partnership.level,
                Partnership.status,
                Partnership.established,
                Partnership.source,
                Partnership.created_at,
            )
            .order_by(Partnership.id)
            .execution_options(yield_per=STREAM_ROWS)
        )
    ]
    provinces = {side.province_code for side in places.values() if side.province_code}
    table = RegistryTable(pairs, places, _labels(session, countries, country_label, provinces))
    # Millions of long-lived objects: keep them out of the cyclic garbage collector, whose full
    # passes over them (0.2 s at 10x the demo, seconds at 100x) would stall requests at random.
    # Reference counting still frees them when the table goes.
    gc.freeze()
    return table


def _labels(session: Session, countries: dict, country_label: dict, provinces: dict) -> dict:
    province_names = {
        code: (name, name_zh)
        for code, name, name_zh in session.execute(
            select(Place.gb_code, Place.name, Place.name_zh).where(Place.gb_code.in_(provinces))
        )
    }
    return {
        "country": country_label,
        "continent": labels.CONTINENT_LABELS,
        "province": province_names,
        "region": labels.REGION_LABELS,
        "level": labels.LEVEL_LABELS,
        "kind": labels.KIND_LABELS,
        "status": labels.STATUS_LABELS,
        "source": labels.SOURCE_LABELS,
    }


_REGISTRY_TABLES = (Partnership, Place, Country)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    touched = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, _REGISTRY_TABLES) for obj in touched):
        session.info["registry_changed"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_write(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is None or issubclass(mapper.class_, _REGISTRY_TABLES):
            state.session.info["registry_changed"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _drop_stale_table(session: Session) -> None:
    if session.info.pop("registry_changed", False):
        invalidate(session)

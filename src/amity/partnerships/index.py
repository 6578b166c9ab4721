"""An in-memory index of the registry, so a filtered list with all its facets takes a millisecond.

Each filterable value (a country, a kind, a province...) maps to a bitset of the partnerships
that have it, held in a Python int (bit i = the i-th partnership by id). A selection is the AND,
over the filters in use, of the OR of each filter's chosen values; a facet count is a popcount.

One index is kept per engine. It is dropped when a commit in this process touched
partnerships, places or countries, and rebuilt when the registry version (one row that triggers
change with every write, `partnerships.version`) no longer matches, which catches writes by other
processes. Facet counts and totals are remembered per filter set for the life of an index: a
popular selection is counted once per registry state, not once per request.
"""

from __future__ import annotations

import gc
import threading
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from typing import TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import event, select, union
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from amity.core.conventions import country_labels
from amity.partnerships import labels
from amity.partnerships.models import Partnership
from amity.partnerships.schemas import FACETS
from amity.partnerships.version import registry_version
from amity.places.models import Country, Place
from amity.places.service import place_level

# Facets that describe a place (facet -> Side attribute): a pair has a value when either side has.
SIDE_FACETS = {
    "country": "country",
    "continent": "continent",
    "province": "province_code",
    "region": "region",
}
T = TypeVar("T")

# Rows fetched at a time while building (all at once doubled the peak memory at 100x).
STREAM_ROWS = 50_000

# Filter sets whose counts an index remembers (each holds a bitset: 350 KB at 2.8 M pairs).
MEMO_SIZE = 128


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


def _mask(positions: Iterable[int], size: int) -> int:
    bits = bytearray((size + 7) // 8)
    for i in positions:
        bits[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(bits, "little")


@dataclass
class RegistryIndex:
    fingerprint: tuple
    pairs: list[Pair]
    places: dict[int, Side]
    # facet -> value -> bitset of pairs having it
    masks: dict[str, dict[str, int]]
    # facet -> value -> (English, Chinese) label
    labels: dict[str, dict[str, tuple[str, str | None]]]
    place_positions: dict[int, list[int]]
    # sort key -> (positions with a value in ascending order, positions without one)
    orders: dict[str, tuple[array, array]]
    _text_masks: dict[str, int] = field(default_factory=dict)
    _haystacks: list[str] | None = None
    _remembered: dict[str, object] = field(default_factory=dict)
    _rendered: dict[str, bytes] = field(default_factory=dict)

    @property
    def full(self) -> int:
        return (1 << len(self.pairs)) - 1

    def text_mask(self, text: str) -> int:
        """Pairs whose names (either side, both languages, country) contain the text."""
        needle = text.casefold()
        mask = self._text_masks.get(needle)
        if mask is None:
            # A small cache of recent searches; other threads may clear it at any moment.
            if len(self._text_masks) > 256:
                self._text_masks.clear()
            if self._haystacks is None:  # built on the first text search (300 MB at 100x)
                self._haystacks = [_haystack(p) for p in self.pairs]
            hits = (i for i, hay in enumerate(self._haystacks) if needle in hay)
            mask = self._text_masks[needle] = _mask(hits, len(self.pairs))
        return mask

    def remembered(self, key: str, compute: Callable[[], T]) -> T:
        """compute()'s answer under this key, computed once per index (a bounded memo).

        Only successful answers are kept: a filter refused with an error is checked again."""
        answer = self._remembered.get(key)
        if answer is None:
            # Bounded: other threads may clear it at any moment, which only costs a recount.
            if len(self._remembered) >= MEMO_SIZE:
                self._remembered.clear()
            answer = self._remembered[key] = compute()
        return answer

    def rendered(self, key: str, render: Callable[[], bytes]) -> bytes:
        """render()'s bytes for this key, kept for the life of the index (a bounded memo)."""
        body = self._rendered.get(key)
        if body is None:
            if len(self._rendered) >= MEMO_SIZE * 4:
                self._rendered.clear()
            body = self._rendered[key] = render()
        return body

    def year_mask(self, first: int | None, last: int | None) -> int:
        """Pairs signed from year `first` to year `last` (either open): a slice of the pairs
        in date order, as "YYYY…" strings sort by year."""
        ranked, _undated = self.orders["established"]
        low = f"{first:04d}" if first is not None else ""
        high = f"{last + 1:04d}" if last is not None else "~"
        start = bisect_left(ranked, low, key=lambda i: self.pairs[i].established)
        stop = bisect_left(ranked, high, key=lambda i: self.pairs[i].established)
        return _mask(ranked[start:stop], len(self.pairs))

    def place_mask(self, place_ids: Iterable[int]) -> int:
        positions = chain.from_iterable(self.place_positions.get(p, ()) for p in place_ids)
        return _mask(positions, len(self.pairs))

    def facet_mask(self, facet: str, values: Iterable[str]) -> int:
        mask = 0
        for value in values:
            mask |= self.masks[facet].get(value, 0)
        return mask

    def facet_counts(self, facet: str, within: int, selected: Iterable[str]) -> list[dict]:
        """Counts of each value inside a selection, most frequent first; chosen values stay."""
        chosen = set(selected)
        rows = []
        for value, mask in self.masks[facet].items():
            count = (mask & within).bit_count()
            if count or value in chosen:
                label, label_zh = self.label(facet, value)
                rows.append({"value": value, "label": label, "label_zh": label_zh, "count": count})
        for value in chosen - self.masks[facet].keys():
            label, label_zh = self.label(facet, value)
            rows.append({"value": value, "label": label, "label_zh": label_zh, "count": 0})
        rows.sort(key=lambda r: (-r["count"], r["label"].casefold()))
        return rows

    def label(self, facet: str, value: str) -> tuple[str, str | None]:
        return self.labels.get(facet, {}).get(value, (value, None))

    def ordered(self, mask: int, sort: str) -> Iterator[int]:
        """Positions in a selection, in the order asked for (those without a value last)."""
        ranked, unranked = self.orders[sort.removeprefix("-")]
        order = chain(reversed(ranked) if sort.startswith("-") else ranked, unranked)
        if mask == self.full:
            return order
        bits = mask.to_bytes((len(self.pairs) + 7) // 8 or 1, "little")
        return (i for i in order if bits[i >> 3] >> (i & 7) & 1)

    def page(self, mask: int, sort: str, page: int, per_page: int) -> list[Pair]:
        start = (page - 1) * per_page
        return [self.pairs[i] for i in islice(self.ordered(mask, sort), start, start + per_page)]


def _fingerprint(session: Session) -> tuple:
    return ("version", registry_version(session))


def _build(session: Session, fingerprint: tuple) -> RegistryIndex:
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
    positions = {facet: _positions(pairs, facet) for facet in FACETS}
    place_positions: dict[int, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        place_positions[pair.a.id].append(i)
        place_positions[pair.b.id].append(i)
    size = len(pairs)
    masks = {
        f: {v: _mask(p, size) for v, p in by_value.items()} for f, by_value in positions.items()
    }
    return RegistryIndex(
        fingerprint=fingerprint,
        pairs=pairs,
        places=places,
        masks=masks,
        labels=_labels(session, countries, country_label, masks["province"]),
        place_positions=dict(place_positions),
        orders=_orders(pairs),
    )


def _positions(pairs: list[Pair], facet: str) -> dict[str, list[int]]:
    """Value -> positions of the pairs having it (a pair counts once when both sides share it)."""
    by_value: dict[str, list[int]] = defaultdict(list)
    if attr := SIDE_FACETS.get(facet):
        for i, pair in enumerate(pairs):
            a, b = getattr(pair.a, attr), getattr(pair.b, attr)
            if a:
                by_value[a].append(i)
            if b and b != a:
                by_value[b].append(i)
    else:
        for i, pair in enumerate(pairs):
            by_value[getattr(pair, facet)].append(i)
    return by_value


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


def _haystack(pair: Pair) -> str:
    parts = (
        s
        for side in (pair.a, pair.b)
        for s in (side.name, side.name_zh, side.country_name, side.country_name_zh)
        if s
    )
    return "\n".join(parts).casefold()


def _orders(pairs: list[Pair]) -> dict[str, tuple[array, array]]:
    """Positions in each sort order, as 4-byte arrays (a list of ints costs 9x the memory)."""
    everyone = range(len(pairs))

    def ranked(key, among=everyone) -> array:
        return array("i", sorted(among, key=key))

    dated = [i for i in everyone if pairs[i].established]
    none = array("i")
    return {
        "id": (array("i", everyone), none),
        "name_a": (ranked(lambda i: (pairs[i].a.name.casefold(), pairs[i].id)), none),
        "country": (
            ranked(
                lambda i: (pairs[i].a.country_name.casefold(), pairs[i].a.name.casefold(),
                           pairs[i].id)
            ),
            none,
        ),
        "established": (
            ranked(lambda i: (pairs[i].established, pairs[i].id), dated),
            array("i", (i for i in everyone if not pairs[i].established)),
        ),
        "created": (ranked(lambda i: (pairs[i].created_at or datetime.min, pairs[i].id)), none),
    }


_indexes: WeakKeyDictionary[Engine, RegistryIndex] = WeakKeyDictionary()
_build_lock = threading.Lock()


def registry_index(session: Session) -> RegistryIndex:
    """The index for the session's database, rebuilt first if the registry has changed."""
    engine = session.get_bind().engine
    fingerprint = _fingerprint(session)
    index = _indexes.get(engine)
    if index is not None and index.fingerprint == fingerprint:
        return index
    with _build_lock:
        index = _indexes.get(engine)
        if index is None or index.fingerprint != fingerprint:
            index = _build(session, fingerprint)
            _indexes[engine] = index
            # Millions of long-lived objects: keep them out of the cyclic garbage collector,
            # whose full passes over them (0.2 s at 10x the demo, seconds at 100x) would stall
            # requests at random. Reference counting still frees them when the index goes.
            gc.freeze()
    return index


def invalidate(engine: Engine) -> None:
    """Forget the index of an engine; the next read rebuilds it."""
    _indexes.pop(engine, None)


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
def _drop_stale_index(session: Session) -> None:
    if session.info.pop("registry_changed", False):
        invalidate(session.get_bind().engine)

"""The registry as a facet table (amity.core.facets), so that a filtered list of partnerships
with all its facets takes a millisecond: one row per partnership (by id), its facets the places'
country, continent, province and region (a pair has a value when either side has) and its own
level, kind, status and source; its place filter keeps lists of positions per place.

The rows are columns (numpy arrays: ids, places, codes of the pair's own values, dates), not one
object per pair: a Pair is made only for the rows a page shows. Text search looks in the places'
names (one string for all places), then takes their pairs.

One table is kept per database in amity.core.cache under the registry version (one row that
triggers change with every write, `partnerships.version`). When the version has changed, the
registry's change log (migration 0013) says which partnerships changed since the table's `seq`:
a few are patched into a copy of the table (requests under way keep reading the old one), more,
or a write to places or countries, rebuild it (amity.partnerships.table_patch). A built table is
also saved in the data directory (amity.partnerships.table_file), so that a start loads it and
replays the changes since instead of rebuilding.
"""

from __future__ import annotations

import copy
import gc
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

import numpy as np
from sqlalchemy import event, func, select, union
from sqlalchemy.orm import Session

from amity.core import cache
from amity.core.conventions import country_labels
from amity.core.facets import Selections, bits_of, flags_of
from amity.partnerships import labels
from amity.partnerships.models import Partnership, RegistryChange, RegistryVersion
from amity.partnerships.version import registry_cached
from amity.places.models import Country, Place
from amity.places.service import place_level

# Rows fetched at a time while building (all at once doubled the peak memory at 100x).
STREAM_ROWS = 50_000

# What the cache keeps the table under, with the database.
CACHE_NAME = "partnerships:facet-table"

# The pair's own facets, kept as codes into a vocabulary.
OWN = ("kind", "level", "status", "source")
# The places' facets (a pair has the values of both sides) and the Side field each comes from.
SIDE_FACETS = {
    "country": "country",
    "continent": "continent",
    "province": "province_code",
    "region": "region",
}
# Orders built with the table, kept up to date by patches and saved with it.
SORTS = ("id", "name_a", "country", "established", "created")
# Orders made when first asked, once per table (a column a user clicked, a descending sort).
LAZY_SORTS = ("name_b", "country_b", "level", "kind", "status")
# The pair's own values in the order people read them in (highest level first, a status's life),
# not the codes' alphabet; a value not listed goes after them.
VALUE_ORDER = {
    "level": ("province_state", "province_city", "city_city", "district"),
    "kind": ("sister_city", "friendship_city", "friendly_exchange", "cooperation"),
    "status": ("proposed", "active", "dormant", "suspended", "terminated"),
}
# No signing date, no creation time.
NO_DATE = -1
NOT_CREATED = np.iinfo(np.int64).min  # numpy's NaT: before every time, as datetime.min was


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

    def haystack(self) -> str:
        """What a text search looks in: the names, in both languages, and the country's."""
        parts = (self.name, self.name_zh, self.country_name, self.country_name_zh)
        return "\n".join(s for s in parts if s).casefold()


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


@dataclass(frozen=True)
class PlacePositions:
    """Each place's rows, in table order: one sorted run per place (`keys`, `starts`, one array
    of positions), and, for a patched table, the places whose rows changed (`changed`)."""

    keys: np.ndarray
    starts: np.ndarray
    positions: np.ndarray
    changed: dict[int, np.ndarray]

    @classmethod
    def of(cls, a: np.ndarray, b: np.ndarray, live: np.ndarray) -> PlacePositions:
        rows = np.flatnonzero(live).astype(np.int32)
        places = np.concatenate((a[rows], b[rows]))
        positions = np.concatenate((rows, rows))
        order = np.lexsort((positions, places))
        places, positions = places[order], positions[order]
        keys, starts = np.unique(places, return_index=True)
        return cls(keys, np.append(starts, len(places)).astype(np.int64), positions, {})

    def of_place(self, place: int) -> np.ndarray:
        found = self.changed.get(place)
        if found is not None:
            return found
        i = np.searchsorted(self.keys, place)
        if i < len(self.keys) and self.keys[i] == place:
            return self.positions[self.starts[i] : self.starts[i + 1]]
        return self.positions[:0]

    def of_places(self, places: np.ndarray) -> np.ndarray:
        """The rows of any of these places (positions may repeat)."""
        places = np.unique(places)
        changed = [p for p in places.tolist() if p in self.changed]
        i = np.searchsorted(self.keys, places)
        i = i[i < len(self.keys)]
        i = i[np.isin(self.keys[i], places) & ~np.isin(self.keys[i], changed)]
        lengths = self.starts[i + 1] - self.starts[i]
        # Each run's positions: its start repeated, plus 0, 1, 2... within the run.
        firsts = np.repeat(self.starts[i] - np.cumsum(lengths) + lengths, lengths)
        runs = self.positions[firsts + np.arange(lengths.sum())]
        return np.concatenate([runs, *(self.changed[p] for p in changed)])


class Pairs(Sequence[Pair]):
    """The table's rows as Pairs, made when asked: `pairs[position]`; len() and iteration
    count and give the rows there are, in id order."""

    def __init__(self, table: RegistryTable) -> None:
        self._table = table

    def __getitem__(self, position):  # type: ignore[override]
        return self._table.pair(int(position))

    def __len__(self) -> int:
        return len(self._table.orders["id"][0])

    def __iter__(self) -> Iterator[Pair]:
        pair = self._table.pair
        return (pair(position) for position in self._table.orders["id"][0].tolist())


class RegistryTable(Selections):
    """The partnerships as a facet table, with the places on either side of them.

    `columns` hold one entry per position (table order is id order). A patched table may keep
    removed rows as holes: they are in no mask, no order and no place's rows.
    """

    def __init__(
        self,
        *,
        columns: dict[str, np.ndarray],
        vocab: dict[str, list],
        places: dict[int, Side],
        place_rows: PlacePositions,
        masks: dict[str, dict],
        orders: dict[str, tuple[np.ndarray, np.ndarray]],
        labels: dict,
        full: int,
        identity: int | None,
        seq: int,
    ) -> None:
        super().__init__(len(columns["id"]), masks, orders, labels, full)
        self.columns = columns
        self.vocab = vocab
        self.places = places
        self.place_rows = place_rows
        # Which database, and the last line of its change log, this table reflects.
        self.identity = identity
        self.seq = seq
        self._text: tuple[str, np.ndarray, np.ndarray] | None = None
        self._text_masks: dict[str, int] = {}
        # Whole orders made when first asked ("-established", "kind"...), by sort.
        self._lazy_orders: dict[str, np.ndarray] = {}
        self._lazy_ranks: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    # --- rows ---------------------------------------------------------------------------------

    @property
    def pairs(self) -> Pairs:
        return Pairs(self)

    def pair(self, position: int) -> Pair:
        c, vocab, places = self.columns, self.vocab, self.places
        established = int(c["established"][position])
        created = int(c["created"][position])
        return Pair(
            int(c["id"][position]),
            places[int(c["a"][position])],
            places[int(c["b"][position])],
            *(vocab[name][c[name][position]] for name in ("kind", "level", "status")),
            None if established == NO_DATE else vocab["established"][established],
            vocab["source"][c["source"][position]],
            None if created == NOT_CREATED else np.datetime64(created, "us").item(),
        )

    def live(self) -> np.ndarray:
        """One bool per position: is there a row there (not a hole left by a removal)?"""
        return flags_of(self.full, self.size)

    def renewed(self) -> RegistryTable:
        """The same table with empty memos, for a new registry state with the same rows (a
        place added: the statistics count places, so what was remembered may be stale)."""
        fresh = copy.copy(self)
        fresh._remembered, fresh._rendered, fresh._text_masks = {}, {}, {}
        fresh._lazy_orders, fresh._lazy_ranks = {}, {}
        return fresh

    # --- masks ----------------------------------------------------------------------------------

    def facet_mask(self, facet: str, values: Iterable) -> int:
        if facet == "place":
            return self.place_mask(values)
        mask = 0
        by_value = self.masks[facet]
        for value in values:
            mask |= by_value.get(value, 0)
        return mask

    def place_mask(self, place_ids: Iterable[int]) -> int:
        """Pairs with any of these places on either side."""
        ids = np.fromiter(place_ids, dtype=np.int64)
        return bits_of(self.place_rows.of_places(ids), self.size)

    def positions_of(self, facet: str, value: int) -> list[int]:
        """The positions of a place's pairs ("place" is the only sparse facet), in table order."""
        assert facet == "place"
        return self.place_rows.of_place(value).tolist()

    def year_mask(self, first: int | None, last: int | None) -> int:
        """Pairs signed from year `first` to year `last` (either open): a slice of the pairs
        in date order, as "YYYY…" strings sort by year."""
        low = f"{first:04d}" if first is not None else ""
        high = f"{last + 1:04d}" if last is not None else "~"
        ranked, _undated = self.orders["established"]
        dates, codes = self.vocab["established"], self.columns["established"]

        def date(position) -> str:
            return dates[codes[position]]

        start = bisect_left(ranked, low, key=date)
        stop = bisect_left(ranked, high, key=date)
        return bits_of(ranked[start:stop], self.size)

    def text_mask(self, text: str) -> int:
        """Pairs with a side whose names contain this text (case folded)."""
        needle = text.casefold()
        mask = self._text_masks.get(needle)
        if mask is None:
            if len(self._text_masks) > 256:  # a small memo of recent searches
                self._text_masks.clear()
            if self._text is None:  # built on the first search
                self._text = text_index(self.places.values())
            hay, starts, ids = self._text
            found = []
            at = hay.find(needle) if needle else -1
            while at >= 0:
                # The place this hit is in; search on from the next place (one hit is enough).
                i = int(np.searchsorted(starts, at, side="right")) - 1
                found.append(i)
                at = hay.find(needle, int(starts[i + 1])) if i + 1 < len(starts) else -1
            if not needle:
                found = range(len(ids))
            rows = self.place_rows.of_places(ids[np.asarray(found, dtype=np.int64)])
            mask = self._text_masks[needle] = bits_of(rows, self.size) & self.full
        return mask

    # --- order and pages --------------------------------------------------------------------------

    def ordered(self, mask: int, sort: str) -> np.ndarray:  # type: ignore[override]
        """Positions of a selection in a sort order ("-key" descends; rows without a value last
        either way; rows with equal values by id, ascending either way), selected with numpy."""
        if sort in SORTS:
            ranked, unranked = self.orders[sort]
            order = np.concatenate((ranked, unranked))
        elif sort == "-id":
            order = self.orders["id"][0][::-1]
        else:
            order = self._lazy_orders.get(sort)
            if order is None:  # two threads may both make it: the same array, no harm
                order = self._lazy_orders[sort] = self._whole_order(sort)
        if mask == self.full:
            return order
        return order[flags_of(mask, self.size)[order]]

    def _whole_order(self, sort: str) -> np.ndarray:
        """Every live row in a sort order: by the key's rank (reversed for "-key"), then id;
        the rows without a value after them, by id."""
        key = sort.removeprefix("-")
        live = self.live()
        has, rank = self._rank_of(key)
        ids = self.columns["id"]
        rows = np.flatnonzero(live & has)
        direction = -1 if sort.startswith("-") else 1
        ranked = rows[np.lexsort((ids[rows], direction * rank[rows]))]
        return np.concatenate((ranked, np.flatnonzero(live & ~has))).astype(np.int32)

    def _rank_of(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """For each position: has the row a value to sort by, and that value's rank (equal
        values, equal ranks), as sort_key orders them."""
        c = self.columns
        size = len(c["id"])
        if key == "created":
            return np.ones(size, dtype=bool), c["created"]
        if key == "established":
            dates = self.vocab["established"]
            dated = np.array([bool(d) for d in dates] + [False], dtype=bool)
            ranks = np.append(_ranks([d or "" for d in dates]), 0)
            return dated[c["established"]], ranks[c["established"]]
        if key in VALUE_ORDER:
            known = {value: i for i, value in enumerate(VALUE_ORDER[key])}
            words = self.vocab[key]
            ranks = _ranks([(known.get(w, len(known)), w or "") for w in words])
            has = np.array([w not in (None, "") for w in words], dtype=bool)
            return has[c[key]], ranks[c[key]]
        # A place's name or country, on side a or b.
        place_ids, by_place = self._place_ranks("name" if key.startswith("name") else "country")
        column = c["b"] if key.endswith("_b") else c["a"]
        # (A hole's place may be gone: its index is clipped, and the hole is not live anyway.)
        at = np.minimum(np.searchsorted(place_ids, column), max(len(place_ids) - 1, 0))
        return np.ones(size, dtype=bool), by_place[at] if len(by_place) else at

    def _place_ranks(self, by: str) -> tuple[np.ndarray, np.ndarray]:
        """The places' ids (ascending) and the rank of each one's name, or of its country then
        name (case ignored), as sort_key orders them; made once per table for both sides."""
        found = self._lazy_ranks.get(by)
        if found is None:
            place_ids = np.array(sorted(self.places), dtype=np.int64)
            sides = [self.places[p] for p in place_ids.tolist()]
            if by == "name":
                keys = [s.name.casefold() for s in sides]
            else:  # "\x01" sorts before any letter: (country, name) as one string
                keys = [f"{s.country_name.casefold()}\x01{s.name.casefold()}" for s in sides]
            # numpy ranks 40,000 names four times faster than sorted() on tuples.
            ranks = np.unique(np.array(keys, dtype=str), return_inverse=True)[1]
            found = self._lazy_ranks[by] = (place_ids, ranks.astype(np.int64).ravel())
        return found

    def page(self, mask: int, sort: str, page: int, per_page: int) -> list[Pair]:
        start = (page - 1) * per_page
        return [self.pair(i) for i in self.ordered(mask, sort)[start : start + per_page].tolist()]

    # --- sort keys, as the orders rank rows (for patches) -----------------------------------------

    def sort_key(self, sort: str, position: int):
        """The key a row ranks by in a sort order, or None if it goes among those without."""
        c = self.columns
        row_id = int(c["id"][position])
        if sort == "id":
            return row_id
        if sort == "established":
            code = int(c["established"][position])
            date = self.vocab["established"][code] if code != NO_DATE else None
            return (date, row_id) if date else None
        if sort == "created":
            return (int(c["created"][position]), row_id)
        if sort in VALUE_ORDER:
            value = self.vocab[sort][c[sort][position]]
            if value in (None, ""):
                return None
            known = VALUE_ORDER[sort]
            return (known.index(value) if value in known else len(known), value, row_id)
        side = self.places[int(c["b" if sort.endswith("_b") else "a"][position])]
        if sort.startswith("name"):
            return (side.name.casefold(), row_id)
        return (side.country_name.casefold(), side.name.casefold(), row_id)

    def values_of(self, position: int) -> dict[str, set]:
        """A row's values of each dense facet (what its bits are set in)."""
        c, vocab = self.columns, self.vocab
        sides = (self.places[int(c["a"][position])], self.places[int(c["b"][position])])
        values = {
            facet: {v for side in sides if (v := getattr(side, field)) not in (None, "")}
            for facet, field in SIDE_FACETS.items()
        }
        for name in OWN:
            value = vocab[name][c[name][position]]
            values[name] = set() if value in (None, "") else {value}
        return values


def text_index(sides: Iterable[Side]) -> tuple[str, np.ndarray, np.ndarray]:
    """All places' haystacks in one string (NUL between them), where each starts, and its id."""
    sides = list(sides)
    hays = [side.haystack() for side in sides]
    lengths = np.fromiter((len(h) + 1 for h in hays), dtype=np.int64, count=len(hays))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if hays else np.zeros(0, np.int64)
    ids = np.fromiter((side.id for side in sides), dtype=np.int64, count=len(sides))
    return "\0".join(hays), starts, ids


# --- building from columns -------------------------------------------------------------------


def _groups(values: np.ndarray, positions: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(value, its positions) for each distinct value."""
    if not len(values):
        return
    order = np.argsort(values, kind="stable")
    values, positions = values[order], positions[order]
    bounds = np.flatnonzero(values[1:] != values[:-1]) + 1
    for start, stop in zip(np.r_[0, bounds], np.r_[bounds, len(values)], strict=True):
        yield values[start].item(), positions[start:stop]


def _ranks(keys: list) -> np.ndarray:
    """Each key's rank among the distinct keys (equal keys, equal ranks)."""
    rank = {key: i for i, key in enumerate(sorted(set(keys)))}
    return np.fromiter((rank[k] for k in keys), dtype=np.int64, count=len(keys))


def assemble(
    columns: dict[str, np.ndarray],
    vocab: dict[str, list],
    places: dict[int, Side],
    facet_labels: dict,
    identity: int | None,
    seq: int,
) -> RegistryTable:
    """A table from its columns: masks, orders and place rows computed with numpy."""
    size = len(columns["id"])
    everyone = np.arange(size, dtype=np.int32)
    masks: dict[str, dict] = {}
    for name in OWN:
        words = vocab[name]
        masks[name] = {
            words[code]: bits_of(rows, size)
            for code, rows in _groups(columns[name], everyone)
            if words[code] not in (None, "")
        }
    place_ids = np.array(sorted(places), dtype=np.int64)
    sides = [places[p] for p in place_ids.tolist()]
    a_at = np.searchsorted(place_ids, columns["a"])
    b_at = np.searchsorted(place_ids, columns["b"])
    for facet, field in SIDE_FACETS.items():
        words = sorted({v for s in sides if (v := getattr(s, field)) not in (None, "")})
        code = {w: i for i, w in enumerate(words)}
        of_place = np.fromiter(
            (code.get(getattr(s, field), -1) for s in sides), dtype=np.int64, count=len(sides)
        )
        both = np.concatenate((of_place[a_at], of_place[b_at]))
        rows = np.concatenate((everyone, everyone))
        masks[facet] = {
            words[c]: bits_of(r, size) for c, r in _groups(both, rows) if c >= 0
        }
    ids = columns["id"]
    by_name = _ranks([s.name.casefold() for s in sides])
    by_country = _ranks([(s.country_name.casefold(), s.name.casefold()) for s in sides])
    dated = np.array([bool(d) for d in vocab["established"]] + [False], dtype=bool)
    date_rank = np.append(_ranks(vocab["established"]), 0)
    has_date = dated[columns["established"]]  # NO_DATE (-1) reads the appended False
    orders = {
        "id": (everyone, everyone[:0]),
        "name_a": (everyone[np.lexsort((ids, by_name[a_at]))], everyone[:0]),
        "country": (everyone[np.lexsort((ids, by_country[a_at]))], everyone[:0]),
        "established": (
            everyone[has_date][
                np.lexsort((ids[has_date], date_rank[columns["established"][has_date]]))
            ],
            everyone[~has_date],
        ),
        "created": (everyone[np.lexsort((ids, columns["created"]))], everyone[:0]),
    }
    live = np.ones(size, dtype=bool)
    return RegistryTable(
        columns=columns,
        vocab=vocab,
        places=places,
        place_rows=PlacePositions.of(columns["a"], columns["b"], live),
        masks=masks,
        orders=orders,
        labels=facet_labels,
        full=(1 << size) - 1,
        identity=identity,
        seq=seq,
    )


# --- reading from the database ------------------------------------------------------------------


def log_state(session: Session) -> tuple[int | None, int, int | None]:
    """The database's identity, the change log's last and first line (0 and None if empty)."""
    identity = session.scalar(select(RegistryVersion.identity).where(RegistryVersion.id == 1))
    last, first = session.execute(
        select(func.max(RegistryChange.seq), func.min(RegistryChange.seq))
    ).one()
    return identity, last or 0, first


def read_sides(session: Session, place_ids: Iterable[int] | None = None) -> dict[int, Side]:
    """The places on a side of a pair (all of them, or these), as Sides."""
    countries = {c.iso2: c for c in session.scalars(select(Country))}
    columns = select(
        Place.id, Place.name, Place.name_zh, Place.country_code, Place.province_code,
        Place.region3, Place.lat, Place.lon, Place.kind, Place.admin_level,
    )  # fmt: skip
    if place_ids is None:
        used = union(select(Partnership.place_a_id), select(Partnership.place_b_id)).subquery()
        queries = [columns.where(Place.id.in_(select(used.c[0])))]
    else:
        wanted = sorted(set(place_ids))
        queries = [
            columns.where(Place.id.in_(wanted[i : i + 500])) for i in range(0, len(wanted), 500)
        ]
    label = {iso2: country_labels(iso2, c.name_en, c.name_zh) for iso2, c in countries.items()}
    sides, pool = {}, {}
    for query in queries:
        rows = session.execute(query.execution_options(yield_per=STREAM_ROWS))
        for pid, name, name_zh, cc, province, region, lat, lon, kind, admin_level in rows:
            en, zh = label.get(cc, (cc, None))
            continent = countries[cc].continent if cc in countries else None
            sides[pid] = shared_side(
                (pid, name, name_zh, cc, en, zh, province, region, continent, lat, lon,
                 place_level(kind, admin_level)),
                pool,
            )  # fmt: skip
    return sides


# The fields of a Side that many places share (country, its names, province, region...).
_SHARED = (3, 4, 5, 6, 7, 8, 11)


def shared_side(fields: Sequence, pool: dict) -> Side:
    """A Side whose repeated values are one object each (a pool of them): 200 bytes less per
    place than a string of its own per field, at 100,000s of places."""
    fields = list(fields)
    for i in _SHARED:
        value = fields[i]
        if value is not None:
            fields[i] = pool.setdefault(value, value)
    return Side(*fields)


PAIR_COLUMNS = (
    Partnership.id, Partnership.place_a_id, Partnership.place_b_id, Partnership.kind,
    Partnership.level, Partnership.status, Partnership.established, Partnership.source,
    Partnership.created_at,
)  # fmt: skip


def read_pairs(session: Session, ids: Iterable[int] | None = None) -> Iterator[tuple]:
    """Partnership rows (all, or these), in id order: (id, a, b, kind, level, status,
    established, source, created_at)."""
    query = select(*PAIR_COLUMNS).order_by(Partnership.id)
    if ids is None:
        yield from session.execute(query.execution_options(yield_per=STREAM_ROWS))
        return
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), 500):
        yield from session.execute(query.where(Partnership.id.in_(wanted[i : i + 500])))


def encode(rows: Sequence[tuple], vocab: dict[str, list]) -> dict[str, np.ndarray]:
    """Pair rows as columns; codes index `vocab`, which grows with new values."""
    codes = {name: {w: i for i, w in enumerate(words)} for name, words in vocab.items()}

    def code(name: str, value) -> int:
        known = codes[name]
        if value not in known:
            known[value] = len(vocab[name])
            vocab[name].append(value)
        return known[value]

    n = len(rows)
    columns = {
        "id": np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
        "a": np.fromiter((r[1] for r in rows), dtype=np.int64, count=n),
        "b": np.fromiter((r[2] for r in rows), dtype=np.int64, count=n),
    }
    for name, at in (("kind", 3), ("level", 4), ("status", 5), ("source", 7)):
        columns[name] = np.fromiter((code(name, r[at]) for r in rows), dtype=np.uint16, count=n)
    columns["established"] = np.fromiter(
        (NO_DATE if r[6] is None else code("established", r[6]) for r in rows),
        dtype=np.int32, count=n,
    )  # fmt: skip
    created = np.array([r[8] for r in rows], dtype="datetime64[us]").astype(np.int64)
    columns["created"] = created if n else np.zeros(0, np.int64)
    return columns


def facet_labels(session: Session, provinces: Iterable[str]) -> dict:
    countries = session.scalars(select(Country))
    province_names = {}
    wanted = sorted(set(provinces))
    for i in range(0, len(wanted), 500):
        province_names.update(
            (code, (name, name_zh))
            for code, name, name_zh in session.execute(
                select(Place.gb_code, Place.name, Place.name_zh).where(
                    Place.gb_code.in_(wanted[i : i + 500])
                )
            )
        )
    return {
        "country": {c.iso2: country_labels(c.iso2, c.name_en, c.name_zh) for c in countries},
        "continent": labels.CONTINENT_LABELS,
        "province": province_names,
        "region": labels.REGION_LABELS,
        "level": labels.LEVEL_LABELS,
        "kind": labels.KIND_LABELS,
        "status": labels.STATUS_LABELS,
        "source": labels.SOURCE_LABELS,
    }


def build(session: Session) -> RegistryTable:
    """The table from scratch."""
    identity, seq, _first = log_state(session)  # read first: the rows are at least this new
    places = read_sides(session)
    vocab: dict[str, list] = {name: [] for name in (*OWN, "established")}
    columns = encode(list(read_pairs(session)), vocab)
    provinces = {side.province_code for side in places.values() if side.province_code}
    table = assemble(columns, vocab, places, facet_labels(session, provinces), identity, seq)
    # Long-lived objects (the places): keep them out of the cyclic garbage collector's passes.
    gc.freeze()
    return table


def registry_table(session: Session) -> RegistryTable:
    """The table of the session's database, patched or rebuilt first if the registry has
    changed (amity.partnerships.table_patch.refresh)."""
    from amity.partnerships.table_patch import refresh

    key = (cache.database_key(session), CACHE_NAME)
    return registry_cached(session, CACHE_NAME, lambda: refresh(session, cache.CACHE.peek(key)))


def invalidate(session: Session) -> None:
    """Forget the table of a session's database; the next read rebuilds it."""
    cache.forget((cache.database_key(session), CACHE_NAME))


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
def _keep_table(session: Session) -> None:
    # A commit keeps the table: the next read patches it with the change log.
    session.info.pop("registry_changed", None)


@event.listens_for(Session, "after_rollback")
def _drop_stale_table(session: Session) -> None:
    # A table read inside a transaction that wrote may hold its rolled-back rows, under a change
    # log seq that SQLite hands out again: forget it.
    if session.info.pop("registry_changed", False):
        invalidate(session)


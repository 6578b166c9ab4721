"""The facet engine: filters, counts per facet value, sort orders, pages and text search over rows
held in memory, so that a filtered list with all its facets takes a millisecond.

A domain declares its facets (what values a row has), its sort orders and its searchable text;
the engine knows nothing else of it. Each facet value maps to a bitset of the rows having it,
held in a Python int (bit i = the i-th row). A selection is the AND, over the filters in use, of
the OR of each filter's chosen values; a facet count is a popcount of (value & selection). Each
facet is counted over the selection made by the *other* filters (the Datasette convention), so
its counts say what choosing another value would give.

A table is built once per state of the data and kept in `amity.core.cache`; it also remembers
the counts and renderings of recent selections for its life. `Selections` is the answering half
(bitsets, orders, counts, labels, memos); `FacetTable` builds it from row objects, while a large
domain table may build it from columns (the registry's, amity.partnerships.facet_table).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, Generic, TypeVar

import numpy as np

R = TypeVar("R")
T = TypeVar("T")

# Selections whose counts a table remembers (each holds a bitset: 350 KB at 2.8 M rows).
MEMO_SIZE = 128
# Recent text searches a table remembers.
TEXT_MEMO_SIZE = 256


@dataclass(frozen=True)
class Facet(Generic[R]):
    """A facet: `value(row)` is the row's value (None: none), or with `many` an iterable of
    values (a row counts once per distinct value). A `sparse` facet (one value per place among
    100,000, say) keeps lists of positions instead of bitsets, a mask being made when asked."""

    name: str
    value: Callable[[R], Any]
    many: bool = False
    sparse: bool = False


@dataclass(frozen=True)
class Sort(Generic[R]):
    """A sort order: rows by `key` ascending, those for which `has` is false after them in table
    order. Without a key, table order itself (free to build)."""

    key: Callable[[R], Any] | None = None
    has: Callable[[R], bool] | None = None


def bitset(positions: Iterable[int], size: int) -> int:
    """The bitset of some positions among `size` rows."""
    bits = bytearray((size + 7) // 8)
    for i in positions:
        bits[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(bits, "little")


def _no_value(value: Any) -> bool:
    return value is None or value == ""


def _positions(rows: Sequence[R], facet: Facet[R]) -> dict[Hashable, list[int]]:
    """Value -> positions of the rows having it, each row once per distinct value."""
    by_value: dict[Hashable, list[int]] = defaultdict(list)
    get = facet.value
    if facet.many:
        for i, row in enumerate(rows):
            for value in get(row):
                if not _no_value(value):
                    positions = by_value[value]
                    if not positions or positions[-1] != i:  # a row counts once per value
                        positions.append(i)
    else:
        for i, row in enumerate(rows):
            value = get(row)
            if not _no_value(value):
                by_value[value].append(i)
    return dict(by_value)


def bits_of(positions: Any, size: int) -> int:
    """The bitset of some positions (a numpy array or any iterable of ints) among `size` rows,
    made with numpy: a few milliseconds for millions of positions."""
    flags = np.zeros(max(size, 1), dtype=bool)
    flags[np.asarray(positions, dtype=np.int64)] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def flags_of(mask: int, size: int) -> np.ndarray:
    """A bitset as one bool per row (numpy), to select from arrays of positions at once."""
    raw = np.frombuffer(mask.to_bytes((size + 7) // 8 or 1, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little", count=size).view(bool)


class Selections:
    """What every facet table answers with: bitsets per facet value, sort orders, labels, and
    memos of recent answers. How the bitsets and orders are made is the subclass's business
    (FacetTable from rows; a domain's table from columns)."""

    def __init__(
        self,
        size: int,
        masks: dict[str, dict[Hashable, int]],
        orders: dict[str, tuple[Sequence[int], Sequence[int]]],
        labels: Mapping[str, Mapping[Hashable, tuple[str, str | None]]] | None = None,
        full: int | None = None,
    ) -> None:
        self.size = size
        # The rows there are (a table patched in place may have holes where rows were removed).
        self.full = (1 << size) - 1 if full is None else full
        self.masks = masks
        # sort key -> (positions with a value in ascending order, positions without one)
        self.orders = orders
        self.labels = {facet: dict(by_value) for facet, by_value in (labels or {}).items()}
        self._remembered: dict[Hashable, Any] = {}
        self._rendered: dict[Hashable, bytes] = {}

    # --- masks -------------------------------------------------------------------------------

    def mask(self, positions: Iterable[int]) -> int:
        """The bitset of some positions."""
        return bitset(positions, self.size)

    def values(self, facet: str) -> Mapping[Hashable, int]:
        """A dense facet's values and their bitsets."""
        return self.masks[facet]

    # --- selections and counts ------------------------------------------------------------------

    def within(
        self, filters: Mapping[str, int], excluding: str | None = None, base: int | None = None
    ) -> int:
        """The rows of `base` (all rows by default) that every filter but `excluding` keeps."""
        mask = self.full if base is None else base
        for name, filter_mask in filters.items():
            if name != excluding:
                mask &= filter_mask
        return mask

    def counts(self, facet: str, within: int) -> dict[Hashable, int]:
        """How many rows of a selection have each value of a facet (values with none left out)."""
        counted = {value: (bits & within).bit_count() for value, bits in self.masks[facet].items()}
        return {value: n for value, n in counted.items() if n}

    def facet_counts(
        self, filters: Mapping[str, int], facets: Iterable[str], base: int | None = None
    ) -> dict[str, dict[Hashable, int]]:
        """Each facet's counts over the selection made by the filters other than its own."""
        return {f: self.counts(f, self.within(filters, excluding=f, base=base)) for f in facets}

    def label(self, facet: str, value: Hashable) -> tuple[str, str | None]:
        """A value's (English, Chinese) label, the value itself when it has none."""
        return self.labels.get(facet, {}).get(value, (str(value), None))

    def labelled_counts(self, facet: str, within: int, chosen: Iterable[Hashable]) -> list[dict]:
        """A facet's counts with labels, most frequent first then by label; values chosen by the
        filter stay listed (with 0) so that they can be unchosen."""
        chosen = set(chosen)
        counts = {value: (bits & within).bit_count() for value, bits in self.masks[facet].items()}
        rows = []
        for value, count in counts.items():
            if count or value in chosen:
                rows.append(self._labelled(facet, value, count))
        rows += [self._labelled(facet, value, 0) for value in chosen - counts.keys()]
        rows.sort(key=lambda r: (-r["count"], r["label"].casefold()))
        return rows

    def _labelled(self, facet: str, value: Hashable, count: int) -> dict:
        label, label_zh = self.label(facet, value)
        return {"value": value, "label": label, "label_zh": label_zh, "count": count}

    # --- order and pages ------------------------------------------------------------------------

    def ordered(self, mask: int, sort: str) -> Iterator[int]:
        """Positions of a selection in a sort order ("-key" descends; rows without a value last)."""
        ranked, unranked = self.orders[sort.removeprefix("-")]
        order = chain(reversed(ranked) if sort.startswith("-") else ranked, unranked)
        if mask == self.full:
            return order
        return self.among(mask, order)

    def among(self, mask: int, order: Iterable[int]) -> Iterator[int]:
        """The positions of `order` that are in the selection, in that order."""
        bits = mask.to_bytes((self.size + 7) // 8 or 1, "little")
        return (i for i in order if bits[i >> 3] >> (i & 7) & 1)

    # --- memos ----------------------------------------------------------------------------------

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute()'s answer under this key, computed once per table (a bounded memo).

        Only successful answers are kept: a filter refused with an error is checked again."""
        answer = self._remembered.get(key)
        if answer is None:
            # Bounded: other threads may clear it at any moment, which only costs a recount.
            if len(self._remembered) >= MEMO_SIZE:
                self._remembered.clear()
            answer = self._remembered[key] = compute()
        return answer

    def rendered(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        """render()'s bytes for this key, kept for the life of the table (a bounded memo)."""
        body = self._rendered.get(key)
        if body is None:
            if len(self._rendered) >= MEMO_SIZE * 4:
                self._rendered.clear()
            body = self._rendered[key] = render()
        return body


class FacetTable(Selections, Generic[R]):
    """Rows with bitsets per facet value, orders per sort key, and memos of recent answers."""

    def __init__(
        self,
        rows: list[R],
        facets: Sequence[Facet[R]],
        sorts: Mapping[str, Sort[R]] | None = None,
        text: Callable[[R], str] | None = None,
        labels: Mapping[str, Mapping[Hashable, tuple[str, str | None]]] | None = None,
    ) -> None:
        self.rows = rows
        size = len(rows)
        # sparse facet -> value -> positions; dense facet -> value -> bitset
        self.positions: dict[str, dict[Hashable, list[int]]] = {}
        masks: dict[str, dict[Hashable, int]] = {}
        for facet in facets:
            by_value = _positions(rows, facet)
            if facet.sparse:
                self.positions[facet.name] = by_value
            else:
                masks[facet.name] = {v: bitset(p, size) for v, p in by_value.items()}
        super().__init__(size, masks, {}, labels)
        self.orders = {name: self._order(sort) for name, sort in (sorts or {}).items()}
        self._text = text
        self._haystacks: list[str] | None = None
        self._text_masks: dict[str, int] = {}

    def _order(self, sort: Sort[R]) -> tuple[array, array]:
        # 4-byte arrays: a list of ints costs 9x the memory.
        everyone = range(self.size)
        rows, key, has = self.rows, sort.key, sort.has
        if key is None:
            return array("i", everyone), array("i")
        among = everyone if has is None else [i for i in everyone if has(rows[i])]
        ranked = array("i", sorted(among, key=lambda i: key(rows[i])))
        if has is None:
            return ranked, array("i")
        return ranked, array("i", (i for i in everyone if not has(rows[i])))

    # --- masks -------------------------------------------------------------------------------

    def facet_mask(self, facet: str, values: Iterable[Hashable]) -> int:
        """Rows having any of the values."""
        if facet in self.positions:
            by_value = self.positions[facet]
            return self.mask(chain.from_iterable(by_value.get(v, ()) for v in values))
        mask = 0
        by_value = self.masks[facet]
        for value in values:
            mask |= by_value.get(value, 0)
        return mask

    def positions_of(self, facet: str, value: Hashable) -> list[int]:
        """Positions of the rows having a value of a sparse facet, in table order."""
        return self.positions[facet].get(value, [])

    def text_mask(self, text: str) -> int:
        """Rows whose text contains this text (case folded)."""
        needle = text.casefold()
        mask = self._text_masks.get(needle)
        if mask is None:
            # A small memo of recent searches; other threads may clear it at any moment.
            if len(self._text_masks) > TEXT_MEMO_SIZE:
                self._text_masks.clear()
            if self._haystacks is None:  # built on the first search (300 MB at 2.8 M rows)
                assert self._text is not None, "this table has no text to search"
                self._haystacks = [self._text(row).casefold() for row in self.rows]
            hits = (i for i, hay in enumerate(self._haystacks) if needle in hay)
            mask = self._text_masks[needle] = self.mask(hits)
        return mask

    def range_mask(self, sort: str, low: Any, high: Any, key: Callable[[R], Any]) -> int:
        """Rows whose key is in [low, high), found by bisection in a sort order whose ranked
        positions ascend by that key (a slice, not a scan)."""
        ranked, _unranked = self.orders[sort]
        rows = self.rows
        start = bisect_left(ranked, low, key=lambda i: key(rows[i]))
        stop = bisect_left(ranked, high, key=lambda i: key(rows[i]))
        return self.mask(ranked[start:stop])

    def page(self, mask: int, sort: str, page: int, per_page: int) -> list[R]:
        """The rows of one page (counted from 1) of a selection in a sort order."""
        start = (page - 1) * per_page
        return [self.rows[i] for i in islice(self.ordered(mask, sort), start, start + per_page)]

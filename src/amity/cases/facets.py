"""Facet counts from bitsets kept in memory: one bitset of cases per facet value.

Counting in SQL joined every matching case with its tags once per facet; with thousands of
matches that took longer than the search. Here a selection is an integer whose bit i says that
the i-th case is in it, so a facet value's count is one AND and one popcount. The bitsets are
built from the tables on first use and rebuilt when the cases change (their count or latest
update differ), so every process sees every write.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from amity.cases.models import Case

FACETS = ("field", "mode", "year", "country", "place")


@dataclass
class FacetIndex:
    """The cases' facet values as bitsets over positions (position = index in `ids`)."""

    stamp: tuple
    ids: list[int]
    years: list[int | None]
    positions: dict[int, int]
    members: dict[str, dict[object, frozenset[int]]] = field(default_factory=dict)
    bits: dict[str, dict[object, int]] = field(default_factory=dict)
    _newest: list[int] | None = None

    @property
    def everything(self) -> int:
        return (1 << len(self.ids)) - 1

    def bitset(self, positions) -> int:
        """The bitset of a collection of positions."""
        mask = bytearray((len(self.ids) + 8) // 8)
        for position in positions:
            mask[position >> 3] |= 1 << (position & 7)
        return int.from_bytes(mask, "little")

    def chosen(self, facet: str, values: tuple) -> tuple[int, frozenset[int]]:
        """The cases having any of the values: as a bitset, and as a set of positions."""
        bits = 0
        for value in set(values):
            bits |= self.bits[facet].get(value, 0)
        union = frozenset().union(*(self.members[facet].get(v, frozenset()) for v in values))
        return bits, union

    def newest_first(self) -> list[int]:
        """Every position, the newest case first (by year, then id), for searches without words."""
        if self._newest is None:
            self._newest = sorted(
                range(len(self.ids)), key=lambda i: (-(self.years[i] or 0), -self.ids[i])
            )
        return self._newest

    def counts(self, facet: str, selection: int) -> dict[object, int]:
        """How many selected cases have each value of a facet (values with none left out)."""
        counted = {
            value: (bits & selection).bit_count() for value, bits in self.bits[facet].items()
        }
        return {value: n for value, n in counted.items() if n}


_indexes: dict[str, FacetIndex] = {}
_lock = threading.Lock()


def _stamp(session: Session) -> tuple:
    # Two scalar subqueries: each one an index-only read (together, engines scan the table).
    count = select(func.count()).select_from(Case).scalar_subquery()
    latest = select(func.max(Case.updated_at)).scalar_subquery()
    return tuple(session.execute(select(count, latest)).one())


def facet_index(session: Session) -> FacetIndex:
    """The facet bitsets of this database, rebuilt when the cases changed."""
    key = session.get_bind().url.render_as_string(hide_password=False)
    stamp = _stamp(session)
    current = _indexes.get(key)
    if current is not None and current.stamp == stamp:
        return current
    built = _build(session, stamp)
    with _lock:
        _indexes[key] = built
    return built


def forget(session: Session) -> None:
    """Drop this database's bitsets (a write in this process; others notice by the stamp)."""
    with _lock:
        _indexes.pop(session.get_bind().url.render_as_string(hide_password=False), None)


def _build(session: Session, stamp: tuple) -> FacetIndex:
    rows = session.execute(select(Case.id, Case.year).order_by(Case.id)).all()
    index = FacetIndex(
        stamp=stamp,
        ids=[r.id for r in rows],
        years=[r.year for r in rows],
        positions={r.id: i for i, r in enumerate(rows)},
    )
    members: dict[str, dict[object, set[int]]] = {name: defaultdict(set) for name in FACETS}
    for position, year in enumerate(index.years):
        if year is not None:
            members["year"][year].add(position)
    tags = session.execute(text("SELECT case_id, kind, code FROM case_tags"))
    for case_id, kind, code in tags:
        if case_id in index.positions:
            members[kind][code].add(index.positions[case_id])
    for case_id, place_id in session.execute(text("SELECT case_id, place_id FROM case_places")):
        if case_id in index.positions:
            members["place"][place_id].add(index.positions[case_id])
    for name in FACETS:
        index.members[name] = {v: frozenset(p) for v, p in members[name].items()}
        index.bits[name] = {v: index.bitset(p) for v, p in members[name].items()}
    return index

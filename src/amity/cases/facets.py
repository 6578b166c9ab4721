"""The cases as a facet table (amity.core.facets): one row per case, by id, with its fields, modes,
year, countries and places as facets.

Counting in SQL joined every matching case with its tags once per facet; with thousands of
matches that took longer than the search. Here a facet value's count is one AND and one
popcount. The table is kept in amity.core.cache under a stamp of the cases (their count and
latest update), so every process sees every write; a write in this process drops it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _default

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from amity.cases.models import Case
from amity.core import cache
from amity.core.facets import Facet, FacetTable, Sort

CACHE_NAME = "cases:facet-table"


@dataclass(slots=True)
class CaseFacts:
    """What filters and facets need of one case."""

    id: int
    year: int | None
    field: set[str] = _default(default_factory=set)
    mode: set[str] = _default(default_factory=set)
    country: set[str] = _default(default_factory=set)
    place: set[int] = _default(default_factory=set)


FACETS = (
    Facet("field", lambda c: c.field, many=True),
    Facet("mode", lambda c: c.mode, many=True),
    Facet("year", lambda c: c.year),
    Facet("country", lambda c: c.country, many=True),
    Facet("place", lambda c: c.place, many=True),
)
# Searches without words list the newest cases first (by year, then id).
SORTS = {"newest": Sort(lambda c: (-(c.year or 0), -c.id))}


class CaseTable(FacetTable[CaseFacts]):
    """The cases' facets as bitsets over positions, and each case's position by id."""

    def __init__(self, rows: list[CaseFacts]) -> None:
        super().__init__(rows, FACETS, SORTS)
        self.positions_by_id = {row.id: i for i, row in enumerate(rows)}


def _stamp(session: Session) -> tuple:
    # Two scalar subqueries: each one an index-only read (together, engines scan the table).
    count = select(func.count()).select_from(Case).scalar_subquery()
    latest = select(func.max(Case.updated_at)).scalar_subquery()
    return tuple(session.execute(select(count, latest)).one())


def facet_table(session: Session) -> CaseTable:
    """The facet table of this database, rebuilt when the cases changed."""
    return cache.cached(
        (cache.database_key(session), CACHE_NAME), _stamp(session), lambda: _build(session)
    )


def forget(session: Session) -> None:
    """Drop this database's table (a write in this process; others notice by the stamp)."""
    cache.forget((cache.database_key(session), CACHE_NAME))


def _build(session: Session) -> CaseTable:
    rows = [
        CaseFacts(case_id, year)
        for case_id, year in session.execute(select(Case.id, Case.year).order_by(Case.id))
    ]
    by_id = {row.id: row for row in rows}
    for case_id, kind, code in session.execute(text("SELECT case_id, kind, code FROM case_tags")):
        if case_id in by_id:
            getattr(by_id[case_id], kind).add(code)
    for case_id, place_id in session.execute(text("SELECT case_id, place_id FROM case_places")):
        if case_id in by_id:
            by_id[case_id].place.add(place_id)
    return CaseTable(rows)

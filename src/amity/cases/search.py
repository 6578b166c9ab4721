"""Case search: ranked matches from the full-text index, facet counts from bitsets, highlights.

One statement per search asks the engine for the matching cases and their rank (bm25 on SQLite,
ts_rank on PostgreSQL); filters, totals, facet counts and the page are then worked out from
the cases' facet table in memory (amity.cases.facets), the same way on both engines.
"""

from __future__ import annotations

import importlib
import importlib.util
from itertools import islice
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from amity.cases import fulltext
from amity.cases.facets import CaseTable, facet_table
from amity.cases.highlight import mark, snippet, term_pattern
from amity.cases.models import Case
from amity.cases.schemas import FACETS, CaseQuery
from amity.cases.service import case_dict
from amity.places.models import Country, Place

FACET_LIMIT = 30


def search_cases(session: Session, query: CaseQuery) -> dict[str, Any]:
    """Cases matching the words and filters, best first, with highlights and facet counts.

    A facet's counts ignore that facet's own filter, so they show what choosing another value
    gives; the other filters and the words hold.
    """
    parsed = fulltext.parse_query(query.q)
    result: dict[str, Any] = {"total": 0, "page": query.page, "per_page": query.per_page}
    if query.q and parsed.empty:
        # Only punctuation: nothing can match, and "no words" must not mean "everything".
        return {**result, "items": [], "facets": {name: [] for name in FACETS}}
    table = facet_table(session)
    order, hits = _matches(session, table, parsed)
    chosen = {name: table.facet_mask(name, values) for name, values in query.filters().items()}
    selection = table.within(chosen, base=hits)
    result["total"] = selection.bit_count()
    start = (query.page - 1) * query.per_page
    page = islice(table.among(selection, order), start, start + query.per_page)
    ids = [table.rows[position].id for position in page]
    cases = {
        c.id: c
        for c in session.scalars(
            select(Case).where(Case.id.in_(ids)).options(selectinload(Case.places))
        )
    }
    pattern = term_pattern(parsed.terms())
    result["items"] = [
        {**case_dict(cases[i]), "highlight": _highlight(cases[i], pattern)}
        for i in ids
        if i in cases
    ]
    counts = table.facet_counts(chosen, FACETS, base=hits)
    result["facets"] = _facet_lists(session, counts)
    return result


def _matches(
    session: Session, table: CaseTable, parsed: fulltext.ParsedQuery
) -> tuple[list[int], int]:
    """Positions of the matching cases, best first, and their bitset."""
    if parsed.empty:
        newest, _undated = table.orders["newest"]
        return newest, table.full
    sql, params = fulltext.hits_sql(session.get_bind().dialect.name, parsed, ranked=True)
    ranked = []
    for case_id, rank in session.execute(text(sql), params):
        position = table.positions_by_id.get(case_id)
        if position is not None:  # a case written since the table was built waits for it
            ranked.append((rank, -(table.rows[position].year or 0), -case_id, position))
    ranked.sort()
    order = [item[3] for item in ranked]
    return order, table.mask(order)


def _facet_lists(session: Session, counts: dict[str, dict[Any, int]]) -> dict[str, list[dict]]:
    """Facet values with counts (most first, at most FACET_LIMIT) and their names."""

    def ordered(name: str) -> list[tuple[Any, int]]:
        ranked = sorted(counts.get(name, {}).items(), key=lambda item: (-item[1], item[0]))
        return ranked[:FACET_LIMIT]

    labels = taxonomy_labels(session)
    facets: dict[str, list[dict]] = {}
    for kind in ("field", "mode"):
        facets[kind] = []
        for code, n in ordered(kind):
            label_en, label_zh = labels[kind].get(code, (code, code))
            facets[kind].append(
                {"value": code, "count": n, "label_en": label_en, "label_zh": label_zh}
            )
    facets["year"] = [
        {"value": year, "count": n}
        for year, n in sorted(counts.get("year", {}).items(), key=lambda item: -item[0])
    ]
    countries = ordered("country")
    names = {
        c.iso2: (c.name_en, c.name_zh)
        for c in session.scalars(select(Country).where(Country.iso2.in_([c for c, _ in countries])))
    }
    facets["country"] = [
        {"value": code, "count": n, "name_en": names.get(code, (code, code))[0],
         "name_zh": names.get(code, (code, code))[1]}
        for code, n in countries
    ]  # fmt: skip
    place_counts = ordered("place")
    places = {
        p.id: p
        for p in session.scalars(select(Place).where(Place.id.in_([i for i, _ in place_counts])))
    }
    facets["place"] = [
        {"value": pid, "count": n, "name": places[pid].name, "name_zh": places[pid].name_zh}
        for pid, n in place_counts
        if pid in places
    ]
    return facets


def taxonomy_labels(session: Session) -> dict[str, dict[str, tuple[str, str]]]:
    """(English, Chinese) labels of field and mode codes, from the exchanges' taxonomy."""
    if importlib.util.find_spec("amity.exchanges.taxonomy") is None:
        return {"field": {}, "mode": {}}  # codes are shown as they are
    taxonomy = importlib.import_module("amity.exchanges.taxonomy")
    return {kind: taxonomy.labels(session, kind) for kind in ("field", "mode")}


def _highlight(case: Case, pattern) -> dict[str, str]:
    """The titles marked, and a marked snippet per language (HTML, escaped)."""
    return {
        "title_zh": mark(case.title_zh, pattern),
        "title_en": mark(case.title_en, pattern),
        "snippet_zh": snippet([case.summary_zh, case.body_zh, case.lessons_zh], pattern),
        "snippet_en": snippet([case.summary_en, case.body_en, case.lessons_en], pattern),
    }

"""Case search: ranked matches, highlights, and facet counts, in two statements per search.

The matching cases are computed once per statement (a MATERIALIZED common table expression):
otherwise the engines may re-run the full-text match for every row of a join.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from amity.cases import index
from amity.cases.highlight import mark, snippet, term_pattern
from amity.cases.models import Case
from amity.cases.schemas import FACETS, CaseQuery
from amity.cases.service import case_dict
from amity.places.models import Country, Place

FACET_LIMIT = 30
# Each facet: the column counted and the join that brings it (b is a matching case).
_FACET_SOURCES = {
    "field": ("f.code", "JOIN case_tags f ON f.case_id = b.case_id AND f.kind = 'field'"),
    "mode": ("f.code", "JOIN case_tags f ON f.case_id = b.case_id AND f.kind = 'mode'"),
    "year": ("CAST(b.year AS VARCHAR(10))", ""),
    "country": ("f.code", "JOIN case_tags f ON f.case_id = b.case_id AND f.kind = 'country'"),
    "place": ("CAST(cp.place_id AS VARCHAR(20))", "JOIN case_places cp ON cp.case_id = b.case_id"),
}


def search_cases(session: Session, query: CaseQuery) -> dict[str, Any]:
    """Cases matching the words and filters, best first, with highlights and facet counts.

    A facet's counts ignore that facet's own filter, so they show what choosing another value
    gives; the other filters and the words hold.
    """
    dialect = session.get_bind().dialect.name
    parsed = index.parse_query(query.q)
    result: dict[str, Any] = {"total": 0, "page": query.page, "per_page": query.per_page}
    if query.q and parsed.empty:
        # Only punctuation: nothing can match, and "no words" must not mean "everything".
        return {**result, "items": [], "facets": {name: [] for name in FACETS}}
    where, params = _filters(query.filters())
    counts = _counts(session, dialect, parsed, where, params)
    result["total"] = counts.pop("total", {}).get(None, 0)
    ids = _page(session, dialect, parsed, where, params, query)
    cases = {
        c.id: c
        for c in session.scalars(
            select(Case).where(Case.id.in_(ids)).options(selectinload(Case.places))
        )
    }
    pattern = term_pattern(parsed.terms())
    result["items"] = [
        {**case_dict(cases[i]), "highlight": _highlight(cases[i], pattern)} for i in ids
    ]
    result["facets"] = _facet_lists(session, counts)
    return result


def _with_hits(dialect: str, parsed: index.ParsedQuery, *, ranked: bool) -> tuple[str, dict]:
    hits, params = index.hits_sql(dialect, parsed, ranked=ranked)
    return (
        f"WITH hits AS MATERIALIZED ({hits}), "
        "base AS MATERIALIZED (SELECT h.case_id, h.rank, c.year FROM hits h "
        "JOIN cases c ON c.id = h.case_id) ",
        params,
    )


def _where(where: dict[str, str], skip: str | None = None) -> str:
    clauses = [clause for name, clause in where.items() if name != skip]
    return " AND ".join(clauses) or "1 = 1"


def _counts(
    session: Session,
    dialect: str,
    parsed: index.ParsedQuery,
    where: dict[str, str],
    params: dict[str, Any],
) -> dict[str, dict[str | None, int]]:
    """The total and every facet's counts, in one statement."""
    head, hit_params = _with_hits(dialect, parsed, ranked=False)
    parts = [
        f"SELECT 'total' AS facet, NULL AS value, count(*) AS n FROM base b WHERE {_where(where)}"
    ]
    for name, (column, join) in _FACET_SOURCES.items():
        extra = " AND b.year IS NOT NULL" if name == "year" else ""
        parts.append(
            f"SELECT * FROM (SELECT '{name}' AS facet, {column} AS value, count(*) AS n "
            f"FROM base b {join} WHERE {_where(where, name)}{extra} "
            f"GROUP BY {column} ORDER BY n DESC, value LIMIT {FACET_LIMIT}) AS {name}_counts"
        )
    sql = head + " UNION ALL ".join(parts)
    counts: dict[str, dict[str | None, int]] = {}
    for row in session.execute(text(sql), {**hit_params, **params}):
        counts.setdefault(row.facet, {})[row.value] = row.n
    return counts


def _page(
    session: Session,
    dialect: str,
    parsed: index.ParsedQuery,
    where: dict[str, str],
    params: dict[str, Any],
    query: CaseQuery,
) -> list[int]:
    """The ids of one page of matches, best first (then newest)."""
    head, hit_params = _with_hits(dialect, parsed, ranked=True)
    sql = (
        f"{head}SELECT b.case_id FROM base b WHERE {_where(where)} "
        "ORDER BY b.rank, b.year DESC, b.case_id DESC LIMIT :limit OFFSET :offset"
    )
    page = {"limit": query.per_page, "offset": (query.page - 1) * query.per_page}
    return list(session.execute(text(sql), {**hit_params, **params, **page}).scalars())


def _filters(filters: dict[str, tuple]) -> tuple[dict[str, str], dict[str, Any]]:
    """SQL conditions on a matching case `b` per facet filter, with their parameters."""
    where: dict[str, str] = {}
    params: dict[str, Any] = {}
    for name, values in filters.items():
        names = [f"{name}_{i}" for i in range(len(values))]
        params |= dict(zip(names, values, strict=True))
        listed = ", ".join(f":{n}" for n in names)
        if name == "year":
            where[name] = f"b.year IN ({listed})"
        elif name == "place":
            where[name] = (
                "EXISTS (SELECT 1 FROM case_places p "
                f"WHERE p.case_id = b.case_id AND p.place_id IN ({listed}))"
            )
        else:
            where[name] = (
                "EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = b.case_id "
                f"AND t.kind = '{name}' AND t.code IN ({listed}))"
            )
    return where, params


def _facet_lists(
    session: Session, counts: dict[str, dict[str | None, int]]
) -> dict[str, list[dict]]:
    """Facet values with counts (most first) and their names in both languages."""

    def ordered(name: str) -> list[tuple[str, int]]:
        return sorted(counts.get(name, {}).items(), key=lambda item: (-item[1], item[0]))

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
        {"value": int(year), "count": n}
        for year, n in sorted(counts.get("year", {}).items(), key=lambda item: -int(item[0]))
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
    place_counts = [(int(pid), n) for pid, n in ordered("place")]
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

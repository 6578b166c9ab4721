"""Cases: create, change, delete, read, and search with ranking, highlights and facets."""

from __future__ import annotations

import importlib
import importlib.util
from functools import partial
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from amity.cases import index
from amity.cases.highlight import mark, snippet, term_pattern
from amity.cases.models import Case, CaseTag
from amity.cases.schemas import FACETS, CaseCreate, CaseQuery, CaseUpdate
from amity.errors import InvalidInput, NotFound
from amity.places.models import Country, Place
from amity.progress import Progress, silent

FACET_LIMIT = 30
_TEXT_FIELDS = (
    "title_zh", "title_en", "summary_zh", "summary_en", "body_zh", "body_en",
    "lessons_zh", "lessons_en", "year", "source", "source_url",
)  # fmt: skip


def get_case(session: Session, case_id: int) -> Case:
    """The case with this id, or NotFound."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"No case with id {case_id}.", {"case_id": case_id})
    return case


def create_case(session: Session, data: CaseCreate) -> Case:
    """Store a new case and index it."""
    case = Case(**{name: getattr(data, name) for name in _TEXT_FIELDS})
    session.add(case)
    _set_links(session, case, data.fields, data.modes, data.countries, data.place_ids)
    session.flush()
    index.write_case(session, case)
    return case


def update_case(session: Session, case_id: int, changes: CaseUpdate) -> Case:
    """Change the fields sent; the index follows."""
    case = get_case(session, case_id)
    sent = changes.model_dump(exclude_unset=True)
    for name in _TEXT_FIELDS:
        if name in sent:
            setattr(case, name, sent[name])
    if not (case.title_zh or case.title_en) or not case.source:
        raise InvalidInput("A case keeps a title and its source.", {"case_id": case_id})
    links = {"field": "fields", "mode": "modes"}
    if any(key in sent for key in (*links.values(), "countries", "place_ids")):
        current = {kind: [t.code for t in case.tags if t.kind == kind] for kind in links}
        _set_links(
            session,
            case,
            sent.get("fields", current["field"]),
            sent.get("modes", current["mode"]),
            sent.get("countries", _explicit_countries(case)),
            sent.get("place_ids", [p.id for p in case.places]),
        )
    session.flush()
    index.write_case(session, case)
    return case


def delete_case(session: Session, case_id: int) -> None:
    """Remove a case and its index entry."""
    case = get_case(session, case_id)
    index.remove_case(session, case.id)
    session.delete(case)
    session.flush()


def _explicit_countries(case: Case) -> list[str]:
    from_places = {p.country_code for p in case.places}
    return [t.code for t in case.tags if t.kind == "country" and t.code not in from_places]


def _set_links(
    session: Session,
    case: Case,
    fields: list[str],
    modes: list[str],
    countries: list[str],
    place_ids: list[int],
) -> None:
    places = []
    for place_id in dict.fromkeys(place_ids):
        place = session.get(Place, place_id)
        if place is None:
            raise NotFound(f"No place with id {place_id}.", {"place_id": place_id})
        places.append(place)
    case.places = places
    # A case's countries are its places' countries and any it names without a place.
    every_country = dict.fromkeys([*(p.country_code for p in places), *countries])
    case.tags = [
        *(CaseTag(kind="field", code=code) for code in dict.fromkeys(fields)),
        *(CaseTag(kind="mode", code=code) for code in dict.fromkeys(modes)),
        *(CaseTag(kind="country", code=code) for code in every_country),
    ]


def case_dict(case: Case) -> dict[str, Any]:
    """The JSON description of a case shared by the API, the CLI and the pages."""
    tags = {kind: [t.code for t in case.tags if t.kind == kind] for kind in ("field", "mode")}
    return {
        "id": case.id,
        **{name: getattr(case, name) for name in _TEXT_FIELDS},
        "fields": tags["field"],
        "modes": tags["mode"],
        "countries": sorted(t.code for t in case.tags if t.kind == "country"),
        "places": [
            {"id": p.id, "name": p.name, "name_zh": p.name_zh, "country": p.country_code}
            for p in case.places
        ],
    }


def reindex(session: Session, *, progress: Progress = silent) -> int:
    """Rewrite every case's index entry (after a change to the dictionary, say)."""
    ids = list(session.scalars(select(Case.id).order_by(Case.id)))
    for done, case_id in enumerate(ids, start=1):
        index.write_case(session, session.get(Case, case_id))
        if done % 500 == 0 or done == len(ids):
            progress("Indexing cases", done, len(ids))
    return len(ids)


def search_cases(session: Session, query: CaseQuery) -> dict[str, Any]:
    """Cases matching the words and filters, best first, with highlights and facet counts.

    A facet's counts ignore that facet's own filter, so they show what choosing another value
    gives; the other filters and the words hold.
    """
    dialect = session.get_bind().dialect.name
    parsed = index.parse_query(query.q)
    if query.q and parsed.empty:
        # Only punctuation: nothing can match, and "no words" must not mean "everything".
        facets = {name: [] for name in FACETS}
        return {"total": 0, "page": query.page, "per_page": query.per_page, "items": [],
                "facets": facets}  # fmt: skip
    ranked_sql, params = index.hits_sql(dialect, parsed, ranked=True)
    plain_sql, _ = index.hits_sql(dialect, parsed, ranked=False)
    where, filter_params = _filters(query.filters())
    params |= filter_params

    def selection(hits: str, skip: str | None = None, join: str = "", extra: str = "") -> str:
        clauses = [clause for name, clause in where.items() if name != skip]
        clauses = [*clauses, extra] if extra else clauses
        return f"FROM ({hits}) h JOIN cases c ON c.id = h.case_id {join} WHERE " + (
            " AND ".join(clauses) or "1 = 1"
        )

    total = session.execute(text(f"SELECT count(*) {selection(plain_sql)}"), params).scalar_one()
    rows = session.execute(
        text(
            f"SELECT h.case_id {selection(ranked_sql)} "
            "ORDER BY h.rank, c.year DESC, c.id DESC LIMIT :limit OFFSET :offset"
        ),
        {**params, "limit": query.per_page, "offset": (query.page - 1) * query.per_page},
    ).scalars()
    ids = list(rows)
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
    pattern = term_pattern(parsed.terms())
    items = [{**case_dict(cases[i]), "highlight": _highlight(cases[i], pattern)} for i in ids]
    facets = _facets(session, partial(selection, plain_sql), params)
    return {
        "total": total,
        "page": query.page,
        "per_page": query.per_page,
        "items": items,
        "facets": facets,
    }


def _filters(filters: dict[str, tuple]) -> tuple[dict[str, str], dict[str, Any]]:
    """SQL conditions on h.case_id / c per facet filter, with their parameters."""
    where: dict[str, str] = {}
    params: dict[str, Any] = {}
    for name, values in filters.items():
        names = [f"{name}_{i}" for i in range(len(values))]
        params |= dict(zip(names, values, strict=True))
        listed = ", ".join(f":{n}" for n in names)
        if name == "year":
            where[name] = f"c.year IN ({listed})"
        elif name == "place":
            where[name] = (
                "EXISTS (SELECT 1 FROM case_places p "
                f"WHERE p.case_id = h.case_id AND p.place_id IN ({listed}))"
            )
        else:
            where[name] = (
                "EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = h.case_id "
                f"AND t.kind = '{name}' AND t.code IN ({listed}))"
            )
    return where, params


def _facets(session: Session, selection, params: dict[str, Any]) -> dict[str, list[dict]]:
    def counts(column: str, skip: str, join: str = "", extra: str = "") -> list[tuple[Any, int]]:
        sql = (
            f"SELECT {column} AS value, count(*) AS n {selection(skip, join, extra)} "
            f"GROUP BY {column} ORDER BY n DESC, value LIMIT {FACET_LIMIT}"
        )
        return [(row.value, row.n) for row in session.execute(text(sql), params)]

    def tag_join(kind: str) -> str:
        return f"JOIN case_tags f ON f.case_id = h.case_id AND f.kind = '{kind}'"

    facets: dict[str, list[dict]] = {}
    labels = taxonomy_labels(session)
    for kind in ("field", "mode"):
        facets[kind] = [
            {"value": code, "count": n, "label_en": labels[kind].get(code, (code, code))[0],
             "label_zh": labels[kind].get(code, (code, code))[1]}
            for code, n in counts("f.code", kind, tag_join(kind))
        ]  # fmt: skip
    facets["year"] = [
        {"value": year, "count": n}
        for year, n in counts("c.year", "year", extra="c.year IS NOT NULL")
    ]
    country_counts = counts("f.code", "country", tag_join("country"))
    names = {
        c.iso2: c
        for c in session.scalars(
            select(Country).where(Country.iso2.in_([code for code, _ in country_counts]))
        )
    }
    facets["country"] = [
        {"value": code, "count": n,
         "name_en": names[code].name_en if code in names else code,
         "name_zh": names[code].name_zh if code in names else code}
        for code, n in country_counts
    ]  # fmt: skip
    place_counts = counts("cp.place_id", "place", "JOIN case_places cp ON cp.case_id = h.case_id")
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

"""The case search index on each engine: writing a case's words, and matching a query.

SQLite keeps an FTS5 table (`case_search`, rowid = case id, ranked by bm25); PostgreSQL keeps a
tsvector per case with a GIN index (ranked by ts_rank). Both are written here, by the service,
from words cut by amity.cases.text, so the two engines find the same cases. The tsvector and
tsquery are built as literals, so PostgreSQL's parser and the database's locale never re-cut them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from amity.cases.models import Case
from amity.cases.text import index_terms, query_words

# Column weights: a word in the title counts most, then the summary, places and body.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0, 2.0)
PG_WEIGHTS = {"title": "A", "summary": "B", "extra": "C", "body": "D"}
_MAX_POSITION = 16383  # PostgreSQL's largest word position
_MAX_POSITIONS_PER_WORD = 256
_PHRASE = re.compile(r'"([^"]*)"')
_HAN = re.compile(r"[\u3400-\u9fff]")


def document_fields(case: Case) -> dict[str, str]:
    """The text of a case per index column, both languages together."""

    def join(*parts: str | None) -> str:
        return "\n".join(p for p in parts if p)

    names = [n for place in case.places for n in (place.name, place.name_zh) if n]
    return {
        "title": join(case.title_zh, case.title_en),
        "summary": join(case.summary_zh, case.summary_en),
        "body": join(case.body_zh, case.body_en, case.lessons_zh, case.lessons_en),
        "extra": join(*names),
    }


def write_case(session: Session, case: Case) -> None:
    """Put a case's words in the index (replacing what was there)."""
    fields = {name: index_terms(value) for name, value in document_fields(case).items()}
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM case_search WHERE rowid = :id"), {"id": case.id})
        session.execute(
            text(
                "INSERT INTO case_search (rowid, title, summary, body, extra) "
                "VALUES (:id, :title, :summary, :body, :extra)"
            ),
            {"id": case.id, **{name: " ".join(terms) for name, terms in fields.items()}},
        )
        return
    session.execute(
        text(
            "INSERT INTO case_search (case_id, document) VALUES (:id, CAST(:doc AS tsvector)) "
            "ON CONFLICT (case_id) DO UPDATE SET document = excluded.document"
        ),
        {"id": case.id, "doc": tsvector_literal(fields)},
    )


def remove_case(session: Session, case_id: int) -> None:
    """Drop a case from the index (PostgreSQL cascades; SQLite's trigger does the same)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM case_search WHERE rowid = :id"), {"id": case_id})


def tsvector_literal(fields: dict[str, list[str]]) -> str:
    """A tsvector in its text form: 'word':1A,5D ... (positions run on across the columns)."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for name in ("title", "summary", "extra", "body"):
        for term in fields.get(name, []):
            position = min(position + 1, _MAX_POSITION)
            if len(positions[term]) < _MAX_POSITIONS_PER_WORD:
                positions[term].append(f"{position}{PG_WEIGHTS[name]}")
    return " ".join(f"{_quote(term)}:{','.join(spots)}" for term, spots in positions.items())


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


@dataclass
class ParsedQuery:
    """A query as groups of alternatives: a group matches when any alternative does."""

    groups: list[list[list[str]]]  # group → alternatives → terms that must all occur
    phrases: list[list[str]]  # sequences of Latin terms that must occur in order

    @property
    def empty(self) -> bool:
        return not self.groups and not self.phrases

    def terms(self) -> list[str]:
        """Every term of the query (for highlighting)."""
        found = [t for group in self.groups for alt in group for t in alt]
        found += [t for phrase in self.phrases for t in phrase]
        return list(dict.fromkeys(found))


def parse_query(q: str | None) -> ParsedQuery:
    """Words (each whole, or all its parts) and "quoted phrases" of Latin words."""
    groups: list[list[list[str]]] = []
    phrases: list[list[str]] = []
    q = q or ""
    for phrase in _PHRASE.findall(q):
        terms = index_terms(phrase)
        if len(terms) > 1 and not any(_HAN.search(t) for t in terms):
            phrases.append(terms)
        else:
            # Chinese has no reliable positions after segmentation: its words are simply ANDed.
            groups.extend(_word_groups(phrase))
    groups.extend(_word_groups(_PHRASE.sub(" ", q)))
    return ParsedQuery(groups, phrases)


def _word_groups(q: str) -> list[list[list[str]]]:
    groups = []
    for word, *parts in query_words(q):
        groups.append([[word], parts] if parts else [[word]])
    return groups


def fts5_match(query: ParsedQuery) -> str:
    """The FTS5 MATCH expression of a parsed query."""
    clauses = []
    for group in query.groups:
        alternatives = ["(" + " AND ".join(_fts_quote(t) for t in alt) + ")" for alt in group]
        clauses.append("(" + " OR ".join(alternatives) + ")")
    for phrase in query.phrases:
        clauses.append(_fts_quote(" ".join(phrase)))
    return " AND ".join(clauses)


def tsquery_literal(query: ParsedQuery) -> str:
    """The tsquery of a parsed query, in its text form."""
    clauses = []
    for group in query.groups:
        alternatives = ["(" + " & ".join(_quote(t) for t in alt) + ")" for alt in group]
        clauses.append("(" + " | ".join(alternatives) + ")")
    for phrase in query.phrases:
        clauses.append("(" + " <-> ".join(_quote(t) for t in phrase) + ")")
    return " & ".join(clauses)


def hits_sql(dialect: str, query: ParsedQuery, *, ranked: bool) -> tuple[str, dict]:
    """SQL selecting (case_id, rank) of the matching cases; a lower rank is better."""
    if query.empty:
        return "SELECT id AS case_id, 0.0 AS rank FROM cases", {}
    if dialect == "sqlite":
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        rank = f"bm25(case_search, {weights})" if ranked else "0.0"
        return (
            f"SELECT rowid AS case_id, {rank} AS rank FROM case_search "
            "WHERE case_search MATCH :match",
            {"match": fts5_match(query)},
        )
    rank = "-ts_rank(s.document, q.query)" if ranked else "0.0"
    return (
        f"SELECT s.case_id, {rank} AS rank "
        "FROM case_search s, (SELECT CAST(:tsquery AS tsquery) AS query) q "
        "WHERE s.document @@ q.query",
        {"tsquery": tsquery_literal(query)},
    )

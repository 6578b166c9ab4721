"""The Datasette comparison asks the same question: the flat table (bench/flat_registry.py) and the
SQL each query becomes give Amity's totals, pages and facet counts, for a seeded request set.

SQLite only: the flat table is made from an Amity SQLite file (the bench itself also checks both
servers' answers against each other, on the demo)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.engine import make_url
from tests.partnerships import conftest as registry_fixtures

from amity.core.db import session_scope
from amity.partnerships import service
from amity.partnerships.schemas import PartnershipQuery
from bench import bench_peers as peers
from bench import flat_registry as flat


@pytest.fixture
def engine(sqlite_engine):
    return sqlite_engine


small_registry = registry_fixtures.small_registry  # nine pairs (tests/partnerships/conftest.py)


def _amity(session, query: peers.Query) -> tuple[int, list[int], dict]:
    fields = {facet: values for facet, values in query.filters}
    if query.years:
        fields.update(established_from=query.years[0], established_to=query.years[1])
    answer = service.list_partnerships(session, PartnershipQuery(
        **fields, q=query.q, place=(query.place,) if query.place else (), page=query.page))
    facets = {f: {r["value"]: r["count"] for r in rows if r["count"]}
              for f, rows in answer["facets"].items()}
    return answer["total"], [item["id"] for item in answer["items"]], facets


def _flat(db: sqlite3.Connection, query: peers.Query) -> tuple[int, list[int], dict]:
    """The answer as Datasette computes it on the flat table: the query's WHERE, keyset pages,
    column facets and array facets (one count per row and value)."""
    where, args = peers._where_sql(query)
    table = flat.TABLE
    total = db.execute(f"SELECT count(*) FROM {table} WHERE {where}", args).fetchone()[0]
    after = "" if query.after is None else f" AND id > {query.after}"
    ids = [i for i, in db.execute(
        f"SELECT id FROM {table} WHERE {where}{after} ORDER BY id LIMIT {peers.PER_PAGE}", args)]
    facets = {}
    for facet in peers.OWN:
        facets[facet] = dict(db.execute(
            f"SELECT {facet}, count(*) FROM {table} WHERE {where} GROUP BY 1", args))
    for array, facet in flat.SIDE_FACETS.items():
        facets[facet] = dict(db.execute(
            f"SELECT j.value, count(*) FROM (SELECT * FROM {table} WHERE {where}) AS p, "
            f"json_each(p.{array}) AS j GROUP BY 1", args))
    return total, ids, facets


def test_each_query_has_the_same_answer_on_the_flat_table(engine, small_registry, tmp_path):
    flat_db = tmp_path / "flat.db"
    made = flat.build(make_url(str(engine.url)).database, flat_db)
    assert made["rows"] == len(small_registry["pairs"])
    queries = peers.request_set(flat_db, 60)
    assert len(set(queries)) == 60 and queries == peers.request_set(flat_db, 60)
    assert any(q.q for q in queries) and any(q.place for q in queries)
    # Country names are searched too (either side's, in both languages).
    queries += [peers.Query(q=text) for text in ("Japan", "germ", "肯尼亚", "Hong Kong")]
    db = sqlite3.connect(flat_db)
    with session_scope(engine) as session:
        for query in queries:
            ours, theirs = _amity(session, query), _flat(db, query)
            assert ours[:2] == theirs[:2], query.label()
            filtered = {f for f, _ in query.filters}
            for facet, counts in ours[2].items():
                if facet not in filtered:
                    assert counts == theirs[2][facet], (query.label(), facet)


def test_both_urls_carry_the_whole_query():
    query = peers.Query(filters=(("country", ("FR", "JP")), ("kind", ("sister_city",))),
                        q="巴黎市", place=7, page=3, after=120)
    amity = peers.amity_path(query)
    assert all(part in amity for part in ("country=FR", "country=JP", "kind=sister_city",
                                          "place=7", "page=3", "q=%E5%B7%B4"))
    datasette = peers.datasette_path("flat", query)
    assert all(part in datasette for part in ("country_a+IN", "kind=sister_city", "_next=120",
                                              "place_a+%3D+7", "_search=%22%E5%B7%B4"))

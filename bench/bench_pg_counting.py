"""On PostgreSQL: counting facets in the database against Amity's per-worker facet table.

Issue 17 asks whether, when many workers or hosts serve one PostgreSQL database, counting in the
database (with the right indexes) beats keeping a copy of the registry's facet table in every
worker. This bench answers the same distinct list queries both ways, on one PostgreSQL database,
and checks that the answers agree:

- Amity: `partnerships.service.list_partnerships` with its facet table built (what a warm worker
  does; the table's memory is per worker);
- SQL: the total, a page of 20 by id and five facets (country, kind, level, status, source; a
  facet ignoring its own filter, a pair counted under both sides' countries, as Amity counts)
  computed by PostgreSQL for each query, with indexes on every filtered and joined column. It
  leaves out Amity's other three facets (continent, province, region), which would need more
  joins: the comparison favours the database.

Run (10x the demo):

    .venv/bin/python -m bench.synth --demo /tmp/demo.db --factor 10 --out /tmp/x10.db
    AMITY_DATABASE_URL=sqlite:////tmp/x10.db .venv/bin/amity init
    scripts/with-postgres.sh .venv/bin/python -m bench.bench_pg_counting --sqlite /tmp/x10.db

(scripts/with-postgres.sh starts a throwaway server and sets AMITY_TEST_POSTGRES_URL.) Prints
JSON: milliseconds per query (median, p95) each way, the table's build time and size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

from sqlalchemy import text

from amity.core.db import make_engine, session_scope
from bench.pgcopy import copy_sqlite_to_postgres

OWN = ("kind", "level", "status", "source")
INDEXES = (
    "CREATE INDEX IF NOT EXISTS bench_places_country ON places (country_code, id)",
    "CREATE INDEX IF NOT EXISTS bench_places_id_country ON places (id, country_code)",
    "CREATE INDEX IF NOT EXISTS bench_pairs_a ON partnerships (place_a_id, id)",
    "CREATE INDEX IF NOT EXISTS bench_pairs_b ON partnerships (place_b_id, id)",
    "CREATE INDEX IF NOT EXISTS bench_pairs_own ON partnerships (status, kind, level, source)",
)


def _where(query: dict, leave: str | None, params: dict, sides: tuple[str, str]) -> str:
    """The SQL condition of a query's filters but `leave` (a facet ignores its own filter)."""
    parts = ["TRUE"]
    for name, values in query.items():
        if name == leave or not values:
            continue
        params[name] = list(values)
        if name == "country":
            parts.append(f"({sides[0]} = ANY(:country) OR {sides[1]} = ANY(:country))")
        else:
            parts.append(f"p.{name} = ANY(:{name})")
    return " AND ".join(parts)


FROM = (
    "partnerships p JOIN places pa ON pa.id = p.place_a_id JOIN places pb ON pb.id = p.place_b_id"
)


# The same rows as one flat, indexed table (the countries of both sides beside each pair's own
# values): what a database would be given to count without joins.
FLAT = (
    "CREATE TABLE bench_flat AS SELECT p.id, p.kind, p.level, p.status, p.source, "
    "pa.country_code AS ca, pb.country_code AS cb FROM " + FROM,
    "CREATE INDEX ON bench_flat (ca, id)",
    "CREATE INDEX ON bench_flat (cb, id)",
    "CREATE INDEX ON bench_flat (id)",
    "CREATE INDEX ON bench_flat (status, kind, level, source)",
)
LAYOUTS = {
    "joined": (FROM, ("pa.country_code", "pb.country_code")),
    "flat": ("bench_flat p", ("p.ca", "p.cb")),
}


def sql_answer(connection, query: dict, layout: str = "joined") -> dict:
    """Total, first page of ids and the five facets, computed by the database."""
    source, (ca, cb) = LAYOUTS[layout]
    params: dict = {}
    where = _where(query, None, params, (ca, cb))
    count = text(f"SELECT count(*) FROM {source} WHERE {where}")
    total = connection.execute(count, params).scalar()
    page = connection.execute(
        text(f"SELECT p.id FROM {source} WHERE {where} ORDER BY p.id LIMIT 20"), params
    ).scalars().all()  # fmt: skip
    facets = {}
    params = {}
    where = _where(query, "country", params, (ca, cb))
    rows = connection.execute(text(
        f"SELECT v, count(*) FROM (SELECT p.id, {ca} AS v FROM {source} WHERE {where} "
        f"UNION SELECT p.id, {cb} FROM {source} WHERE {where}) t GROUP BY v"
    ), params).all()  # fmt: skip
    facets["country"] = dict(rows)
    for facet in OWN:
        params = {}
        where = _where(query, facet, params, (ca, cb))
        rows = connection.execute(
            text(f"SELECT p.{facet}, count(*) FROM {source} WHERE {where} GROUP BY p.{facet}"),
            params,
        ).all()
        facets[facet] = dict(rows)
    return {"total": total, "page": list(page), "facets": facets}


def amity_answer(session, query: dict) -> dict:
    from amity.partnerships import service
    from amity.partnerships.schemas import PartnershipQuery

    answer = service.list_partnerships(session, PartnershipQuery(**query, per_page=20))
    facets = {
        # A chosen value is listed even with no pair (count 0); the database lists none.
        name: {row["value"]: row["count"] for row in answer["facets"][name] if row["count"]}
        for name in ("country", *OWN)
    }
    return {"total": answer["total"], "page": [item["id"] for item in answer["items"]],
            "facets": facets}  # fmt: skip


def queries(connection, count: int, seed: int) -> list[dict]:
    """Distinct filter combinations drawn from the data's own values."""
    rng = random.Random(seed)
    countries = connection.execute(text(
        "SELECT country_code FROM places GROUP BY country_code ORDER BY count(*) DESC LIMIT 80"
    )).scalars().all()  # fmt: skip
    values = {
        f: connection.execute(text(f"SELECT DISTINCT {f} FROM partnerships")).scalars().all()
        for f in OWN
    }
    seen: set[str] = set()
    found: list[dict] = []
    while len(found) < count:
        query: dict = {"country": (rng.choice(countries),)}
        for facet in ("status", "kind", "level"):
            if rng.random() < 0.4:
                query[facet] = (rng.choice(values[facet]),)
        key = json.dumps(query, sort_keys=True)
        if key not in seen:
            seen.add(key)
            found.append(query)
    return found


def _ms(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", type=Path, required=True, help="A migrated Amity SQLite file.")
    parser.add_argument("--postgres", default=os.environ.get("AMITY_TEST_POSTGRES_URL"))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    copied = copy_sqlite_to_postgres(args.sqlite, args.postgres)
    engine = make_engine(args.postgres)
    with engine.begin() as connection:
        for statement in (*INDEXES, *FLAT):
            connection.execute(text(statement))
        connection.execute(text("ANALYZE"))
    with engine.connect() as connection:
        chosen = queries(connection, args.queries, args.seed)
    os.environ["AMITY_DATABASE_URL"] = args.postgres
    from amity.partnerships import facet_table

    with session_scope(engine) as session:
        clock = time.perf_counter()
        table = facet_table.registry_table(session)
        built_s = time.perf_counter() - clock
        table_mb = sum(c.nbytes for c in table.columns.values()) / 2**20
    amity_s: list[float] = []
    sql_s: dict[str, list[float]] = {layout: [] for layout in LAYOUTS}
    disagree = 0
    for query in chosen:
        with session_scope(engine) as session:
            clock = time.perf_counter()
            ours = amity_answer(session, query)
            amity_s.append(time.perf_counter() - clock)
        for layout, samples in sql_s.items():
            with engine.connect() as connection:
                clock = time.perf_counter()
                theirs = sql_answer(connection, query, layout)
                samples.append(time.perf_counter() - clock)
            disagree += _compare(query, layout, ours, theirs)
    print(json.dumps({
        "copied": copied, "queries": len(chosen), "disagreements": disagree,
        "amity_table": {"build_s": round(built_s, 2), "columns_mb": round(table_mb, 1),
                        **_ms(amity_s)},
        "postgres_counting": {layout: _ms(samples) for layout, samples in sql_s.items()},
        "load_average": os.getloadavg()[0],
    }, indent=2))  # fmt: skip


def _compare(query: dict, layout: str, ours: dict, theirs: dict) -> int:
    """0 when the answers agree; else 1, and what differs is printed."""
    if ours == theirs:
        return 0
    diff = {k: (ours[k], theirs[k]) for k in ("total", "page") if ours[k] != theirs[k]}
    for name, counts in ours["facets"].items():
        other = theirs["facets"][name]
        wrong = {v: (counts.get(v), other.get(v)) for v in set(counts) | set(other)
                 if counts.get(v) != other.get(v)}  # fmt: skip
        if wrong:
            diff[name] = wrong
    print(json.dumps({"disagreement": query, "layout": layout, "amity_vs_sql": diff}, default=str))
    return 1


if __name__ == "__main__":
    main()

"""Registry search, Amity against Datasette on its fairest setup, with hundreds of distinct queries.

Run: .venv/bin/python -m bench.bench_peers --database demo.db [--queries 300 --sequential 100]

Datasette serves a flat, indexed copy of the same rows with an FTS5 index and Amity's eight facets
(bench/flat_registry.py). Both servers get the same logical queries, drawn with a fixed seed from
the data: facet filters (one to three, one or two values each), text searches on real place names
(English and Chinese, three characters or more), a place's partnerships, years when the registry
has dates, and deep pages (Datasette's own keyset `_next`, computed beforehand, for Amity's
`page=N`). Measures, reported apart:

- distinct: every query once, in the same order on both servers, `sequential` of them on one
  connection (the time a query takes) and `queries` others on CONNECTIONS parallel keep-alive
  connections (throughput); no answer can come from a per-query cache (Amity's memos remember
  answers per query; a query seen once is computed). Median, p95 and requests per second.
- repeated: wrk on one URL for `duration` seconds (the old protocol): after the first request
  Amity answers from its per-query response memo, so this measures that cache.

A sample of the queries is checked (after the measure, so that the check fills no memo before it):
the same total, the same page of ids and, on first pages, the same counts for every facet not
filtered on. By design Datasette counts a facet within its own filter (Amity without it), and on a
later page (`_next`) only over the rows from that page on. The bench stops if they disagree.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench import flat_registry as flat
from bench.bench_load import WORKERS, wrk
from bench.common import free_port, serving_process

SEED = 17
CONNECTIONS = 8
PER_PAGE = 50
CHECKED = 40
# Amity's facets: those about either side, and the pair's own.
SIDE = {"country": "country", "continent": "continent", "province": "province",
        "region": "region"}
OWN = flat.OWN_FACETS
ARRAY_OF = {facet: array for array, facet in flat.SIDE_FACETS.items()}


@dataclass(frozen=True)
class Query:
    """One logical question: filters (facet -> values), text, place, years and page."""

    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    q: str | None = None
    place: int | None = None
    years: tuple[int, int] | None = None
    page: int = 1
    after: int | None = field(default=None, compare=False)  # Datasette's _next for the page

    def label(self) -> str:
        parts = [f"{k}={'|'.join(v)}" for k, v in self.filters]
        if self.q:
            parts.append(f"q={self.q}")
        if self.place:
            parts.append(f"place={self.place}")
        if self.years:
            parts.append(f"years={self.years[0]}-{self.years[1]}")
        return ", ".join(parts or ["no filter"]) + (f", page {self.page}" if self.page > 1 else "")


def amity_path(query: Query) -> str:
    params: list[tuple[str, str | int]] = [(k, v) for k, vs in query.filters for v in vs]
    if query.q:
        params.append(("q", query.q))
    if query.place:
        params.append(("place", query.place))
    if query.years:
        params += [("established_from", query.years[0]), ("established_to", query.years[1])]
    if query.page > 1:
        params.append(("page", query.page))
    return "/api/v1/partnerships" + (f"?{urlencode(params)}" if params else "")


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _side_sql(facet: str, values: tuple[str, ...]) -> str:
    """Either side has one of the values: two index lookups."""
    col = SIDE[facet]
    return f"({col}_a IN ({_quoted(values)}) OR {col}_b IN ({_quoted(values)}))"


def phrase(text: str) -> str:
    """An FTS5 phrase (a substring with the trigram tokenizer)."""
    return '"' + text.replace('"', '""') + '"'


def datasette_path(database: str, query: Query) -> str:
    params: list[tuple[str, str | int]] = []
    for facet, values in query.filters:
        if facet in SIDE:
            params.append(("_where", _side_sql(facet, values)))
        elif len(values) == 1:
            params.append((facet, values[0]))
        else:
            params.append((f"{facet}__in", ",".join(values)))
    if query.q:
        params.append(("_search", phrase(query.q)))
    if query.place:
        params.append(("_where", f"(place_a = {query.place} OR place_b = {query.place})"))
    if query.years:
        params += [("year__gte", query.years[0]), ("year__lte", query.years[1])]
    if query.after is not None:
        params.append(("_next", query.after))
    params.append(("_facet_size", "max"))
    return f"/{database}/{flat.TABLE}.json?{urlencode(params)}"


def _where_sql(query: Query) -> tuple[str, list]:
    """The query as SQL on the flat table (to find the keyset of a deep page)."""
    clauses, args = ["1"], []
    for facet, values in query.filters:
        clauses.append(_side_sql(facet, values) if facet in SIDE
                       else f"{facet} IN ({_quoted(values)})")
    if query.q:
        clauses.append(f"id IN (SELECT rowid FROM {flat.FTS} WHERE {flat.FTS} MATCH ?)")
        args.append(phrase(query.q))
    if query.place:
        clauses.append(f"(place_a = {query.place} OR place_b = {query.place})")
    if query.years:
        clauses.append("year BETWEEN ? AND ?")
        args += list(query.years)
    return " AND ".join(clauses), args


class Draw:
    """Values to draw queries from, read from the flat table (weighted by how often they occur)."""

    def __init__(self, db: sqlite3.Connection, rng: random.Random) -> None:
        self.db, self.rng = db, rng
        self.values = {}
        for facet in (*SIDE, *OWN):
            sql = (f"SELECT value, count(*) FROM {flat.TABLE}, json_each({ARRAY_OF[facet]}) "
                   "GROUP BY value" if facet in SIDE else
                   f"SELECT {facet}, count(*) FROM {flat.TABLE} GROUP BY 1")
            self.values[facet] = [(v, n) for v, n in db.execute(sql) if v]
        names = [n for n, in db.execute(
            "SELECT name_a FROM partnerships UNION SELECT name_b FROM partnerships")]
        names_zh = [n for n, in db.execute(
            "SELECT name_zh_a FROM partnerships UNION SELECT name_zh_b FROM partnerships")]
        # Three characters or more (trigrams), plain case folding, no quotes: the same question.
        self.names = sorted(n for n in names if self._searchable(n))
        self.names_zh = sorted(n for n in names_zh if self._searchable(n))
        self.places = [p for p, in db.execute(
            "SELECT place_a FROM partnerships UNION SELECT place_b FROM partnerships")]
        self.years = [y for y, in db.execute(
            f"SELECT DISTINCT year FROM {flat.TABLE} WHERE year IS NOT NULL ORDER BY 1")]

    @staticmethod
    def _searchable(name: str | None) -> bool:
        return bool(name) and 3 <= len(name) <= 100 and '"' not in name \
            and name.casefold() == name.lower()

    def facet_values(self, facet: str) -> tuple[str, ...]:
        options = self.values[facet]
        how_many = 1 if self.rng.random() < 0.7 or len(options) < 2 else 2
        chosen = set()
        while len(chosen) < how_many:
            # Half the time a frequent value, else any value (rare ones make small selections).
            if self.rng.random() < 0.5:
                chosen.add(self.rng.choices([v for v, _ in options],
                                            [n for _, n in options])[0])
            else:
                chosen.add(self.rng.choice(options)[0])
        return tuple(sorted(chosen))

    def filters(self, most: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
        usable = [f for f in (*SIDE, *OWN) if self.values[f]]
        facets = self.rng.sample(usable, self.rng.randint(1, most))
        return tuple(sorted((f, self.facet_values(f)) for f in facets))

    def text(self) -> str:
        if self.rng.random() < 0.5 and self.names_zh:
            return self.rng.choice(self.names_zh)
        return self.rng.choice(self.names)

    def query(self) -> Query:
        roll = self.rng.random()
        if roll < 0.30:
            query = Query(filters=self.filters(3))
        elif roll < 0.55:
            query = Query(q=self.text())
        elif roll < 0.70:
            query = Query(filters=self.filters(2), q=self.text())
        elif roll < 0.80:
            query = Query(place=self.rng.choice(self.places),
                          filters=self.filters(1) if self.rng.random() < 0.3 else ())
        else:
            query = Query(filters=self.filters(1) if self.rng.random() < 0.7 else ())
            return self.deep(query)
        if self.years and self.rng.random() < 0.15:
            first = self.rng.choice(self.years)
            query = Query(query.filters, query.q, query.place,
                          (first, first + self.rng.randint(0, 10)))
        return query

    def deep(self, query: Query) -> Query:
        """A page past the first of the query (the first when there is only one)."""
        where, args = _where_sql(query)
        total = self.db.execute(f"SELECT count(*) FROM {flat.TABLE} WHERE {where}", args
                                ).fetchone()[0]
        pages = max(1, -(-total // PER_PAGE))
        if pages == 1:
            return query
        page = self.rng.randint(2, pages)
        after = self.db.execute(
            f"SELECT id FROM {flat.TABLE} WHERE {where} ORDER BY id LIMIT 1 OFFSET ?",
            [*args, (page - 1) * PER_PAGE - 1]).fetchone()[0]
        return Query(query.filters, query.q, query.place, query.years, page, after)


def request_set(flat_db: Path, count: int, seed: int = SEED) -> list[Query]:
    """`count` distinct queries, the same for a given file and seed."""
    rng = random.Random(seed)
    db = sqlite3.connect(f"file:{flat_db}?mode=ro", uri=True)
    draw = Draw(db, rng)
    queries: dict[Query, None] = {}
    while len(queries) < count:
        queries.setdefault(draw.query())
    db.close()
    return list(queries)


@contextmanager
def datasette(flat_db: Path) -> Iterator[str]:
    """Datasette (one process, as it is deployed) serving the flat file with its metadata."""
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(flat.metadata(flat_db.stem)))
        port = free_port()
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("datasette")), "serve", str(flat_db),
             "--immutable", str(flat_db), "--metadata", str(meta),
             "--host", "127.0.0.1", "--port", str(port),
             # Complete answers: without these Datasette drops facets that take over 200 ms.
             "--setting", "facet_time_limit_ms", "600000",
             "--setting", "sql_time_limit_ms", "600000",
             "--setting", "suggest_facets", "off"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/-/versions.json", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            else:
                raise RuntimeError("datasette did not start")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:  # still busy with queries wrk left queued
                proc.kill()
                proc.wait()


def _amity_answer(body: dict) -> tuple[int, list[int], dict[str, dict]]:
    facets = {f: {row["value"]: row["count"] for row in rows if row["count"]}
              for f, rows in body["facets"].items()}
    return body["total"], [item["id"] for item in body["items"]], facets


def _datasette_answer(body: dict) -> tuple[int, list[int], dict[str, dict]]:
    ids = [row[0] if isinstance(row, list) else row["id"] for row in body["rows"]]
    facets = {}
    for name, result in body["facet_results"].items():
        facet = flat.SIDE_FACETS.get(name, name)
        facets[facet] = {row["value"]: row["count"] for row in result["results"]}
    return body["filtered_table_rows_count"], ids, facets


def check_same(amity: str, data: str, database: str, queries: list[Query]) -> dict:
    """Both servers' answers to each query: the same total, page and unfiltered facets."""
    for query in queries:
        ours = httpx.get(amity + amity_path(query), timeout=600)
        theirs = httpx.get(data + datasette_path(database, query), timeout=600)
        ours.raise_for_status()
        theirs.raise_for_status()
        a_total, a_ids, a_facets = _amity_answer(ours.json())
        d_total, d_ids, d_facets = _datasette_answer(theirs.json())
        filtered = {f for f, _ in query.filters}
        problems = []
        if a_total != d_total:
            problems.append(f"total {a_total} against {d_total}")
        if a_ids != d_ids:
            problems.append(f"page ids {a_ids[:5]}… against {d_ids[:5]}…")
        for facet in (*SIDE, *OWN) if query.after is None else ():
            if facet not in filtered and a_facets.get(facet, {}) != d_facets.get(facet, {}):
                problems.append(f"facet {facet}")
        if problems:
            raise AssertionError(f"Amity and Datasette disagree on {query.label()}: "
                                 + "; ".join(problems))
    return {"checked": len(queries)}


def _p(ms: list[float], share: float) -> float:
    ms = sorted(ms)
    return round(ms[min(len(ms) - 1, round(share * (len(ms) - 1)))], 1)


def once_each(base: str, paths: list[str], connections: int = CONNECTIONS,
              kinds: list[str] | None = None) -> dict:
    """Every path once, on `connections` keep-alive connections: latencies and throughput
    (with `kinds`, also the median per kind of query)."""
    todo = iter(enumerate(paths))
    lock = threading.Lock()
    latencies: list[float] = [0.0] * len(paths)
    failures: list[str] = []

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=600) as client:
            while True:
                with lock:
                    nxt = next(todo, None)
                if nxt is None:
                    return
                i, path = nxt
                start = time.perf_counter()
                response = client.get(path)
                latencies[i] = time.perf_counter() - start
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {path}")

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, e.g. {failures[:3]}")
    ms = [s * 1000 for s in latencies]
    result = {"requests": len(paths), "connections": connections,
              "rps": round(len(paths) / wall, 1), "p50_ms": _p(ms, 0.5), "p95_ms": _p(ms, 0.95),
              "max_ms": round(max(ms), 1), "wall_s": round(wall, 1)}
    if kinds:
        by_kind: dict[str, list[float]] = {}
        for kind, value in zip(kinds, ms, strict=True):
            by_kind.setdefault(kind, []).append(value)
        result["p50_by_kind_ms"] = {k: [_p(v, 0.5), len(v)] for k, v in sorted(by_kind.items())}
    return result


REPEATED = {"no filter, first page": Query(), "country=JP": Query(filters=(("country", ("JP",)),)),
            "continent=Africa": Query(filters=(("continent", ("Africa",)),))}


def _warm(amity: str, data: str, database: str, warmers: list[Query]) -> None:
    """Each server's first answers (Amity builds its table and text index per worker; Datasette
    opens the file and fills SQLite's page cache), on new connections, none of them measured."""
    for query in warmers:
        for _ in range(WORKERS * 2):
            httpx.get(amity + amity_path(query), timeout=900)
        httpx.get(data + datasette_path(database, query), timeout=900)


def run(database: Path, queries: int = 300, sequential: int = 100, duration: int = 10,
        checked: int = CHECKED, workdir: Path | None = None) -> dict:
    """The whole comparison on one Amity SQLite file (the flat copy is made beside it)."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        flat_db = Path(tmp) / "flat.db"
        made = flat.build(database, flat_db)
        wanted = request_set(flat_db, sequential + queries)
        alone, together = wanted[:sequential], wanted[sequential:]
        # Warm-up queries come from another seed and are left out of the measured set.
        warmers = [q for q in request_set(flat_db, 12, seed=SEED + 1) if q not in set(wanted)]
        warmers.append(Query(q="zzzq"))  # a text search that builds Amity's text index
        name = flat_db.stem
        report: dict = {"flat": made, "queries": len(wanted), "connections": CONNECTIONS,
                        "kinds": _kinds(wanted)}
        with serving_process(f"sqlite:///{database}", WORKERS) as (amity, _), \
                datasette(flat_db) as data:
            _warm(amity, data, name, warmers)
            # Each query once on each server, in the same order: one connection (the time a
            # query takes) on one set, CONNECTIONS on another (throughput); checked afterwards
            # (the check would otherwise fill Amity's memos before the measure).
            for server, base, path in (("amity", amity, amity_path),
                                       ("datasette", data, lambda q: datasette_path(name, q))):
                report.setdefault("sequential", {})[server] = once_each(
                    base, [path(q) for q in alone], connections=1, kinds=_kind_of(alone))
                report.setdefault("distinct", {})[server] = once_each(
                    base, [path(q) for q in together])
            sample = random.Random(SEED).sample(wanted, min(checked, len(wanted)))
            report["check"] = check_same(amity, data, name, sample)
            report["repeated"] = {}
            for label, query in REPEATED.items():
                report["repeated"][label] = {
                    "total": httpx.get(amity + amity_path(query), timeout=600).json()["total"],
                    "amity": wrk(amity, [amity_path(query)], duration),
                    "datasette": wrk(data, [datasette_path(name, query)], duration),
                }
    for measure in ("sequential", "distinct"):
        ours, theirs = report[measure]["amity"], report[measure]["datasette"]
        report[measure]["ratio"] = round(ours["rps"] / max(theirs["rps"], 0.01), 1)
    return report


def _kind_of(queries: list[Query]) -> list[str]:
    """Each query's kind, as _kinds counts them."""
    return [next(iter(k for k, n in _kinds([q]).items() if n), "no filter") for q in queries]


def _kinds(queries: list[Query]) -> dict[str, int]:
    kinds = {"facet filters only": 0, "text (English)": 0, "text (Chinese)": 0,
             "text and filters": 0, "a place's partnerships": 0, "deep pages": 0, "years": 0}
    for q in queries:
        if q.page > 1:
            kinds["deep pages"] += 1
        if q.years:
            kinds["years"] += 1
        if q.place:
            kinds["a place's partnerships"] += 1
        elif q.q and q.filters:
            kinds["text and filters"] += 1
        elif q.q:
            chinese = any("\u4e00" <= ch <= "\u9fff" for ch in q.q)
            kinds["text (Chinese)" if chinese else "text (English)"] += 1
        elif q.filters and q.page == 1:
            kinds["facet filters only"] += 1
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="Amity's SQLite file.")
    parser.add_argument("--queries", type=int, default=300,
                        help="Distinct queries on parallel connections.")
    parser.add_argument("--sequential", type=int, default=100,
                        help="Other distinct queries, one connection.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds per repeated URL.")
    parser.add_argument("--print-queries", action="store_true",
                        help="Only print the request set (both URLs per query).")
    args = parser.parse_args()
    if args.print_queries:
        with tempfile.TemporaryDirectory() as tmp:
            flat_db = Path(tmp) / "flat.db"
            flat.build(args.database, flat_db)
            for q in request_set(flat_db, args.sequential + args.queries):
                print(amity_path(q), datasette_path(flat_db.stem, q), sep="\t")
        return
    print(json.dumps(run(args.database, args.queries, args.sequential, args.duration), indent=2,
                     ensure_ascii=False))


if __name__ == "__main__":
    main()

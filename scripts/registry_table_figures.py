"""Figures of the registry's facet table on one database (docs/registry.md quotes them).

    .venv/bin/python scripts/registry_table_figures.py sqlite:////tmp/demo.db [--queries 300]
    .venv/bin/python scripts/registry_table_figures.py sqlite:////tmp/demo.db --first-list

With --first-list, only the time from the process's start to its first list answer (imports,
then the table built or loaded, then the list).

Prints, as JSON: the table's build time from the database (or load, if a saved table is in
AMITY_STATE_DIR), the memory it holds (every object reachable from it, numpy arrays by their
buffers; after a first text search, which builds the search's structures), the time of
distinct uncached list queries (p50, p90), and the time of the first list after one write to a
partnership (the write is undone afterwards).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from types import FunctionType, ModuleType

import numpy as np
from sqlalchemy import text

from amity.core import cache
from amity.core.db import make_engine, session_scope
from amity.partnerships.facet_table import registry_table
from amity.partnerships.schemas import PartnershipQuery
from amity.partnerships.service import list_partnerships_json

TEXTS = ("par", "san", "shi", "berg", "ville", "上海", "京", "north", "new", "ko", "a", "port")


def queries(table, count: int, seed: int = 7) -> list[PartnershipQuery]:
    """Distinct queries like a user's: a filter or two, a text, a year range, a sort, a page."""
    rng = random.Random(seed)
    countries = sorted(table.labels["country"])
    chosen = set()
    out = []
    while len(out) < count:
        q = {}
        if rng.random() < 0.6:
            q["country"] = tuple(rng.sample(countries, rng.choice((1, 1, 2))))
        if rng.random() < 0.3:
            q["kind"] = (rng.choice(("sister_city", "friendship_city")),)
        if rng.random() < 0.2:
            q["status"] = (rng.choice(("active", "dormant")),)
        if rng.random() < 0.3:
            q["q"] = rng.choice(TEXTS) + rng.choice(("", "a", "e", "o", "n"))
        if rng.random() < 0.2:
            first = rng.randrange(1960, 2020)
            q["established_from"], q["established_to"] = first, first + rng.randrange(1, 20)
        q["sort"] = rng.choice(("id", "name_a", "-established", "country", "-created"))
        q["page"] = rng.choice((1, 1, 1, 2, 5))
        key = repr(sorted(q.items()))
        if key not in chosen:
            chosen.add(key)
            out.append(PartnershipQuery(**q))
    return out


def deep_size(root) -> int:
    """Bytes of everything reachable from `root` (classes, modules and functions left out)."""
    seen: set[int] = set()
    stack, total = [root], 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, type | ModuleType | FunctionType):
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray) and obj.base is not None:
            total += sys.getsizeof(obj) - (obj.nbytes if obj.flags.owndata else 0)
            stack.append(obj.base)
            continue
        total += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return total


FIRST_LIST = """
import sys
from amity.core.db import make_engine, session_scope
from amity.partnerships.schemas import PartnershipQuery
from amity.partnerships.service import list_partnerships_json
with session_scope(make_engine(sys.argv[1])) as session:
    list_partnerships_json(session, PartnershipQuery(country=("FR",)))
"""


def first_list(url: str) -> dict:
    """A new process: from its start (interpreter, imports) to its first list's answer."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", FIRST_LIST, url], check=True)
    return {"start_to_first_list_s": round(time.perf_counter() - started, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--first-list", action="store_true")
    args = parser.parse_args()
    if args.first_list:
        print(json.dumps(first_list(args.url)))
        return
    engine = make_engine(args.url)
    figures: dict = {}

    started = time.perf_counter()
    with session_scope(engine) as session:
        table = registry_table(session)
    figures["build_s"] = round(time.perf_counter() - started, 3)
    figures["rows"] = table.size
    figures["table_bytes_without_text"] = deep_size(table)
    table.text_mask("zz")  # the text search's structures are built on the first search
    figures["table_bytes"] = deep_size(table)

    timings = []
    for query in queries(table, args.queries):
        with session_scope(engine) as session:
            started = time.perf_counter()
            list_partnerships_json(session, query)
            timings.append(time.perf_counter() - started)
    timings.sort()
    figures["distinct_queries"] = len(timings)
    figures["list_p50_ms"] = round(statistics.median(timings) * 1000, 2)
    figures["list_p90_ms"] = round(timings[int(len(timings) * 0.9)] * 1000, 2)

    with engine.begin() as conn:
        pair, status = conn.execute(
            text("SELECT id, status FROM partnerships ORDER BY id LIMIT 1")
        ).one()
        conn.execute(text("UPDATE partnerships SET status = 'dormant' WHERE id = :id"),
                     {"id": pair})
    try:
        started = time.perf_counter()
        with session_scope(engine) as session:
            list_partnerships_json(session, PartnershipQuery(country=("FR",)))
        figures["first_list_after_a_write_ms"] = round((time.perf_counter() - started) * 1000, 1)
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE partnerships SET status = :s WHERE id = :id"),
                         {"id": pair, "s": status})
        cache.clear()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

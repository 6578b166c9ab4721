"""Load from wrk on 127.0.0.1: Amity's faceted registry search against Datasette on the same file,
list and detail endpoints under a mixed load, and a soak with the workers' memory watched.

Run: .venv/bin/python -m bench.bench_load --database /tmp/demo.db [--duration 10] [--soak 60]

Amity runs as a deployment would on this machine: `amity serve --workers 2` (one worker per
core). Datasette runs as it is deployed: one process (`datasette serve`, its default thread
pool), on the same SQLite file, reading a view that joins each partnership to both places and
their countries (created once, see VIEW). Both answer the same question with the same facets.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.common import free_port, serving_process

WORKERS = 2
WARM_ROUNDS = 6
CONNECTIONS = 16
THREADS = 2
VIEW = "bench_partnerships"
VIEW_SQL = f"""
CREATE VIEW IF NOT EXISTS {VIEW} AS
SELECT p.id, p.kind, p.level, p.status, p.established, p.source,
       a.name AS name_a, b.name AS name_b,
       a.country_code AS country_a, b.country_code AS country_b,
       ca.continent AS continent_a, cb.continent AS continent_b,
       a.province_code AS province_a, b.province_code AS province_b,
       a.region3 AS region_a, b.region3 AS region_b
FROM partnerships p
JOIN places a ON a.id = p.place_a_id
JOIN places b ON b.id = p.place_b_id
JOIN countries ca ON ca.iso2 = a.country_code
JOIN countries cb ON cb.iso2 = b.country_code
"""
# Amity's eight facets; a facet about a place is a facet on either side: two columns here.
DATASETTE_FACETS = ("kind", "level", "status", "source", "country_a", "country_b", "continent_a",
                    "continent_b", "province_a", "province_b", "region_a", "region_b")
SEARCHES = {
    "no filter, first page": ({}, None),
    "country=JP": ({"country": "JP"}, "country_a = 'JP' or country_b = 'JP'"),
    "continent=Africa": ({"continent": "Africa"},
                         "continent_a = 'Africa' or continent_b = 'Africa'"),
}
WRK_SCRIPT = """
local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non2xx": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def amity_path(params: dict) -> str:
    return "/api/v1/partnerships" + (f"?{urlencode(params)}" if params else "")


def datasette_path(database: str, where: str | None) -> str:
    params = [("_facet", f) for f in DATASETTE_FACETS] + [("_size", "50"), ("_sort", "id")]
    if where:
        params.append(("_where", where))
    return f"/{database}/{VIEW}.json?{urlencode(params)}"


def wrk(base: str, paths: list[str], duration: int, connections: int = CONNECTIONS) -> dict:
    """Requests per second and latency percentiles (ms) of wrk cycling through `paths`."""
    with tempfile.TemporaryDirectory() as tmp:
        script, listing = Path(tmp) / "report.lua", Path(tmp) / "paths.txt"
        script.write_text(WRK_SCRIPT)
        listing.write_text("\n".join(paths) + "\n")
        result = subprocess.run(
            ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
             "-s", str(script), base, "--", str(listing)],
            capture_output=True, text=True, check=True,
        )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if not figures["requests"]:
        # Nothing finished within the run: every latency was above its whole duration.
        return {"rps": 0.0, "requests": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None,
                "max_ms": None, "non2xx": 0, "socket_errors": figures["socket_errors"]}
    return {
        "rps": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "requests": figures["requests"],
        **{f"{k[:-3]}_ms": round(figures[k] / 1000, 1)
           for k in ("p50_us", "p95_us", "p99_us", "max_us")},
        "non2xx": figures["non2xx"],
        "socket_errors": figures["socket_errors"],
    }


@contextmanager
def datasette(db_path: Path) -> Iterator[str]:
    """Datasette serving the file (with the view) on a free loopback port."""
    with sqlite3.connect(db_path) as db:
        db.execute(VIEW_SQL)
    port = free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("datasette")), "serve", str(db_path),
         "--host", "127.0.0.1", "--port", str(port),
         # Complete answers: without these Datasette drops facets that take over 200 ms.
         "--setting", "facet_time_limit_ms", "60000", "--setting", "sql_time_limit_ms", "60000",
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
        proc.wait(timeout=30)


def _check_same_answer(amity: str, data: str, params: dict, where: str | None,
                       database: str) -> dict:
    """Both servers' totals for the query (they must match for the comparison to stand)."""
    ours = httpx.get(amity + amity_path(params), timeout=600).json()["total"]
    theirs = httpx.get(data + datasette_path(database, where), timeout=600).json()
    return {"amity_total": ours, "datasette_total": theirs["filtered_table_rows_count"]}


def compare_search(db_path: Path, duration: int) -> dict:
    """Each search under the same wrk load on Amity (2 workers) and on Datasette."""
    database = db_path.stem
    results = {}
    with serving_process(f"sqlite:///{db_path}", WORKERS) as (amity, _), datasette(db_path) as data:
        for label, (params, where) in SEARCHES.items():
            totals = _check_same_answer(amity, data, params, where, database)
            ours = wrk(amity, [amity_path(params)], duration)
            theirs = wrk(data, [datasette_path(database, where)], duration)
            results[label] = {**totals, "amity": ours, "datasette": theirs,
                              "throughput_ratio": round(ours["rps"] / max(theirs["rps"], 0.1), 1)}
    return results


def mixed_paths(db_path: Path, count: int = 400, seed: int = 1) -> list[str]:
    """List and detail requests as the pages make them: filtered lists, a pair, a place."""
    rng = random.Random(seed)
    with sqlite3.connect(db_path) as db:
        top_pair = db.execute("SELECT max(id) FROM partnerships").fetchone()[0]
        places = [r[0] for r in db.execute(
            "SELECT place_a_id FROM partnerships ORDER BY random() LIMIT 2000")]
        countries = [r[0] for r in db.execute(
            "SELECT country_code FROM places GROUP BY 1 ORDER BY count(*) DESC LIMIT 30")]
    lists = [{}, {"kind": "sister_city"}, {"status": "active", "sort": "country"},
             {"continent": "Europe", "page": "3"}, {"province": "320000"}]
    paths = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.3:
            paths.append(amity_path(rng.choice(lists)))
        elif roll < 0.5:
            paths.append(amity_path({"country": rng.choice(countries)}))
        elif roll < 0.8:
            paths.append(f"/api/v1/partnerships/{rng.randint(1, top_pair)}")
        else:
            paths.append(f"/api/v1/places/{rng.choice(places)}")
    return paths


def mixed_load(database_url: str, db_path: Path, duration: int) -> dict:
    """List and detail endpoints together under wrk (p95 is the deployment target)."""
    paths = mixed_paths(db_path)
    with serving_process(database_url, WORKERS) as (base, _):
        for path in paths[:20]:  # warm each worker's index before measuring
            httpx.get(base + path, timeout=600)
        wrk(base, paths, 2)
        return wrk(base, paths, duration)


def list_detail_load(database_url: str, db_path: Path, duration: int) -> dict:
    """wrk on list requests alone, on detail requests alone, then on the mix (one server)."""
    paths = mixed_paths(db_path)
    lists = [p for p in paths if p.startswith("/api/v1/partnerships?") or
             p == "/api/v1/partnerships"]
    details = [p for p in paths if p not in lists]
    with serving_process(database_url, WORKERS) as (base, _):
        # Steady state is measured: each distinct request a few times first, on new connections,
        # so that every worker has counted each filter set once (about 0.1 s each at 100x, which
        # the first user of a selection after a write pays).
        for path in sorted(set(paths)) * WARM_ROUNDS:
            httpx.get(base + path, timeout=600)
        wrk(base, paths, 2)
        return {"lists": wrk(base, lists, duration), "details": wrk(base, details, duration),
                "mixed": wrk(base, paths, duration)}


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _family(pid: int) -> list[int]:
    """The process and its children (uvicorn's workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(int(c) for c in children)]


def soak(database_url: str, db_path: Path, duration: int, connections: int = 4) -> dict:
    """Steady load for `duration` seconds; resident memory of all processes at start and end."""
    paths = mixed_paths(db_path)
    with serving_process(database_url, WORKERS) as (base, proc):
        for path in paths:
            httpx.get(base + path, timeout=600)
        wrk(base, paths, 5, connections)  # warm-up: caches filled before the baseline
        before = sum(_rss_kib(p) for p in _family(proc.pid))
        load = wrk(base, paths, duration, connections)
        after = sum(_rss_kib(p) for p in _family(proc.pid))
    return {"duration_s": duration, "connections": connections, **load,
            "rss_start_mib": round(before / 1024, 1), "rss_end_mib": round(after / 1024, 1),
            "growth_pct": round(100 * (after - before) / before, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="An SQLite file.")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--soak", type=int, default=0, help="Soak seconds (0: none).")
    args = parser.parse_args()
    report = {"search": compare_search(args.database, args.duration),
              "mixed": mixed_load(f"sqlite:///{args.database}", args.database, args.duration)}
    if args.soak:
        report["soak"] = soak(f"sqlite:///{args.database}", args.database, args.soak)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

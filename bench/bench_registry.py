"""The registry: `amity init --demo` from nothing, and the partnerships API with filters and facets.

Run: .venv/bin/python bench/bench_registry.py [--runs 3] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import AMITY, serving, summary_ms, timed

# Each query is what a user does on the partnerships page; all ask for facets.
QUERIES = {
    "no filter (first page)": {},
    "country=JP": {"country": "JP"},
    "province=320000 (Jiangsu)": {"province": "320000"},
    "continent=Africa, region=west": {"continent": "Africa", "region": "west"},
    "text q=shan, sorted by country": {"q": "shan", "sort": "country"},
    "country=US, page 5": {"country": "US", "page": "5"},
}


def bench_init(runs: int) -> dict:
    """Median seconds of `amity init --demo` into a new SQLite file."""
    seconds = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "AMITY_DATABASE_URL": f"sqlite:///{Path(tmp) / 'demo.db'}"}
            start = time.perf_counter()
            subprocess.run([AMITY, "init", "--demo", "--json"], env=env, check=True,
                           capture_output=True)
            seconds.append(time.perf_counter() - start)
    seconds.sort()
    return {"runs": runs, "median_s": seconds[len(seconds) // 2], "all_s": seconds}


def bench_api(database_url: str, requests: int) -> dict:
    """Latency of GET /api/v1/partnerships per query, over HTTP to a real server."""
    results = {}
    with serving(database_url) as base, httpx.Client(base_url=base, timeout=30) as client:
        # The first list request after start builds the in-memory facet index: timed apart.
        start = time.perf_counter()
        client.get("/api/v1/partnerships").raise_for_status()
        results["_first_request_ms"] = (time.perf_counter() - start) * 1000
        for label, params in QUERIES.items():
            def call(params=params):
                response = client.get("/api/v1/partnerships", params=params)
                response.raise_for_status()
                return response

            total = call().json()["total"]
            results[label] = {**summary_ms(timed(call, requests)), "total": total}
    return results


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    report = {"init_demo": bench_init(args.runs)}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        env = {**os.environ, "AMITY_DATABASE_URL": url}
        subprocess.run([AMITY, "init", "--demo", "--json"], env=env, check=True,
                       capture_output=True)
        report["partnerships_api_sqlite"] = bench_api(url, args.requests)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()

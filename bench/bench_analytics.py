"""Analytics on the demo registry: the network report cold, cached API answers, first paint.

Run: .venv/bin/python -m bench.bench_analytics [--requests 50]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import AMITY, serving, summary_ms, timed

CACHED_ENDPOINTS = ("/api/v1/network", "/api/v1/statistics", "/api/v1/layout")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def network_cold(database_url: str, runs: int) -> list[float]:
    """Seconds of `amity network --json` in a new process (nothing cached) per run."""
    env = {**os.environ, "AMITY_DATABASE_URL": database_url}
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([AMITY, "network", "--json"], env=env, check=True, capture_output=True)
        seconds.append(time.perf_counter() - start)
    return seconds


def first_paint_ms(base: str, path: str, runs: int) -> list[float]:
    """First contentful paint of a page in headless Chromium, per fresh page load."""
    from playwright.sync_api import sync_playwright

    paints = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(runs):
            page = browser.new_page()
            page.goto(f"{base}{path}", wait_until="load")
            paints.append(page.evaluate(
                "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
            ))
            page.close()
        browser.close()
    return paints


def run_on(url: str, requests: int = 50, runs: int = 3) -> dict:
    """The figures on an existing demo database."""
    report = {"network_cold_s": network_cold(url, runs)}
    with serving(url) as base, httpx.Client(base_url=base, timeout=120) as client:
        cached = {}
        for endpoint in CACHED_ENDPOINTS:
            start = time.perf_counter()
            client.get(endpoint).raise_for_status()
            first = time.perf_counter() - start
            calls = timed(lambda e=endpoint: client.get(e).raise_for_status(), requests)
            cached[endpoint] = {**summary_ms(calls), "first_ms": first * 1000}
        report["cached_api"] = cached
        report["first_paint_ms"] = {
            path: first_paint_ms(base, path, runs) for path in ("/", "/dashboard")
        }
    return report


def run(requests: int = 50, runs: int = 3) -> dict:
    """The figures on a new demo database."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        subprocess.run([AMITY, "init", "--demo", "--json"], check=True, capture_output=True,
                       env={**os.environ, "AMITY_DATABASE_URL": url})
        return run_on(url, requests, runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    report = run(args.requests)
    report["network_cold_median_s"] = statistics.median(report["network_cold_s"])
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

"""Run every benchmark and write docs/benchmarks.md (figures, machine, commands).

Run: make bench   (or .venv/bin/python -m bench.run)
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_analytics, bench_registry  # noqa: E402
from bench.common import AMITY, ROOT, machine  # noqa: E402

TARGET_INIT_S = 60
TARGET_LIST_MS = 50
TARGET_NETWORK_S = 10
TARGET_CACHED_MS = 50
TARGET_PAINT_MS = 2000


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def registry_section() -> str:
    init = bench_registry.bench_init(runs=3)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        subprocess.run([AMITY, "init", "--demo", "--json"], check=True, capture_output=True,
                       env={**os.environ, "AMITY_DATABASE_URL": url})
        api = bench_registry.bench_api(url, requests=200)
    first_ms = api.pop("_first_request_ms")
    lines = [
        "## Registry",
        "",
        "Command: `.venv/bin/python -m bench.bench_registry` (or `make bench`).",
        "",
        f"- `amity init --demo` into a new SQLite file (gazetteer + demo registry): median "
        f"**{init['median_s']:.1f} s** over {init['runs']} runs "
        f"(all: {', '.join(f'{s:.1f}' for s in init['all_s'])} s). "
        f"Target under {TARGET_INIT_S} s: {verdict(init['median_s'] < TARGET_INIT_S)}.",
        "",
        "`GET /api/v1/partnerships` with facets, over HTTP to `amity serve` (one uvicorn worker, "
        "SQLite), 200 sequential requests per query after one warm-up:",
        "",
        "| query | matching | median ms | p95 ms | min ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, row in api.items():
        lines.append(
            f"| {label} | {row['total']:,} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} "
            f"| {row['min_ms']:.1f} |"
        )
    worst = max(row["median_ms"] for row in api.values())
    lines += [
        "",
        f"The first list request after the server starts (or after a write) builds the in-memory "
        f"facet index: {first_ms:.0f} ms in this run.",
        "",
        f"Target: filtered list with facets under {TARGET_LIST_MS} ms median — worst query's "
        f"median {worst:.1f} ms: {verdict(worst < TARGET_LIST_MS)}.",
        "",
    ]
    return "\n".join(lines)


def analytics_section() -> str:
    report = bench_analytics.run(requests=50, runs=3)
    cold = report["network_cold_s"]
    cold_median = statistics.median(cold)
    lines = [
        "## Analytics",
        "",
        "Command: `.venv/bin/python -m bench.bench_analytics` (or `make bench`), on a demo "
        "database.",
        "",
        f"- `amity network --json` in a new process (nothing cached): median "
        f"**{cold_median:.1f} s** over {len(cold)} runs "
        f"(all: {', '.join(f'{s:.1f}' for s in cold)} s). "
        f"Target under {TARGET_NETWORK_S} s: {verdict(cold_median < TARGET_NETWORK_S)}.",
        "",
        "Cached API answers over HTTP (first call computes and caches; then "
        f"{next(iter(report['cached_api'].values()))['n']} sequential calls):",
        "",
        "| endpoint | first call ms | cached median ms | cached p95 ms |",
        "|---|---:|---:|---:|",
    ]
    worst = 0.0
    for endpoint, row in report["cached_api"].items():
        worst = max(worst, row["median_ms"])
        lines.append(
            f"| `{endpoint}` | {row['first_ms']:.0f} | {row['median_ms']:.1f} "
            f"| {row['p95_ms']:.1f} |"
        )
    lines += [
        "",
        f"Target: cached answers under {TARGET_CACHED_MS} ms — worst median {worst:.1f} ms: "
        f"{verdict(worst < TARGET_CACHED_MS)}.",
        "",
        "First contentful paint in headless Chromium (Debian's chromium, new page each run; the "
        "dashboard's charts fetch their data after the first paint):",
        "",
        "| page | runs (ms) | median ms |",
        "|---|---|---:|",
    ]
    for path, paints in report["first_paint_ms"].items():
        lines.append(
            f"| `{path}` | {', '.join(f'{p:.0f}' for p in paints)} "
            f"| {statistics.median(paints):.0f} |"
        )
    dash = statistics.median(report["first_paint_ms"]["/dashboard"])
    lines += [
        "",
        f"Target: the dashboard's first paint under {TARGET_PAINT_MS} ms: "
        f"{verdict(0 <= dash < TARGET_PAINT_MS)}.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT).stdout.strip()
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`); every figure below comes from that run.",
        f"Machine: {machine()}. Commit {commit}, {dt.date.today().isoformat()}.",
        "The machine is shared and noisy: figures are medians of repeated runs.",
        "",
        registry_section(),
        analytics_section(),
    ]
    out = ROOT / "docs" / "benchmarks.md"
    out.write_text("\n".join(parts))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

"""Run every benchmark and write docs/benchmarks.md (figures, machine, commands).

Run: make bench [BENCH_ARGS="--sizes 1,10 --soak-minutes 1 --output /tmp/bench.md"]
     (or scripts/with-postgres.sh .venv/bin/python -m bench.run --help)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (  # noqa: E402
    bench_adversarial,
    bench_analytics,
    bench_cases,
    bench_cli,
    bench_cold,
    bench_exchanges,
    bench_index,
    bench_matching,
    bench_registry,
)
from bench import scale_sections as scale  # noqa: E402
from bench.common import AMITY, ROOT, machine  # noqa: E402

TARGET_INIT_S = 60
TARGET_LIST_MS = 50
TARGET_NETWORK_S = 10
TARGET_CACHED_MS = 50
TARGET_PAINT_MS = 2000
TARGET_CASES_MS = 30
TARGET_TOP10_MS = 100
TARGET_EVAL_S = 120
TARGET_PLAN_S = 30
TARGET_INDEX_S = 20


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    aligns = ["---"] + ["---:"] * (len(header) - 1)
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(aligns) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def registry_section(demo_url: str) -> list[str]:
    init = bench_registry.bench_init(runs=3)
    api = bench_registry.bench_api(demo_url, requests=200)
    first_ms = api.pop("_first_request_ms")
    worst = max(row["median_ms"] for row in api.values())
    return [
        "## Registry",
        "",
        "Command: `.venv/bin/python -m bench.bench_registry`.",
        "",
        f"- `amity init --demo` into a new SQLite file (gazetteer + demo registry + demo "
        f"content): median **{init['median_s']:.1f} s** over {init['runs']} runs "
        f"(all: {', '.join(f'{s:.1f}' for s in init['all_s'])} s). "
        f"Target under {TARGET_INIT_S} s: {verdict(init['median_s'] < TARGET_INIT_S)}.",
        "",
        "`GET /api/v1/partnerships` with facets, over HTTP to `amity serve` (one uvicorn worker, "
        "SQLite), 200 sequential requests per query after one warm-up:",
        "",
        *table(
            ["query", "matching", "median ms", "p95 ms", "min ms"],
            [[label, f"{r['total']:,}", f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}",
              f"{r['min_ms']:.1f}"] for label, r in api.items()],
        ),
        "",
        f"The first list request after the server starts (or after a write) builds the in-memory "
        f"facet index: {first_ms:.0f} ms in this run.",
        "",
        f"Target: filtered list with facets under {TARGET_LIST_MS} ms median — worst query's "
        f"median {worst:.1f} ms: {verdict(worst < TARGET_LIST_MS)}.",
    ]


def analytics_section(demo_url: str) -> list[str]:
    report = bench_analytics.run_on(demo_url, requests=50, runs=3)
    cold = report["network_cold_s"]
    cold_median = statistics.median(cold)
    worst = max(row["median_ms"] for row in report["cached_api"].values())
    dash = statistics.median(report["first_paint_ms"]["/dashboard"])
    return [
        "## Analytics",
        "",
        "Command: `.venv/bin/python -m bench.bench_analytics`.",
        "",
        f"- `amity network --json` in a new process (nothing cached): median "
        f"**{cold_median:.1f} s** over {len(cold)} runs "
        f"(all: {', '.join(f'{s:.1f}' for s in cold)} s). "
        f"Target under {TARGET_NETWORK_S} s: {verdict(cold_median < TARGET_NETWORK_S)}.",
        "",
        "Cached API answers over HTTP (the first call computes and caches, then 50 calls):",
        "",
        *table(
            ["endpoint", "first call ms", "cached median ms", "cached p95 ms"],
            [[f"`{e}`", f"{r['first_ms']:.0f}", f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}"]
             for e, r in report["cached_api"].items()],
        ),
        "",
        f"Target: cached answers under {TARGET_CACHED_MS} ms — worst median {worst:.1f} ms: "
        f"{verdict(worst < TARGET_CACHED_MS)}.",
        "",
        "First contentful paint in headless Chromium (a new page each run; the dashboard's charts "
        "fetch their data after the first paint):",
        "",
        *table(
            ["page", "runs (ms)", "median ms"],
            [[f"`{p}`", ", ".join(f"{v:.0f}" for v in paints), f"{statistics.median(paints):.0f}"]
             for p, paints in report["first_paint_ms"].items()],
        ),
        "",
        f"Target: the dashboard's first paint under {TARGET_PAINT_MS} ms: "
        f"{verdict(0 <= dash < TARGET_PAINT_MS)}.",
    ]


def exchanges_section(demo_url: str) -> list[str]:
    report = bench_exchanges.run(demo_url, exchanges=50_000)
    whole, office = report["registry_health_ms"], report["jiangsu_unhealthy_ms"]
    return [
        "## Relationship health",
        "",
        "Command: `.venv/bin/python -m bench.bench_exchanges --database <demo database>` "
        f"(the demo registry plus {report['exchanges']:,} synthetic exchanges, on a copy).",
        "",
        f"- Health of all {report['partnerships']:,} partnerships: median "
        f"{whole['median_ms']:.0f} ms ({whole['n']} runs).",
        f"- Jiangsu's unhealthy partnerships on /health ({report['jiangsu_unhealthy_items']} "
        f"items): median {office['median_ms']:.0f} ms.",
    ]


def cases_section() -> list[str]:
    report = bench_cases.run(cases=10_000, repeat=30)
    lines = [
        "## Case library search",
        "",
        "Command: `scripts/with-postgres.sh .venv/bin/python -m bench.bench_cases` "
        "(10,000 synthetic bilingual cases; each query with its facets and highlights).",
        "",
    ]
    for engine, result in report.items():
        lines += [
            f"**{engine}** (indexed in {result['index_seconds']} s):",
            "",
            *table(
                ["query", "matching", "median ms", "p95 ms"],
                [[label, f"{r['total']:,}", f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}"]
                 for label, r in result["queries"].items()],
            ),
            "",
            f"Target under {TARGET_CASES_MS} ms median — worst query's median "
            f"{result['worst_median_ms']:.1f} ms: "
            f"{verdict(result['worst_median_ms'] < TARGET_CASES_MS)}.",
            "",
        ]
    if "postgresql" not in report:
        lines.append("PostgreSQL was not measured: run under `scripts/with-postgres.sh`.")
    return lines


def matching_section(demo_url: str) -> list[str]:
    os.environ["AMITY_DATABASE_URL"] = demo_url
    report = bench_matching.run()
    metrics = report["eval_metrics"]
    rows = [[name, *(f"{m[pool][k]:.3f}" for pool, k in (("network", "auc"), ("all", "auc"),
                                                       ("network", "hits_at_10"), ("all", "mrr")))]
            for name, m in metrics.items()]  # fmt: skip
    return [
        "## Matchmaking",
        "",
        "Command: `.venv/bin/python -m bench.bench_matching` (on the demo database).",
        "",
        f"- Top-10 recommendations for Xi'an: {report['recommend_top10_cold_ms']:.0f} ms cold, "
        f"**{report['recommend_top10_warm_ms']:.1f} ms** warm. Target under {TARGET_TOP10_MS} ms "
        f"warm: {verdict(report['recommend_top10_warm_ms'] < TARGET_TOP10_MS)}.",
        f"- `recommend-eval` (seed 0): **{report['recommend_eval_s']:.0f} s**. Target under "
        f"{TARGET_EVAL_S} s: {verdict(report['recommend_eval_s'] < TARGET_EVAL_S)}.",
        f"- Plan for Shaanxi, N=10: **{report['plan_province_n10_s']:.1f} s**. Target under "
        f"{TARGET_PLAN_S} s: {verdict(report['plan_province_n10_s'] < TARGET_PLAN_S)}.",
        "",
        f"Evaluation: {report['eval_split']}, China slice, candidates of the partner's kind.",
        "",
        *table(["method", "AUC (network places)", "AUC (all places)", "hits@10 (network)",
                "MRR (all)"], rows),
        "",
        "China slice of the kept split; docs/matching.md has every split, pool and seed.",
    ]


def index_section() -> list[str]:
    report = bench_index.run()
    rows = [[name, f"{r['places']:,}", str(r["runs"]), f"{r['command_s']:.1f}",
             f"{r['compute_s']:.1f}", verdict(r["command_s"] < TARGET_INDEX_S)]
            for name, r in report.items()]
    return [
        "## City-diplomacy index",
        "",
        "Command: `.venv/bin/python -m bench.bench_index` (`amity index --json --runs 1000` in a "
        "new process on a fresh demo database, nothing cached).",
        "",
        *table(["framework", "places", "Monte Carlo runs", "command s", "computation s",
                f"under {TARGET_INDEX_S} s"], rows),
    ]


def adversarial_section(demo_url: str) -> list[str]:
    return bench_adversarial.section(bench_adversarial.run(demo_url))


def _sections(demo_url: str, ctx: scale.Context) -> dict[str, Callable[[], list[str]]]:
    return {
        "adversarial": lambda: adversarial_section(demo_url),
        "registry": lambda: registry_section(demo_url),
        "cli": lambda: bench_cli.cli_section(demo_url),
        "analytics": lambda: analytics_section(demo_url),
        "exchanges": lambda: exchanges_section(demo_url),
        "cases": cases_section,
        "matching": lambda: matching_section(demo_url),
        "index": index_section,
        # Before (AMITY_BENCH_BEFORE, a checkout) and after (this one); see bench/bench_cold.py.
        "cold": lambda: bench_cold.cold_section(ctx.sizes),
        "import": lambda: scale.import_section(ctx),
        "peers-search": lambda: scale.peers_search_section(ctx),
        "peers-network": lambda: scale.peers_network_section(ctx),
        "growth": lambda: scale.growth_section(ctx),
        "pg-scale": lambda: scale.postgres_scale_section(ctx),
        "fuzz": lambda: scale.fuzz_section(ctx),
        "kill": lambda: scale.kill_section(ctx),
        "pg-restart": lambda: scale.pg_restart_section(ctx),
        "soak": lambda: scale.soak_section(ctx),
    }


# Faults first: they need no quiet machine, and what follows is timed on one that has settled.
SECTIONS = ("kill", "fuzz", "pg-restart", "adversarial", "registry", "analytics", "exchanges",
            "cases", "matching",
            "cli", "index", "cold", "import", "peers-search", "peers-network", "growth",
            "pg-scale", "soak")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100",
                        help="Growth sizes, times the demo registry (the largest also goes to "
                             "PostgreSQL).")
    parser.add_argument("--soak-minutes", type=float, default=10)
    parser.add_argument("--fuzz-cases", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--only", default="",
                        help=f"Comma-separated sections among: {', '.join(SECTIONS)}.")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    args.only = [s for s in args.only.split(",") if s] or list(SECTIONS)
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    return args


def main() -> None:
    args = _options()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT).stdout.strip()
    command = " ".join(["make bench", *([f'BENCH_ARGS="{" ".join(sys.argv[1:])}"']
                                        if sys.argv[1:] else [])])
    parts = [
        "# Benchmarks",
        "",
        f"Written by `{command}` (`bench/run.py`); every figure below comes from that run.",
        f"Machine: {machine()}. Commit {commit}, {dt.date.today().isoformat()}. "
        f"Load average at the start: {os.getloadavg()[0]:.1f}.",
        "The machine is shared and noisy: figures are medians of repeated runs.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        demo_path = Path(tmp) / "demo.db"
        demo_url = f"sqlite:///{demo_path}"
        subprocess.run([AMITY, "init", "--demo", "--json"], check=True, capture_output=True,
                       env={**os.environ, "AMITY_DATABASE_URL": demo_url})
        ctx = scale.Context(demo_path=demo_path, tmp=Path(tmp),
                            sizes=[int(k) for k in args.sizes.split(",")],
                            soak_minutes=args.soak_minutes, fuzz_cases=args.fuzz_cases,
                            kills=args.kills)
        sections = _sections(demo_url, ctx)
        # A partial run into an existing document replaces its own sections only.
        whole = set(args.only) == set(SECTIONS) or not args.output.exists()
        kept = "" if whole else args.output.read_text()
        done: list[list[str]] = []
        rerun = (f"- **Re-run** of {', '.join(args.only)} at commit {commit}, "
                 f"{dt.date.today().isoformat()}, load average {os.getloadavg()[0]:.1f}: "
                 f"`{command}`; its sections below replace the earlier ones.")
        for name in args.only:
            started = time.perf_counter()
            try:
                lines = sections[name]()
            except Exception as error:  # one broken section must not lose the others' figures
                lines = [f"## {name}", "", f"FAILED: {type(error).__name__}: {error}"]
            lines.append(f"\n_Section `{name}` took {time.perf_counter() - started:.0f} s._")
            parts += [*lines, ""]
            done.append(lines)
            print("\n".join(lines), flush=True)
            # What is done so far survives a crash.
            args.output.write_text(
                "\n".join(parts) if whole else splice(kept, done, note=rerun)
            )
    print(f"wrote {args.output}")


def splice(existing: str, sections: list[list[str]], *, note: str) -> str:
    """The existing document with these sections replaced (by heading) or appended.

    A run of some sections must not throw away the figures of the others: each keeps the
    command and commit it came from, and the header lists the partial re-runs.
    """
    blocks = re.split(r"(?m)^(?=## )", existing)
    intro, rest = blocks[0], blocks[1:]
    for lines in sections:
        text = "\n".join(lines).rstrip() + "\n\n"
        heading = lines[0]
        at = next((i for i, block in enumerate(rest) if block.split("\n", 1)[0] == heading), None)
        if at is None:
            rest.append(text)
        else:
            rest[at] = text
    intro = intro.rstrip() + "\n" + note + "\n\n"
    return intro + "".join(rest)


if __name__ == "__main__":
    main()

"""Command-line start: whole `amity` processes timed as a user waits for them, beside the start
of a bare `python -c "import typer"` (the peer: the least any Typer command can cost).

Each command runs N times, round robin (one of each, then again), so that a busy moment of a
shared machine falls on all of them alike. Wall time is what a user waits; CPU time (user +
system, of the process and its children) is steadier on a busy machine.

Run: .venv/bin/python -m bench.bench_cli [--runs 20] [--database-url sqlite:///demo.db]
         [--baseline /path/to/an/older/checkout/.venv/bin/amity]

Without --database-url, a demo database is made first (`amity init --demo`, about a minute).
With --baseline, the same commands also run through another `amity` (e.g. the code before the
lazy command table), in the same rounds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import AMITY

TARGET_HELP_S = 0.5
TARGET_RATIO = 3.0
PEER = "python -c 'import typer'"
# (label, arguments of `amity`); the light commands read the demo database.
COMMANDS = [
    ("amity --help", ["--help"]),
    ("amity events --help", ["events", "--help"]),
    ("amity resolve --help", ["resolve", "--help"]),
    ("amity resolve Shanghai --json", ["resolve", "Shanghai", "--json"]),
    ("amity stats --json", ["stats", "--json"]),
]
HELP = "amity --help"


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process, started and waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-500:]!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _stats(samples: list[tuple[float, float]]) -> dict[str, float]:
    wall = sorted(s[0] * 1000 for s in samples)
    cpu = sorted(s[1] * 1000 for s in samples)
    return {
        "median_ms": statistics.median(wall),
        "min_ms": wall[0],
        "p95_ms": wall[min(len(wall) - 1, round(0.95 * (len(wall) - 1)))],
        "cpu_median_ms": statistics.median(cpu),
        "n": len(wall),
    }


def run(database_url: str, runs: int = 20, baseline: str | None = None) -> dict:
    """{label: stats} for the peer, every command, and (with a baseline) every command through
    the baseline `amity`; plus each median's ratio to the peer's."""
    env = {**os.environ, "AMITY_DATABASE_URL": database_url, "COLUMNS": "100"}
    jobs = {PEER: [sys.executable, "-c", "import typer"]}
    for label, args in COMMANDS:
        jobs[label] = [AMITY, *args]
        if baseline:
            jobs[f"{label} (before)"] = [baseline, *args]
    for argv in jobs.values():  # one warm-up each: the file cache, SQLite's pages
        _run(argv, env)
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in jobs}
    for _ in range(runs):
        for label, argv in jobs.items():
            samples[label].append(_run(argv, env))
    report = {label: _stats(s) for label, s in samples.items()}
    peer = report[PEER]["median_ms"]
    for row in report.values():
        row["ratio"] = row["median_ms"] / peer
    return report


def cli_section(
    database_url: str | None = None, runs: int = 20, baseline: str | None = None
) -> list[str]:
    """The "Command-line start" section of docs/benchmarks.md (markdown lines)."""
    if database_url is None:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'demo.db'}"
            _init_demo(url)
            return cli_section(url, runs, baseline)
    load = os.getloadavg()[0]
    report = run(database_url, runs, baseline)
    rows = [
        [
            f"`{label}`",
            f"{r['median_ms']:.0f}",
            f"{r['min_ms']:.0f}",
            f"{r['p95_ms']:.0f}",
            f"{r['cpu_median_ms']:.0f}",
            f"{r['ratio']:.1f}×",
        ]
        for label, r in report.items()
    ]
    header = ["process", "median ms", "min ms", "p95 ms", "CPU median ms", "× peer"]
    help_row = report[HELP]
    met = help_row["median_ms"] < TARGET_HELP_S * 1000 and help_row["ratio"] <= TARGET_RATIO
    command = "`.venv/bin/python -m bench.bench_cli" + (
        f" --baseline {baseline}`" if baseline else "`"
    )
    return [
        "## Command-line start",
        "",
        f"Command: {command} (whole processes, {runs} rounds after one warm-up, round robin; "
        f"the light commands on the demo SQLite database; load average {load:.1f} at the start "
        "on a shared machine). The peer is a bare `python -c 'import typer'` in the same "
        "interpreter; × peer compares medians.",
        "",
        "| " + " | ".join(header) + " |",
        "| --- | " + " | ".join(["---:"] * (len(header) - 1)) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        f"Target `amity --help` under {TARGET_HELP_S} s and at most {TARGET_RATIO:.0f}× the "
        f"peer: {help_row['median_ms'] / 1000:.2f} s, {help_row['ratio']:.1f}×: "
        f"{'met' if met else 'MISSED'}.",
    ]


def _init_demo(database_url: str) -> None:
    subprocess.run(
        [AMITY, "init", "--demo", "--json"],
        env={**os.environ, "AMITY_DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", help="A demo database (default: a new one).")
    parser.add_argument("--baseline", default=None, help="Another `amity` to time beside.")
    args = parser.parse_args()
    print("\n".join(cli_section(args.database_url, args.runs, args.baseline)))


if __name__ == "__main__":
    main()

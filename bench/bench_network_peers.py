"""The network end to end: `amity network --json` as a whole process against an igraph script and a
networkx script computing the same measures from Amity's own export, also as whole processes.

Run: .venv/bin/python -m bench.bench_network_peers --database /tmp/demo.db [--runs 5]

Every figure is a new process from its start (imports, reading, computing, printing): what a user
waits for. The peers read the edge list `amity export --format csv` wrote once beforehand (timed
apart, not counted). Amity is run twice per round: cold (a fresh copy of the database and empty
data and cache directories: nothing persisted) and warm (the same command again, on that copy:
whatever Amity persists between processes is there). Peers run "six" (the measures bench_network
checks: nodes, edges, components, diameter, triangles, transitivity) and "full" (the other graph
measures of Amity's report too; see bench/peer_igraph.py). The rounds interleave the commands, so
that the load of a shared machine falls on all of them; the figures are medians. The peers' six
measures must equal Amity's, or the bench stops.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import AMITY, ROOT

PEERS = {peer: ROOT / "bench" / f"peer_{peer}.py" for peer in ("igraph", "networkx")}
SIX = ("nodes", "edges", "components", "diameter", "triangles", "transitivity")


def timed_process(command: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) and standard output of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def amity_six(report: dict) -> dict:
    return {"nodes": report["nodes"], "edges": report["edges"],
            "components": report["components"]["count"],
            "diameter": report["distances"]["diameter"],
            "triangles": report["clustering"]["triangles"],
            "transitivity": report["clustering"]["transitivity"]}


def _env(tmp: Path, database: Path) -> dict:
    """Amity on its own database copy, with empty data and cache directories."""
    for sub in ("data", "cache", "config"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    return {**os.environ, "AMITY_DATABASE_URL": f"sqlite:///{database}",
            "XDG_DATA_HOME": str(tmp / "data"), "XDG_CACHE_HOME": str(tmp / "cache"),
            "XDG_CONFIG_HOME": str(tmp / "config")}


def _summary(samples: list[tuple[float, float]]) -> dict:
    walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
    return {"wall_s": round(statistics.median(walls), 2),
            "cpu_s": round(statistics.median(cpus), 2), "runs_s": [round(w, 2) for w in walls]}


def run(database: Path, runs: int = 5, slow_runs: int = 3, workdir: Path | None = None) -> dict:
    """Medians of each command over `runs` rounds (networkx "full", the slowest, `slow_runs`)."""
    samples: dict[str, list[tuple[float, float]]] = {}
    answers: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp_name:
        tmp = Path(tmp_name)
        edges = tmp / "edges.csv"
        wall, cpu, _ = timed_process([AMITY, "export", "--format", "csv", "-o", str(edges)],
                                     env=_env(tmp / "export", database))
        export = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                  "mib": round(edges.stat().st_size / 2**20, 1)}
        for round_ in range(runs):
            home = tmp / f"round{round_}"
            copy = home / "amity.db"
            home.mkdir()
            shutil.copyfile(database, copy)
            env = _env(home, copy)
            for state in ("cold", "warm"):
                wall, cpu, out = timed_process([AMITY, "network", "--json"], env=env)
                samples.setdefault(f"amity {state}", []).append((wall, cpu))
                answers["amity"] = amity_six(json.loads(out))
            for peer, script in PEERS.items():
                for metrics in ("six", "full"):
                    if peer == "networkx" and metrics == "full" and round_ >= slow_runs:
                        continue
                    wall, cpu, out = timed_process(
                        [sys.executable, str(script), str(edges), "--metrics", metrics])
                    samples.setdefault(f"{peer} {metrics}", []).append((wall, cpu))
                    answers[f"{peer} {metrics}"] = json.loads(out)
            shutil.rmtree(home)
    for name, answer in answers.items():
        six = {k: answer[k] for k in SIX}
        if six != answers["amity"]:
            raise AssertionError(f"{name} disagrees with Amity: {six} against {answers['amity']}")
    return {"export": export, "graph": answers["amity"],
            "commands": {name: _summary(s) for name, s in samples.items()},
            "full": {name: answers.get(f"{name} full") for name in PEERS}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="Amity's SQLite file.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow-runs", type=int, default=3, help="Runs of networkx full.")
    args = parser.parse_args()
    print(json.dumps(run(args.database, args.runs, args.slow_runs), indent=2))


if __name__ == "__main__":
    main()

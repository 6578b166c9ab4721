"""A worker's memory on a large registry: `amity serve` (1 worker, a fresh data directory) on a
given SQLite file, the time to its first list answer and its RSS then, after a few distinct
filter and text queries, and every 15 s while its start-up warming goes on (the heavy results),
until --limit seconds or --max-mb of RSS, whichever comes first (the machine is shared).

Run (100x the demo):

    .venv/bin/python -m bench.synth --demo /tmp/demo.db --factor 100 --out /tmp/x100.db
    AMITY_DATABASE_URL=sqlite:////tmp/x100.db .venv/bin/amity init
    .venv/bin/python -m bench.bench_memory /tmp/x100.db --limit 600 --max-mb 3200

Prints one JSON line per observation. The stored weights of the recommender, if the file has
them, are kept (AMITY_MODEL_DRIFT is set high): this measures holding the registry, not learning.
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

from bench.bench_cold import rss_mb
from bench.common import free_port

QUERIES = ("country=FR", "country=JP&status=active", "q=Lyon", "country=DE&sort=-established",
           "continent=Africa", "q=西安")  # fmt: skip
AMITY = str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "amity")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path)
    parser.add_argument("--limit", type=float, default=600)
    parser.add_argument("--max-mb", type=float, default=3200)
    args = parser.parse_args()
    state = tempfile.mkdtemp(prefix="bench-memory-")
    env = {**os.environ, "AMITY_DATABASE_URL": f"sqlite:///{args.database}",
           "AMITY_STATE_DIR": state, "XDG_DATA_HOME": state, "XDG_CACHE_HOME": state,
           "AMITY_MODEL_DRIFT": "1000"}  # fmt: skip
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with open(f"{state}/server.log", "w") as log:
        command = [AMITY, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                if httpx.get(f"{url}/api/v1/partnerships", timeout=3600).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        pid = server.pid
        print(json.dumps({"first_list_s": round(time.perf_counter() - started, 1),
                          "rss_mb": rss_mb(pid)}), flush=True)  # fmt: skip
        for query in QUERIES:
            clock = time.perf_counter()
            status = httpx.get(f"{url}/api/v1/partnerships?{query}", timeout=3600).status_code
            ms = round((time.perf_counter() - clock) * 1000)
            print(json.dumps({"query": query, "status": status, "ms": ms}), flush=True)
        print(json.dumps({"after_queries_rss_mb": rss_mb(pid)}), flush=True)
        end = time.monotonic() + args.limit
        while time.monotonic() < end and server.poll() is None:
            time.sleep(15)
            rss = rss_mb(pid)
            print(json.dumps({"t_s": round(time.perf_counter() - started), "rss_mb": rss,
                              "peak_mb": rss_mb(pid, "VmHWM")}), flush=True)  # fmt: skip
            if rss > args.max_mb:
                print(json.dumps({"stopped": f"RSS over {args.max_mb:.0f} MB"}), flush=True)
                break
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()

"""The city-diplomacy index on the demo registry: every place with a partnership, 1,000 runs.

Run: .venv/bin/python -m bench.bench_index
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import AMITY

TARGET_S = 20


def index_cold(database_url: str, framework: str) -> dict:
    """`amity index --json --runs 1000` in a new process: nothing cached, the network included."""
    env = {**os.environ, "AMITY_DATABASE_URL": database_url}
    start = time.perf_counter()
    done = subprocess.run(
        [AMITY, "index", "--json", "--runs", "1000", "--framework", framework, "--top", "1"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    body = json.loads(done.stdout)
    return {
        "command_s": round(seconds, 2),
        "compute_s": body["seconds_total"],
        "steps_s": body["seconds"],
        "places": body["places"],
        "runs": body["runs"],
        "sensitivity": body["sensitivity"],
        "validation": body["validation"]["correlations"],
        "met": seconds < TARGET_S,
    }


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        subprocess.run([AMITY, "init", "--demo", "--json"], check=True, capture_output=True,
                       env={**os.environ, "AMITY_DATABASE_URL": url})  # fmt: skip
        return {name: index_cold(url, name) for name in ("prr", "friendly_exchange")}


def main() -> None:
    print(json.dumps(run(), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

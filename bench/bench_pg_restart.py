"""PostgreSQL restarted under load: the app answers again without being restarted.

Run: .venv/bin/python -m bench.bench_pg_restart [--workers 2] [--gazetteer]

Starts its own throwaway PostgreSQL server (initdb in a temporary directory, as the postgres user
when run as root, on 127.0.0.1 and a free port — the recipe of scripts/with-postgres.sh), serves
Amity on it, sends requests from one client without pause, and restarts the server with
`pg_ctl restart -m fast`. Reported: how long the restart took, how long until the app answered
200 again (recovery, from the start of the restart), and every other answer meanwhile — each must
be the standard error shape (503 `database_unavailable`), never a 500 or a trace.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from amity.core import schema
from amity.core.db import make_engine
from bench.common import AMITY, free_port, serving

PATHS = ("/api/v1/partnerships", "/api/v1/stats", "/api/v1/partnerships?status=active")


def _pg_bin() -> Path:
    installs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if not installs:
        raise RuntimeError("PostgreSQL server binaries not found")
    return installs[-1].parent


def _as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else list(args)


@contextmanager
def throwaway_postgres() -> Iterator[tuple[str, callable]]:
    """A private PostgreSQL server; yields its URL and a function restarting it (seconds taken)."""
    bindir = _pg_bin()
    tmp = Path(tempfile.mkdtemp(prefix="amity-pg-restart."))
    tmp.chmod(0o755)
    if os.getuid() == 0:
        subprocess.run(["chown", "postgres", str(tmp)], check=True)
    data, port = tmp / "data", free_port()
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
    subprocess.run(_as_postgres(str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                                "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"),
                   check=True, capture_output=True)
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off")
    subprocess.run(_as_postgres(*pg_ctl, "-l", str(tmp / "server.log"), "-w", "-o", options,
                                "start"), check=True, capture_output=True)

    def restart() -> float:
        start = time.perf_counter()
        subprocess.run(_as_postgres(*pg_ctl, "-l", str(tmp / "server.log"), "-w", "-m", "fast",
                                    "restart"), check=True, capture_output=True)
        return time.perf_counter() - start

    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", restart
    finally:
        subprocess.run(_as_postgres(*pg_ctl, "-m", "immediate", "stop"), capture_output=True)
        subprocess.run(["rm", "-rf", str(tmp)], check=False)


def _load(base: str, stop: threading.Event, answers: list) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        n = 0
        while not stop.is_set():
            path = PATHS[n % len(PATHS)]
            n += 1
            at = time.perf_counter()
            try:
                response = client.get(path)
            except httpx.HTTPError as error:
                answers.append((at, None, type(error).__name__))
                continue
            code = None
            if response.status_code != 200:
                try:
                    code = response.json()["error"]["code"]
                except (ValueError, KeyError, TypeError):
                    code = "not the error shape: " + response.text[:200]
            answers.append((at, response.status_code, code))


def run(workers: int = 1, gazetteer: bool = False, steady_s: float = 2.0) -> dict:
    with throwaway_postgres() as (url, restart):
        if gazetteer:
            subprocess.run([AMITY, "init"], env={**os.environ, "AMITY_DATABASE_URL": url},
                           check=True, capture_output=True)
        else:
            engine = make_engine(url)
            schema.upgrade(engine)
            engine.dispose()
        with serving(url, workers) as base:
            answers: list = []
            stop = threading.Event()
            thread = threading.Thread(target=_load, args=(base, stop, answers))
            thread.start()
            time.sleep(steady_s)
            restart_at = time.perf_counter()
            restart_s = restart()
            deadline = time.perf_counter() + 60
            while time.perf_counter() < deadline and not any(
                    a[0] > restart_at + restart_s and a[1] == 200 for a in answers):
                time.sleep(0.05)
            time.sleep(steady_s)
            stop.set()
            thread.join()
    after = [a for a in answers if a[0] >= restart_at]
    last_failure = max((i for i, a in enumerate(after) if a[1] != 200), default=None)
    # Recovered: the first 200 after the last failure (every answer after it was a 200).
    recovered = after[0] if last_failure is None else next(
        (a for a in after[last_failure + 1:] if a[1] == 200), None)
    failed = [a for a in after if a[1] != 200]
    return {
        "workers": workers,
        "requests_before": len(answers) - len(after),
        "restart_s": round(restart_s, 2),
        "recovery_s": round(recovered[0] - restart_at, 2) if recovered else None,
        "failed_during_outage": len(failed),
        "failure_answers": sorted({f"{a[1]} {a[2]}" for a in failed}),
        "requests_after_recovery": sum(1 for a in after if recovered and a[0] >= recovered[0]),
        "server_errors": sum(1 for a in answers if a[1] is not None and a[1] >= 500
                             and a[2] != "database_unavailable"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gazetteer", action="store_true", help="Load the gazetteer first.")
    args = parser.parse_args()
    print(json.dumps(run(args.workers, args.gazetteer), indent=2))


if __name__ == "__main__":
    main()

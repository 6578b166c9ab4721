"""kill -9 of Amity during imports and API writes, repeated, with the database checked after each.

Run: .venv/bin/python -m bench.bench_kill --kills 20 [--engine sqlite|postgresql]
     (PostgreSQL needs AMITY_TEST_POSTGRES_URL: scripts/with-postgres.sh ... )

Imports: `amity import FILE --partial --as-steward` on a generated file (gazetteer city pairs plus
towns the import creates, fresh names each round) is killed with SIGKILL at a random moment.
After each kill: SQLite's `PRAGMA integrity_check` is "ok", and the import is all or nothing —
either no batch was recorded and the counts are unchanged, or the batch was committed whole (its
partnerships and places are all there, as its report says).

Writes: `amity serve` takes POST /api/v1/partnerships from two clients with a token; its whole
process group is killed at a random moment. After each kill: the integrity check, and every write
the API acknowledged (201) is in the database with the same two places.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from amity.core.db import make_engine
from bench.common import AMITY, free_port

TOWNS_PER_FILE = 3000
WRITERS = 2


@dataclass
class KillReport:
    kind: str
    kills: int = 0
    finished_before_kill: int = 0
    committed_at_kill: int = 0
    acknowledged_writes: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {**self.__dict__, "consistent": not self.problems}


def _sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _env(url: str) -> dict:
    return {**os.environ, "AMITY_DATABASE_URL": url}


def fresh_database(engine_name: str, directory: Path) -> str:
    """A new database with the gazetteer: an SQLite file in `directory`, or a new PostgreSQL
    database on the server at AMITY_TEST_POSTGRES_URL."""
    if engine_name == "sqlite":
        url = f"sqlite:///{directory / 'kill.db'}"
    else:
        admin_url = os.environ["AMITY_TEST_POSTGRES_URL"]
        name = f"amity_kill_{uuid.uuid4().hex[:10]}"
        admin = make_engine(admin_url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE DATABASE {name} ENCODING 'UTF8'"))
        admin.dispose()
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    subprocess.run([AMITY, "init"], env=_env(url), check=True, capture_output=True)
    return url


def drop_database(url: str) -> None:
    if _sqlite(url):
        return
    admin = make_engine(os.environ["AMITY_TEST_POSTGRES_URL"])
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)"))
    admin.dispose()


def _query(url: str, sql: str, **params) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def integrity(url: str) -> str:
    """SQLite's own check of the file ("ok"); PostgreSQL's WAL recovery is its own guarantee."""
    if not _sqlite(url):
        return "ok"
    return _query(url, "PRAGMA integrity_check")[0][0]


def _counts(url: str) -> tuple[int, int, int]:
    row = _query(url, "SELECT (SELECT count(*) FROM partnerships), (SELECT count(*) FROM places), "
                      "(SELECT count(*) FROM import_batches)")[0]
    return tuple(row)


def import_file(url: str, path: Path, round_no: int, towns: int = TOWNS_PER_FILE) -> None:
    """Gazetteer city pairs (with their points) and `towns` towns new to the registry."""
    cities = _query(url, "SELECT name, country_code, lat, lon FROM places "
                         "WHERE source = 'geonames' AND population > 200000 ORDER BY id")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"])
        for i, a in enumerate(cities):
            for b in cities[i + 1: i + 4]:
                writer.writerow([*a, *b])
        for n in range(towns):
            town = [f"Killtown {round_no}-{n}", "FR", 45.0 + round_no / 100, 2 + n / 1e4]
            writer.writerow(["Beijing", "CN", 39.9, 116.4, *town])


def _check_import(url: str, before: tuple[int, int, int]) -> str | None:
    """None when the database is intact and the killed import left all or nothing."""
    check = integrity(url)
    if check != "ok":
        return f"integrity_check: {check}"
    after = _counts(url)
    if after == before:
        return None
    if after[2] != before[2] + 1:
        return f"counts changed without a batch: {before} -> {after}"
    batch_id, report = _query(url, "SELECT id, report FROM import_batches ORDER BY id DESC "
                                   "LIMIT 1")[0]
    report = json.loads(report) if isinstance(report, str) else report
    pairs = _query(url, "SELECT count(*) FROM partnerships WHERE import_batch_id = :b",
                   b=batch_id)[0][0]
    expected = (report or {}).get("imported")
    if expected is not None and pairs != expected:
        return f"batch {batch_id} holds {pairs} partnerships, its report says {expected}"
    if after[0] - before[0] != pairs:
        return f"partnerships grew by {after[0] - before[0]}, the batch holds {pairs}"
    return None


def kill_imports(url: str, kills: int, tmp: Path, seed: int = 0,
                 towns: int = TOWNS_PER_FILE) -> KillReport:
    """Kill `amity import` at random moments until `kills` kills have landed mid-import."""
    rng = random.Random(seed)
    report = KillReport(kind="import")
    started = time.perf_counter()
    first = tmp / "calibrate.csv"
    import_file(url, first, 0, towns)
    t0 = time.perf_counter()
    subprocess.run([AMITY, "import", str(first), "--partial", "--as-steward", "--dry-run"],
                   env=_env(url), capture_output=True, check=False)
    span = (time.perf_counter() - t0) * 1.3  # the writes take a little longer than the check
    round_no = 0
    while report.kills < kills and round_no < kills * 3:
        round_no += 1
        path = tmp / f"import-{round_no}.csv"
        import_file(url, path, round_no, towns)
        before = _counts(url)
        proc = subprocess.Popen([AMITY, "import", str(path), "--partial", "--as-steward"],
                                env=_env(url), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            # Not too early: the first seconds are Python starting, before any database work.
            proc.wait(timeout=rng.uniform(0.3, 1.0) * span)
            report.finished_before_kill += 1
            # The calibration overestimated (a warm cache imports faster): aim earlier.
            span = max(span * 0.8, 0.5)
            path.unlink()
            continue
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        report.kills += 1
        if _counts(url)[2] != before[2]:
            report.committed_at_kill += 1
        problem = _check_import(url, before)
        if problem:
            report.problems.append(f"round {round_no}: {problem}")
        path.unlink()
    report.seconds = round(time.perf_counter() - started, 1)
    return report


def _serve(url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([AMITY, "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=_env(url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # its own group: the kill takes every child
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/stats", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("amity serve did not start")


def _writer(base: str, token: str, pairs: list[tuple[int, int]], acked: list, stop: threading.Event
            ) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for a, b in pairs:
            if stop.is_set():
                return
            try:
                response = client.post("/api/v1/partnerships", json={
                    "place_a_id": a, "place_b_id": b, "source": "killtest",
                    # The steward's act: a pair enters directly only with its evidence.
                    "established": "2001", "evidence_document": "kill test",
                    "evidence_source": "bench"})
            except httpx.HTTPError:
                return  # the server is gone
            if response.status_code == 201:
                acked.append((response.json()["id"], a, b))


def kill_writes(url: str, kills: int, seed: int = 0) -> KillReport:
    """Kill `amity serve` under POSTs at random moments; acknowledged writes must survive."""
    rng = random.Random(seed)
    report = KillReport(kind="api_writes")
    started = time.perf_counter()
    token = subprocess.run([AMITY, "token", "create", "kill-bench"], env=_env(url), check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
    places = [r[0] for r in _query(url, "SELECT id FROM places WHERE kind = 'city' AND "
                                        "population > 50000 ORDER BY id")]
    rng.shuffle(places)
    # Disjoint pairs, never repeated across rounds: each POST is a new partnership.
    pairs = [tuple(sorted(places[i:i + 2])) for i in range(0, len(places) - 1, 2)]
    acked: list[tuple[int, int, int]] = []
    for round_no in range(kills):
        proc, base = _serve(url)
        stop = threading.Event()
        share = pairs[:400]
        pairs = pairs[400:]
        threads = [threading.Thread(target=_writer, args=(base, token, share[i::WRITERS], acked,
                                                          stop)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.2, 2.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        stop.set()
        for thread in threads:
            thread.join()
        report.kills += 1
        check = integrity(url)
        if check != "ok":
            report.problems.append(f"round {round_no}: integrity_check: {check}")
        stored = {r[0]: (r[1], r[2]) for r in _query(
            url, "SELECT id, place_a_id, place_b_id FROM partnerships WHERE source = 'killtest'")}
        lost = [a for a in acked if stored.get(a[0]) != (a[1], a[2])]
        if lost:
            report.problems.append(f"round {round_no}: {len(lost)} acknowledged writes missing")
    report.acknowledged_writes = len(acked)
    report.seconds = round(time.perf_counter() - started, 1)
    return report


def run(engine_name: str, kills: int, tmp: Path, seed: int = 0,
        towns: int = TOWNS_PER_FILE) -> dict:
    """Both kinds of kill on one fresh database of the engine."""
    url = fresh_database(engine_name, tmp)
    try:
        imports = kill_imports(url, kills, tmp, seed, towns)
        writes = kill_writes(url, kills, seed)
    finally:
        drop_database(url)
    return {"engine": engine_name, "import": imports.to_dict(), "api_writes": writes.to_dict()}


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--towns", type=int, default=TOWNS_PER_FILE,
                        help="New towns per import file (its size).")
    args = parser.parse_args()
    engines = args.engine or ["sqlite"] + (
        ["postgresql"] if os.environ.get("AMITY_TEST_POSTGRES_URL") else [])
    results = []
    for name in engines:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(run(name, args.kills, Path(tmp), towns=args.towns))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

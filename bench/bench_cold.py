"""Cold paths, before and after: what a user waits for after a start, a restart or a write.

Whole processes, timed as a user waits. `amity serve` is started as `make run` starts it (its
own defaults; only --host, a free --port and --workers are given) and polled over HTTP until it
answers; `amity recommend` runs as a whole process. Each checkout runs with its own virtualenv on
its own copy of the same database: the oldest checkout builds the demo registry (`amity init
--demo`), `bench.synth` lifts it to k times the demo, and each checkout then runs its own
`amity init` on its copy so that its migrations apply. Every run starts from a fresh copy of that
database and a fresh, empty data and cache directory (XDG_DATA_HOME, XDG_CACHE_HOME); a
"restart" stops the server and starts it again on the same database and directories, so that
whatever the code keeps there survives, as it would in production.

Run (1x and 10x the demo, 3 runs, every scenario; about 15 minutes when the code is fast, far
longer for the slow code of ba5256a, which is why its figures can be saved once and reused):

    git -C /work/main worktree add --detach /work/wt/i17-before ba5256a
    make -C /work/wt/i17-before setup
    .venv/bin/python -m bench.bench_cold --before /work/wt/i17-before \\
        [--sizes 1,10] [--runs 3] [--only start,workers,...] [--output /tmp/cold.md] \\
        [--save /tmp/cold.json] [--before-results bench/cold_before.json] [--no-after]

or through bench/run.py (sizes from its --sizes, up to 10x), the before checkout taken from
AMITY_BENCH_BEFORE, or saved before figures from AMITY_BENCH_BEFORE_RESULTS (comma-separated
files written by --save), with AMITY_BENCH_COLD_RUNS, AMITY_BENCH_COLD_ONLY and
AMITY_BENCH_COLD_TIMEOUT:

    AMITY_BENCH_BEFORE=/work/wt/i17-before make bench BENCH_ARGS="--only cold --sizes 1,10"

The scenarios (each run, each size, each checkout):

- start: 1 worker from a fresh start until the first 200 of GET /api/v1/partnerships (polled),
  the CPU seconds the server used until then and the worker's RSS; the same after a restart.
- recommend: the first recommendation (GET /api/v1/recommend, Xi'an) after a fresh start (once
  the server answers), the worker's RSS after it and its peak, a warm one; then the first one
  after a restart.
- workers: the same first answer with 2 workers (fresh and after a restart), each worker's RSS.
- index: /index on first visit after a start, warm, and on first visit after a restart.
- dashboard: the Chinese dashboard (/dashboard with lang zh) and its charts' JSON twins, fetched
  in parallel as the page's script does, until the last one has answered.
- proposal: the first proposal submission after a start (the checks score the pair).
- write: everything warmed once, then one `UPDATE partnerships SET status ... WHERE id = ?` by
  another process (sqlite3, here), and the next list, list page, network, recommendation and
  /index, each timed from its request; then one edit through the API (PATCH
  /api/v1/partnerships/{id} with a token) and the same again.
- concurrent: N parallel first requests to one heavy endpoint right after the server answers:
  wall time, the worker's CPU seconds (compare with one cold request: about N times as much means
  N builds) and its peak RSS (VmHWM).
- cli: `amity recommend <Xi'an> --json` as a whole process on a fresh copy, then again: wall
  time and the process's max RSS.

With one worker, each timed request also records the CPU seconds the worker spent meanwhile
(from /proc): the machine is shared and noisy, and CPU seconds are far steadier than wall time.
Figures are medians over the runs, cold and warm apart. A request that takes longer than
--timeout seconds is reported as "timeout".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, free_port, machine  # noqa: E402
from bench.synth import synthesize  # noqa: E402

XIAN = 317  # Xi'an in the demo gazetteer (the clones of bench.synth get new ids; it keeps its own)
LIST = "/api/v1/partnerships"
RECOMMEND = f"/api/v1/recommend?place={XIAN}"
NETWORK = "/api/v1/network"
# What the dashboard's script fetches on first load (the ego network waits for a chosen place).
DASHBOARD_CHARTS = ("/api/v1/lines?country=CN", "/api/v1/statistics", "/api/v1/layout", NETWORK)
ZH = {"headers": {"Cookie": "amity_lang=zh", "Accept-Language": "zh-CN,zh;q=0.9"}}
SCENARIOS = ("start", "recommend", "workers", "index", "dashboard", "proposal", "write",
             "concurrent", "cli")
TICK = os.sysconf("SC_CLK_TCK")


# ---- checkouts, databases, runs ------------------------------------------------------------

@dataclass
class Checkout:
    label: str  # "before" or "after"
    root: Path

    @property
    def amity(self) -> str:
        return str(self.root / ".venv" / "bin" / "amity")

    def commit(self) -> str:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, cwd=self.root).stdout.strip()


@dataclass
class Master:
    """A checkout's migrated copy of the database at one size, and what the runs need of it."""

    checkout: Checkout
    size: int
    db: Path
    audit_key: Path
    token: str
    partner: int  # a foreign registry place Xi'an has no partnership with (for a proposal)
    edits: tuple[int, int]  # two active partnerships of Xi'an (one edited by SQL, one by API)


@dataclass
class RunDir:
    db: Path
    data: Path
    cache: Path
    log: Path

    def env(self) -> dict[str, str]:
        return {**os.environ, "AMITY_DATABASE_URL": f"sqlite:///{self.db}",
                "XDG_DATA_HOME": str(self.data), "XDG_CACHE_HOME": str(self.cache)}


def copy_db(source: Path, target: Path) -> None:
    """A consistent copy (the WAL included) through SQLite's backup API."""
    target.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def fresh_dir(master: Master, where: Path) -> RunDir:
    """A new copy of the master database and an empty data directory (with its audit key)."""
    shutil.rmtree(where, ignore_errors=True)
    run = RunDir(db=where / "amity.db", data=where / "data", cache=where / "cache",
                 log=where / "serve.log")
    (run.data / "amity").mkdir(parents=True)
    run.cache.mkdir()
    shutil.copy2(master.audit_key, run.data / "amity" / "audit.key")
    copy_db(master.db, run.db)
    return run


def build_base(checkout: Checkout, tmp: Path, sizes: list[int]) -> tuple[dict[int, Path], Path]:
    """The demo registry made by `checkout` (the oldest), lifted to each size; its audit key."""
    base = tmp / "base"
    (base / "data").mkdir(parents=True, exist_ok=True)
    demo = base / "demo.db"
    env = {**os.environ, "AMITY_DATABASE_URL": f"sqlite:///{demo}",
           "XDG_DATA_HOME": str(base / "data"), "XDG_CACHE_HOME": str(base / "cache")}
    subprocess.run([checkout.amity, "init", "--demo", "--json"], env=env, check=True,
                   capture_output=True)
    dbs = {}
    for size in sizes:
        if size == 1:
            dbs[1] = demo
        else:
            dbs[size] = base / f"x{size}.db"
            synthesize(demo, dbs[size], size)
    return dbs, base / "data" / "amity" / "audit.key"


def make_master(checkout: Checkout, size: int, base_db: Path, audit_key: Path,
                tmp: Path) -> Master:
    """Copy the base database, migrate it with the checkout's own `amity init`, add a token."""
    # Byte-compiled once, so that no measured start pays for compiling what a fresh
    # `make setup` left as source (uv installs without .pyc files).
    python = Path(checkout.amity).with_name("python")
    subprocess.run([str(python), "-m", "compileall", "-q", "-j", "0", str(checkout.root / "src"),
                    str(checkout.root / ".venv" / "lib")], capture_output=True)
    where = tmp / f"{checkout.label}-{size}x"
    shutil.rmtree(where, ignore_errors=True)
    (where / "data" / "amity").mkdir(parents=True)
    key = where / "data" / "amity" / "audit.key"
    shutil.copy2(audit_key, key)
    db = where / "master.db"
    copy_db(base_db, db)
    run = RunDir(db=db, data=where / "data", cache=where / "cache", log=where / "init.log")
    subprocess.run([checkout.amity, "init", "--json"], env=run.env(), check=True,
                   capture_output=True)
    token = subprocess.run([checkout.amity, "token", "create", "bench-cold"], env=run.env(),
                           check=True, capture_output=True, text=True).stdout.split()[-1]
    with sqlite3.connect(db) as con:
        partners = "SELECT place_b_id FROM partnerships WHERE place_a_id = :x " \
                   "UNION SELECT place_a_id FROM partnerships WHERE place_b_id = :x"
        partner = con.execute(
            f"SELECT id FROM places WHERE country_code NOT IN ('CN', 'HK', 'MO', 'TW') "
            f"AND id IN (SELECT place_a_id FROM partnerships UNION SELECT place_b_id "
            f"FROM partnerships) AND id NOT IN ({partners}) ORDER BY id LIMIT 1", {"x": XIAN}
        ).fetchone()[0]
        edits = [row[0] for row in con.execute(
            "SELECT id FROM partnerships WHERE (place_a_id = ? OR place_b_id = ?) "
            "AND status = 'active' ORDER BY id LIMIT 2", (XIAN, XIAN))]
    return Master(checkout, size, db, key, token, partner, (edits[0], edits[1]))


# ---- a server, as a user meets it ------------------------------------------------------------

def rss_mb(pid: int, key: str = "VmRSS") -> float:
    """A process's resident memory (or its peak, VmHWM) in MB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return float("nan")


def cpu_s(pid: int) -> float:
    """User plus system CPU seconds a process has used so far (all its threads)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / TICK


class Server:
    """`amity serve` of one checkout on a run directory, timed from the moment it is started."""

    def __init__(self, master: Master, run: RunDir, workers: int, timeout: float):
        self.master, self.run, self.workers, self.timeout = master, run, workers, timeout
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.client = httpx.Client(base_url=self.base, timeout=timeout)
        self.auth = {"Authorization": f"Bearer {master.token}"}

    def start(self) -> None:
        self.log = self.run.log.open("a")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [self.master.checkout.amity, "serve", "--host", "127.0.0.1", "--port",
             str(self.port), "--workers", str(self.workers)],
            env=self.run.env(), stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, so that its workers go with it
        )

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()

    def worker_pids(self) -> list[int]:
        """The processes that answer: the server itself with one worker, else its children."""
        if self.workers == 1:
            return [self.proc.pid]
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            children = [int(p) for p in path.read_text().split()]
        except FileNotFoundError:
            return []
        # uvicorn's supervisor may also start a resource tracker: workers are the big ones.
        return sorted(children, key=rss_mb, reverse=True)[: self.workers]

    def cpu(self) -> float:
        """CPU seconds the server has used so far: the supervisor and each worker."""
        pids = [self.proc.pid, *([] if self.workers == 1 else self.worker_pids())]
        return sum(cpu_s(pid) for pid in pids)

    def first_answer(self, path: str = LIST) -> float:
        """Seconds from the start until `path` first answers 200 (polled as a user reloads)."""
        deadline = self.started + self.timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"amity serve exited ({self.proc.returncode}), "
                                   f"see {self.run.log}")
            try:
                remaining = max(1.0, deadline - time.perf_counter())
                if self.client.get(path, timeout=remaining).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        return float("inf")

    def timed(self, method: str, path: str, **kwargs) -> tuple[float, httpx.Response | None]:
        """Seconds one request takes (inf past the timeout) and its answer (checked)."""
        started = time.perf_counter()
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.TimeoutException:
            return float("inf"), None
        seconds = time.perf_counter() - started
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return seconds, response

    def get(self, path: str, **kwargs) -> float:
        return self.timed("GET", path, **kwargs)[0]

    def probe(self, out: dict[str, float], name: str, path: str, method: str = "GET",
              **kwargs) -> None:
        """out[name_s]: one request's seconds; out[name_cpu_s]: the CPU seconds the worker
        spent meanwhile (one worker only), which a busy machine inflates far less."""
        pid = self.worker_pids()[0]
        cpu = cpu_s(pid)
        out[f"{name}_s"] = self.timed(method, path, **kwargs)[0]
        out[f"{name}_cpu_s"] = cpu_s(pid) - cpu


@contextmanager
def serving(master: Master, run: RunDir, timeout: float, workers: int = 1) -> Iterator[Server]:
    server = Server(master, run, workers, timeout)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server.client.close()


# ---- the scenarios: each returns {figure: value} for one run --------------------------------

def scenario_start(master: Master, run: RunDir, timeout: float) -> dict[str, float]:
    out: dict[str, float] = {}
    with serving(master, run, timeout) as server:
        out["first_list_s"] = server.first_answer()
        out["first_list_cpu_s"] = server.cpu()  # steadier than wall time on a busy machine
        out["rss_start_mb"] = rss_mb(server.worker_pids()[0])
    with serving(master, run, timeout) as server:
        out["restart_first_list_s"] = server.first_answer()
        out["restart_first_list_cpu_s"] = server.cpu()
    return out


def scenario_recommend(master: Master, run: RunDir, timeout: float) -> dict[str, float]:
    out: dict[str, float] = {}
    with serving(master, run, timeout) as server:
        server.first_answer()
        pid = server.worker_pids()[0]
        server.probe(out, "recommend_first", RECOMMEND)
        out["rss_recommender_mb"] = rss_mb(pid)
        out["hwm_recommender_mb"] = rss_mb(pid, "VmHWM")
        out["recommend_warm_s"] = statistics.median(server.get(RECOMMEND) for _ in range(3))
    with serving(master, run, timeout) as server:
        server.first_answer()
        server.probe(out, "restart_recommend", RECOMMEND)
        out["restart_rss_recommender_mb"] = rss_mb(server.worker_pids()[0])
    return out


def scenario_workers(master: Master, run: RunDir, timeout: float) -> dict[str, float]:
    out: dict[str, float] = {}
    with serving(master, run, timeout, workers=2) as server:
        out["first_list_s"] = server.first_answer()
        out["first_list_cpu_s"] = server.cpu()
        out["rss_start_max_worker_mb"] = max(map(rss_mb, server.worker_pids()), default=0)
    with serving(master, run, timeout, workers=2) as server:
        out["restart_first_list_s"] = server.first_answer()
    return out


def scenario_index(master: Master, run: RunDir, timeout: float) -> dict[str, float]:
    out: dict[str, float] = {}
    with serving(master, run, timeout) as server:
        server.first_answer()
        server.probe(out, "index_first", "/index")
        out["index_warm_s"] = statistics.median(server.get("/index") for _ in range(3))
    with serving(master, run, timeout) as server:
        server.first_answer()
        server.probe(out, "restart_index", "/index")
    return out


def _dashboard(server: Server, out: dict[str, float], name: str) -> None:
    """Seconds until the Chinese dashboard and all its first charts have come (and the CPU
    seconds the worker spent); the page alone."""
    pid = server.worker_pids()[0]
    cpu, started = cpu_s(pid), time.perf_counter()
    out[f"{name}_page_s"] = server.get("/dashboard", **ZH)
    with ThreadPoolExecutor(len(DASHBOARD_CHARTS)) as pool:  # a browser fetches them together
        list(pool.map(lambda url: server.get(url, **ZH), DASHBOARD_CHARTS))
    out[f"{name}_s"] = time.perf_counter() - started
    out[f"{name}_cpu_s"] = cpu_s(pid) - cpu


def scenario_dashboard(master: Master, run: RunDir, timeout: float) -> dict[str, float]:
    out: dict[str, float] = {}
    with serving(master, run, timeout) as server:
        server.first_answer()
        _dashboard(server, out, "dashboard_zh_first")
        _dashboard(server, out, "dashboard_zh_warm")
    with serving(master, run, timeout) as server:
        server.first_answer()
        _dashboard(server, out, "restart_dashboard_zh")
    return out


def scenario_proposal(master: Master, run: RunDir, timeout: float) -> dict[str, float]:
    out: dict[str, float] = {}
    with serving(master, run, timeout) as server:
        server.first_answer()
        seconds, response = server.timed(
            "POST", "/api/v1/proposals", headers=server.auth,
            json={"place_id": XIAN, "partner_id": master.partner, "rationale": "Benchmark."})
        out["proposal_create_s"] = seconds
        if response is None:
            raise RuntimeError("creating the proposal timed out")
        draft = response.json()
        server.probe(out, "proposal_submit_first", f"/api/v1/proposals/{draft['id']}/submit",
                     method="POST", headers=server.auth, json={"version": draft["version"]})
    return out


AFTER_WRITE = {"list": LIST, "list_page": "/partnerships", "network": NETWORK,
               "recommend": RECOMMEND, "index": "/index"}


def scenario_write(master: Master, run: RunDir, timeout: float) -> dict[str, float]:
    out: dict[str, float] = {}
    by_sql, by_api = master.edits
    with serving(master, run, timeout) as server:
        server.first_answer()
        for name, path in AFTER_WRITE.items():  # everything built once, then warm
            out[f"warmup_{name}_s"] = server.get(path)
        for name, path in AFTER_WRITE.items():
            out[f"warm_{name}_s"] = server.get(path)
        # Another process writes to the database, as `amity import` or a second host would.
        with sqlite3.connect(run.db, timeout=60) as con:
            con.execute("UPDATE partnerships SET status = 'dormant', "
                        "updated_at = CURRENT_TIMESTAMP WHERE id = ?", (by_sql,))
        for name, path in AFTER_WRITE.items():
            server.probe(out, f"sql_{name}", path)
        server.probe(out, "api_patch", f"/api/v1/partnerships/{by_api}", method="PATCH",
                     headers=server.auth, json={"status": "dormant"})
        for name, path in AFTER_WRITE.items():
            server.probe(out, f"api_{name}", path)
    return out


def _burst(server: Server, path: str, n: int) -> dict[str, float]:
    pid = server.worker_pids()[0]
    cpu = cpu_s(pid)
    started = time.perf_counter()
    with ThreadPoolExecutor(n) as pool:
        each = list(pool.map(lambda _: server.get(path), range(n)))
    return {"wall_s": time.perf_counter() - started, "slowest_s": max(each),
            "cpu_s": cpu_s(pid) - cpu, "hwm_mb": rss_mb(pid, "VmHWM")}


HEAVY = {"recommend": RECOMMEND, "network": NETWORK}


def scenario_concurrent(master: Master, run: RunDir, timeout: float, n: int = 4,
                        heavy: tuple[str, ...] = tuple(HEAVY)) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in heavy:
        for count in (1, n):  # one cold request, then n together, each on a fresh server
            where = fresh_dir(master, run.db.parent.with_name(f"{run.db.parent.name}-{count}"))
            with serving(master, where, timeout) as server:
                server.first_answer()
                for key, value in _burst(server, HEAVY[name], count).items():
                    out[f"{name}_x{count}_{key}"] = value
            shutil.rmtree(where, ignore_errors=True)
    return out


def _cli(master: Master, run: RunDir, timeout: float) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and max RSS (MB) of `amity recommend <Xi'an> --json`, as a
    whole process."""
    errors = run.log.with_name("recommend.err")
    with errors.open("w") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([master.checkout.amity, "recommend", str(XIAN), "--json"],
                                env=run.env(), stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        # wait4, not wait: the child's own resource usage, its peak RSS among it.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    if proc.returncode != 0:
        if seconds >= timeout:
            return float("inf"), cpu, usage.ru_maxrss / 1024
        raise RuntimeError(f"amity recommend failed: {errors.read_text()[-500:]}")
    return seconds, cpu, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def scenario_cli(master: Master, run: RunDir, timeout: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for when in ("first", "second"):
        out[f"cli_{when}_s"], out[f"cli_{when}_cpu_s"], out[f"cli_{when}_rss_mb"] = _cli(
            master, run, timeout)
    return out


RUNNERS: dict[str, Callable[..., dict[str, float]]] = {
    "start": scenario_start, "recommend": scenario_recommend, "workers": scenario_workers,
    "index": scenario_index,
    "dashboard": scenario_dashboard, "proposal": scenario_proposal, "write": scenario_write,
    "concurrent": scenario_concurrent, "cli": scenario_cli,
}


# ---- the whole benchmark ---------------------------------------------------------------------

@dataclass
class Options:
    sizes: list[int] = field(default_factory=lambda: [1, 10])
    runs: int = 3
    only: list[str] = field(default_factory=lambda: list(SCENARIOS))
    timeout: float = 300.0
    concurrency: int = 4
    heavy: tuple[str, ...] = tuple(HEAVY)


def measure(checkouts: list[Checkout], options: Options, log: Callable[[str], None] = print,
            checkpoint: Callable[[dict], None] = lambda results: None) -> dict:
    """{label: {size: {scenario: {figure: [values per run]}}}} for each checkout.

    `checkpoint(results)` is called after every run, so that a long run stopped half-way keeps
    what it measured."""
    results: dict = {c.label: {} for c in checkouts}
    with tempfile.TemporaryDirectory(prefix="amity-cold-") as tmp_name:
        tmp = Path(tmp_name)
        # The oldest checkout makes the database: the newer one's `amity init` migrates its copy.
        base_dbs, audit_key = build_base(checkouts[0], tmp, options.sizes)
        for size in options.sizes:
            masters = [make_master(c, size, base_dbs[size], audit_key, tmp) for c in checkouts]
            for scenario in options.only:
                for run_no in range(options.runs):
                    # Before and after take turns, so that a noisy minute hurts both alike.
                    for master in masters:
                        run = fresh_dir(master, tmp / "runs" / f"{master.checkout.label}")
                        started, load = time.perf_counter(), os.getloadavg()[0]
                        kwargs = ({"n": options.concurrency, "heavy": options.heavy}
                                  if scenario == "concurrent" else {})
                        try:
                            figures = RUNNERS[scenario](master, run, options.timeout, **kwargs)
                        except Exception as error:  # one broken scenario keeps the others
                            figures = {"error": f"{type(error).__name__}: {error}"}
                        by_size = results[master.checkout.label].setdefault(str(size), {})
                        store = by_size.setdefault(scenario, {})
                        figures["load_average"] = load
                        for key, value in figures.items():
                            store.setdefault(key, []).append(value)
                        log(f"{master.checkout.label} {size}x {scenario} run {run_no + 1}: "
                            f"{_brief(figures)} ({time.perf_counter() - started:.0f} s)")
                        checkpoint(results)
                        shutil.rmtree(run.db.parent, ignore_errors=True)
    return results


def _brief(figures: dict) -> str:
    return ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in figures.items())


# ---- the report ------------------------------------------------------------------------------

# (scenario, figure, label, target, unit): unit "s" or "ms" for times, "MB" for memory. A time
# figure "x_s" with a sibling "x_cpu_s" gets the CPU seconds the server spent on it alongside.
ROWS: list[tuple[str, str, str, float | None, str]] = [
    ("start", "first_list_s", "start to first list answer, 1 worker", None, "s"),
    ("workers", "first_list_s", "start to first list answer, 2 workers", None, "s"),
    ("start", "restart_first_list_s", "restart to first list answer, 1 worker", None, "s"),
    ("workers", "restart_first_list_s", "restart to first list answer, 2 workers", None, "s"),
    ("recommend", "recommend_first_s", "first recommendation after a fresh start", None, "s"),
    ("recommend", "restart_recommend_s", "first recommendation after a restart", 2, "s"),
    ("recommend", "recommend_warm_s", "recommendation, warm", None, "ms"),
    ("index", "index_first_s", "/index, first visit after a start", 5, "s"),
    ("index", "index_warm_s", "/index, warm", 1, "ms"),
    ("index", "restart_index_s", "/index, first visit after a restart", 5, "s"),
    ("dashboard", "dashboard_zh_first_s", "Chinese dashboard + charts, first load", None, "s"),
    ("dashboard", "dashboard_zh_first_page_s", "… the page alone", None, "s"),
    ("dashboard", "dashboard_zh_warm_s", "Chinese dashboard + charts, warm", None, "ms"),
    ("dashboard", "restart_dashboard_zh_s", "Chinese dashboard + charts after a restart", None,
     "s"),
    ("proposal", "proposal_submit_first_s", "first proposal submission after a start", None, "s"),
    ("write", "warm_list_s", "list, warm (before the write)", None, "ms"),
    ("write", "sql_list_s", "SQL UPDATE, then: next list", 0.1, "ms"),
    ("write", "sql_list_page_s", "SQL UPDATE, then: next list page", None, "ms"),
    ("write", "sql_network_s", "SQL UPDATE, then: next /api/v1/network", None, "s"),
    ("write", "sql_recommend_s", "SQL UPDATE, then: next recommendation", 1, "s"),
    ("write", "sql_index_s", "SQL UPDATE, then: next /index", None, "s"),
    ("write", "api_patch_s", "the API edit itself (PATCH)", None, "ms"),
    ("write", "api_list_s", "API edit, then: next list", 0.1, "ms"),
    ("write", "api_list_page_s", "API edit, then: next list page", None, "ms"),
    ("write", "api_network_s", "API edit, then: next /api/v1/network", None, "s"),
    ("write", "api_recommend_s", "API edit, then: next recommendation", 1, "s"),
    ("write", "api_index_s", "API edit, then: next /index", None, "s"),
    ("cli", "cli_first_s", "`amity recommend` whole process, first", None, "s"),
    ("cli", "cli_second_s", "`amity recommend` whole process, again", None, "s"),
    ("cli", "cli_first_rss_mb", "`amity recommend` max RSS", None, "MB"),
    ("start", "rss_start_mb", "worker RSS after start", None, "MB"),
    ("workers", "rss_start_max_worker_mb", "worker RSS after start, 2 workers (largest)", None,
     "MB"),
    ("recommend", "rss_recommender_mb", "worker RSS with the recommender loaded", None, "MB"),
    ("recommend", "hwm_recommender_mb", "worker peak RSS (VmHWM) up to then", None, "MB"),
]
START_TARGET = {1: 5, 10: 15}
RSS_TARGET = {1: 400, 100: 1200}


def _target(key: str, target: float | None, size: int) -> float | None:
    """The issue's target for a figure; those of starts and memory depend on the size."""
    if key in ("first_list_s", "restart_first_list_s"):
        return START_TARGET.get(size)
    if key == "rss_recommender_mb":
        return RSS_TARGET.get(size)
    return target


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if value == float("inf"):
        return "timeout"
    if unit == "ms":
        return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.2f} s" if value < 10 else f"{value:,.1f} s"


def _median(values: list | None) -> float | None:
    numbers = [v for v in values or [] if isinstance(v, (int, float))]
    return statistics.median(numbers) if numbers else None


def report_lines(results: dict, options: Options, meta: dict) -> list[str]:
    """Markdown: a table per size, before / after / target / verdict, medians over the runs."""
    lines = [
        "## Cold paths, before and after",
        "",
        f"Command: `{meta['command']}` (bench/bench_cold.py; its docstring says what each "
        "figure is). Each figure is the median over the runs (their count in the last column, "
        "before/after), each on a fresh copy of the same database and an empty data "
        "directory; a restart keeps both. The machine is shared (2 cores, other jobs running): "
        "read the medians and the ratios, not single values.",
        "",
        *[f"- {label}: {text}" for label, text in meta["checkouts"].items()],
        "",
    ]
    timeout = options.timeout
    for size in options.sizes:
        rows = []
        for scenario, key, label, target, unit in ROWS:
            if scenario not in options.only:
                continue
            figures = {label: results.get(label, {}).get(str(size), {}).get(scenario, {})
                       for label in ("before", "after")}
            values = {label: figs.get(key) or [] for label, figs in figures.items()}
            before, after = _median(values["before"]), _median(values["after"])
            if before is None and after is None:
                continue  # not measured (a scenario left out, or saved figures without it)
            cpu_key = key[:-2] + "_cpu_s"
            cpu = " / ".join(_fmt(_median(figs.get(cpu_key)), "s") for figs in figures.values())
            goal = _target(key, target, size)
            if goal is None:
                goal_text, verdict = "", ""
            else:
                goal_text = f"< {_fmt(goal, unit)}"
                measured = after if after is not None else before
                verdict = "" if measured is None else ("met" if measured < goal else "MISSED")
            ratio = (f"{before / after:,.1f}×" if before and after and after != float("inf")
                     and before != float("inf") and unit != "MB" else "")
            runs = f"{len(values['before'])}/{len(values['after'])}"
            rows.append([label, _fmt(before, unit), _fmt(after, unit), ratio, goal_text,
                         verdict, "" if cpu == "— / —" else cpu, runs])
        loads = [v for by_size in results.values()
                 for figs in by_size.get(str(size), {}).values()
                 for v in figs.get("load_average", [])]
        lines += [f"### {size}× the demo", "",
                  f"Load average (1 min) at the start of the runs: median "
                  f"{_median(loads) or 0:.1f}, highest {max(loads, default=0):.1f}.", "",
                  "| path | before | after | before/after | target | verdict | server CPU "
                  "before / after | runs |",
                  "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
                  *("| " + " | ".join(row) + " |" for row in rows), ""]
        errors = [(label, scen, e) for label, by_size in results.items()
                  for scen, figs in by_size.get(str(size), {}).items()
                  for e in figs.get("error", [])]
        lines += [f"- FAILED {label} {scen}: {e}" for label, scen, e in errors]
        lines += [""] if errors else []
    concurrent = [(label, size, results[label][str(size)]["concurrent"])
                  for label in results for size in options.sizes
                  if "concurrent" in results[label].get(str(size), {})]
    if concurrent:
        lines += [
            f"Concurrent cold requests: {options.concurrency} identical first requests at once "
            "against one cold request, each on a fresh server (1 worker). The worker's CPU "
            "seconds tell whether the work was done once or once per request.",
            "",
            "| checkout | size | endpoint | 1 request: wall / CPU | "
            f"{options.concurrency} together: wall / slowest / CPU | peak RSS 1 → "
            f"{options.concurrency} | builds (CPU ratio) |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
        ]
        n = options.concurrency
        for label, size, figs in concurrent:
            for name in HEAVY:
                one = {k: _median(figs.get(f"{name}_x1_{k}")) for k in
                       ("wall_s", "cpu_s", "hwm_mb")}
                many = {k: _median(figs.get(f"{name}_x{n}_{k}")) for k in
                        ("wall_s", "slowest_s", "cpu_s", "hwm_mb")}
                if None in one.values() or None in many.values():
                    continue
                builds = many["cpu_s"] / one["cpu_s"] if one["cpu_s"] else float("nan")
                lines.append(
                    f"| {label} | {size}× | {name} | {_fmt(one['wall_s'], 's')} / "
                    f"{_fmt(one['cpu_s'], 's')} | {_fmt(many['wall_s'], 's')} / "
                    f"{_fmt(many['slowest_s'], 's')} / {_fmt(many['cpu_s'], 's')} | "
                    f"{one['hwm_mb']:,.0f} → {many['hwm_mb']:,.0f} MB | {builds:.1f} |")
        lines.append("")
    lines.append(f"Requests longer than {timeout:.0f} s read \"timeout\". Targets are issue 17's; "
                 "the verdict is the after figure's (the before's when only it was measured).")
    return lines


def run(before: Path | None, after: Path | None, options: Options,
        before_results: list[Path] | None = None, save: Path | None = None,
        command: str = "") -> list[str]:
    checkouts = []
    if before is not None:
        checkouts.append(Checkout("before", before))
    if after is not None:
        checkouts.append(Checkout("after", after))
    meta = {"command": command or "python -m bench.bench_cold",
            "checkouts": {c.label: f"`{c.root}` at commit {c.commit()}" for c in checkouts},
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
            "machine": machine(), "load": os.getloadavg()[0]}

    def checkpoint(results: dict) -> None:
        if save is not None:
            save.write_text(json.dumps({"meta": meta, "options": options.__dict__,
                                        "results": results}, indent=1))

    results = measure(checkouts, options, checkpoint=checkpoint) if checkouts else {}
    if before_results and "before" not in results:
        # Saved figures (several files merge: one size or scenario each, say).
        merged: dict = {}
        sources = []
        for path in before_results:
            saved = json.loads(path.read_text())
            for size, scenarios in saved["results"]["before"].items():
                merged.setdefault(size, {}).update(scenarios)
            sources.append(f"`{path}` ({saved['meta']['checkouts'].get('before', '?')}, "
                           f"{saved['meta']['date']}, {saved['options']['runs']} runs)")
        results["before"] = merged
        meta["checkouts"]["before"] = "figures saved in " + "; ".join(sources)
    checkpoint(results)
    return report_lines(results, options, meta)


def cold_section(sizes: list[int] | None = None) -> list[str]:
    """The section for bench/run.py (`--only cold`): before from AMITY_BENCH_BEFORE (a checkout
    with its own venv) or AMITY_BENCH_BEFORE_RESULTS (saved figures, comma-separated files),
    after this checkout; AMITY_BENCH_COLD_RUNS runs (3), AMITY_BENCH_COLD_ONLY scenarios (all),
    AMITY_BENCH_COLD_TIMEOUT seconds per request (300).
    Sizes above 10x are left out: the slow code takes hours there."""
    only = [s for s in os.environ.get("AMITY_BENCH_COLD_ONLY", "").split(",") if s]
    options = Options(sizes=[s for s in (sizes or [1, 10]) if s <= 10],
                      runs=int(os.environ.get("AMITY_BENCH_COLD_RUNS", "3")),
                      only=only or list(SCENARIOS),
                      timeout=float(os.environ.get("AMITY_BENCH_COLD_TIMEOUT", "300")))
    before = os.environ.get("AMITY_BENCH_BEFORE")
    saved = os.environ.get("AMITY_BENCH_BEFORE_RESULTS")
    return run(Path(before) if before else None, ROOT, options,
               before_results=[Path(p) for p in saved.split(",")] if saved and not before
               else None,
               command="make bench BENCH_ARGS=\"--only cold\"")


def main() -> None:
    # Stopped with SIGTERM, it still stops its servers and removes its temporary files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="The older checkout (with its .venv).")
    parser.add_argument("--after", type=Path, default=ROOT,
                        help="The newer checkout (default: this one).")
    parser.add_argument("--no-after", action="store_true", help="Measure the before only.")
    parser.add_argument("--before-results", type=Path, action="append",
                        help="Take the before figures from a file written by --save "
                             "(repeat to merge files).")
    parser.add_argument("--save", type=Path, help="Write every figure of every run as JSON.")
    parser.add_argument("--sizes", default="1,10", help="Times the demo, comma-separated.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default=",".join(SCENARIOS),
                        help=f"Comma-separated scenarios among: {', '.join(SCENARIOS)}.")
    parser.add_argument("--timeout", type=float, default=300,
                        help="Seconds before a request (or a start) counts as a timeout.")
    parser.add_argument("--concurrency", type=int, default=4,
                        help="How many first requests at once (scenario concurrent).")
    parser.add_argument("--heavy", default=",".join(HEAVY),
                        help=f"Endpoints for the concurrent scenario among: {', '.join(HEAVY)}.")
    parser.add_argument("--output", type=Path, help="Write the markdown section here.")
    args = parser.parse_args()
    only = [s for s in args.only.split(",") if s]
    if unknown := set(only) - set(SCENARIOS):
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    options = Options(sizes=[int(s) for s in args.sizes.split(",")], runs=args.runs,
                      only=only, timeout=args.timeout, concurrency=args.concurrency,
                      heavy=tuple(h for h in args.heavy.split(",") if h in HEAVY))
    command = "python -m bench.bench_cold " + " ".join(sys.argv[1:])
    lines = run(args.before, None if args.no_after else args.after, options,
                before_results=args.before_results, save=args.save, command=command)
    text = "\n".join(lines) + "\n"
    if args.output:
        args.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()

"""Helpers shared by the benchmarks: timing, a throwaway server, the machine's description."""

from __future__ import annotations

import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
AMITY = str(Path(sys.executable).with_name("amity"))


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), "
        f"{mem_gib:.0f} GiB RAM, Python {platform.python_version()}"
    )


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {
        "median_ms": statistics.median(ms),
        "p95_ms": ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))],
        "min_ms": ms[0],
        "n": len(ms),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(database_url: str, workers: int = 1) -> Iterator[str]:
    """Run `amity serve` on a free loopback port; yield its base URL."""
    with serving_process(database_url, workers) as (base, _proc):
        yield base


@contextmanager
def serving_process(database_url: str, workers: int = 1
                    ) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `amity serve`; yield its base URL and the process (its workers are children)."""
    port = free_port()
    env = {**os.environ, "AMITY_DATABASE_URL": database_url}
    proc = subprocess.Popen(
        [AMITY, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, so that a stuck server goes with its workers
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # Generous: at 100x the demo each worker first builds its registry index (minutes on a
        # busy machine), and the statistics wait for it.
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/v1/stats", timeout=120).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("amity serve did not start")
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

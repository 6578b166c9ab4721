"""Matchmaking figures: top-10 latency (cold and warm), a province plan, the evaluation.

Run against the demo database (`amity init --demo`; Xi'an is place 317 there).
"""

from __future__ import annotations

import statistics
import time

from amity.analytics import service as analytics
from amity.core import cache
from amity.core.db import get_engine, session_scope
from amity.matching import evaluate, plan, recommend
from amity.matching.candidates import registry_places

XIAN = 317  # Xi'an in the demo gazetteer
SHAANXI = "610000"


def _ms(started: float) -> float:
    return round(1000 * (time.perf_counter() - started), 1)


def run() -> dict:
    cache.clear()
    with session_scope(get_engine()) as session:
        started = time.perf_counter()
        recommend.recommend(session, XIAN, k=10)
        cold = _ms(started)
        warm = []
        for _ in range(5):
            started = time.perf_counter()
            recommend.recommend(session, XIAN, k=10)
            warm.append(_ms(started))
        started = time.perf_counter()
        plan.plan(session, new=10, province=SHAANXI)
        plan_seconds = round(time.perf_counter() - started, 2)
        snap = analytics.snapshot(session)
        places = registry_places(session)  # candidates: the registry, as `amity recommend-eval`
    started, cpu = time.perf_counter(), time.process_time()
    report = evaluate.evaluate(snap, seed=0, extra=places, splits=("kept",))
    return {
        "recommend_top10_cold_ms": cold,
        "recommend_top10_warm_ms": statistics.median(warm),
        "plan_province_n10_s": plan_seconds,
        "recommend_eval_s": round(time.perf_counter() - started, 1),
        # CPU seconds: steadier than wall time on a shared machine.
        "recommend_eval_cpu_s": round(time.process_time() - cpu, 1),
        # The China slice (pairs with a Chinese end, ranked from it), per candidate pool.
        "eval_metrics": report["splits"]["kept"]["slices"]["china"]["metrics"],
        "eval_split": report["splits"]["kept"]["split"],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))

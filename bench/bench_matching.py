"""Matchmaking figures: top-10 latency (warm), the evaluation's time, a province plan's time."""

from __future__ import annotations

import time

from amity.analytics import service as analytics
from amity.db import get_engine, session_scope
from amity.matching import evaluate, plan, recommend

XIAN = 317  # Xi'an in the demo gazetteer
SHAANXI = "610000"


def run() -> dict:
    with session_scope(get_engine()) as session:
        started = time.perf_counter()
        recommend.recommend(session, XIAN, k=10)
        cold = time.perf_counter() - started
        warm = []
        for _ in range(5):
            started = time.perf_counter()
            recommend.recommend(session, XIAN, k=10)
            warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        plan.plan(session, new=10, province=SHAANXI)
        plan_seconds = time.perf_counter() - started
        snap = analytics.snapshot(session)
    started = time.perf_counter()
    report = evaluate.evaluate(snap, seed=0)
    return {
        "recommend_cold_s": round(cold, 2),
        "recommend_warm_ms": round(1000 * min(warm), 1),
        "plan_province_n10_s": round(plan_seconds, 2),
        "recommend_eval_s": round(time.perf_counter() - started, 1),
        "eval": report["random_split"]["metrics"],
    }

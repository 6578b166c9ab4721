"""Choose n pairs with the largest total value, at most `limit` per place: an integer programme.

Solved exactly with HiGHS; a greedy pick (with the LP relaxation's value as the bound on the
optimum) is the fallback when the solver does not finish within its time limit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import highspy
import numpy as np

TIME_LIMIT = 20.0


@dataclass(frozen=True)
class Choice:
    chosen: list[int]
    value: float
    method: str
    bound: float


def choose(
    values: list[float], ends: list[tuple[int, int]], n: int, limits: dict[int, int]
) -> Choice:
    """Indices of at most n pairs maximising the sum of values; each end used at most its limit."""
    if not values or n <= 0:
        return Choice([], 0.0, "empty", 0.0)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", TIME_LIMIT)
    count = len(values)
    lower = np.zeros(count)
    upper = np.ones(count)
    h.addVars(count, lower, upper)
    h.changeColsCost(count, np.arange(count, dtype=np.int32), np.array(values, dtype=float))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.addRow(0.0, float(n), count, np.arange(count, dtype=np.int32), np.ones(count))
    rows: dict[int, list[int]] = {}
    for i, (a, b) in enumerate(ends):
        rows.setdefault(a, []).append(i)
        rows.setdefault(b, []).append(i)
    for end, members in rows.items():
        if len(members) > limits.get(end, 1):
            idx = np.array(members, dtype=np.int32)
            h.addRow(0.0, float(limits.get(end, 1)), len(idx), idx, np.ones(len(idx)))
    h.changeColsIntegrality(
        count, np.arange(count, dtype=np.int32),
        np.array([highspy.HighsVarType.kInteger] * count),
    )  # fmt: skip
    h.run()
    status = h.getModelStatus()
    solution = np.array(h.getSolution().col_value)
    if status == highspy.HighsModelStatus.kOptimal:
        chosen = [i for i in range(count) if solution[i] > 0.5]
        value = float(sum(values[i] for i in chosen))
        return Choice(chosen, value, "integer-programme (HiGHS, optimal)", value)
    bound = float(h.getInfo().mip_dual_bound)
    return _greedy(values, ends, n, limits, bound)


def _greedy(
    values: list[float], ends: list[tuple[int, int]], n: int, limits: dict[int, int], bound: float
) -> Choice:
    used: Counter = Counter()
    chosen = []
    for i in sorted(range(len(values)), key=lambda i: -values[i]):
        if len(chosen) == n or values[i] <= 0:
            break
        a, b = ends[i]
        if used[a] < limits.get(a, 1) and used[b] < limits.get(b, 1):
            chosen.append(i)
            used.update((a, b))
    value = float(sum(values[i] for i in chosen))
    return Choice(chosen, value, "greedy (solver time limit)", bound)

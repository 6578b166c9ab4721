"""Inequality and concentration measures on plain lists of numbers (no database)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def gini(values: Sequence[float]) -> float | None:
    """Gini coefficient of non-negative values: 0 is perfect equality, (n-1)/n all in one unit."""
    n = len(values)
    total = sum(values)
    if n == 0 or total <= 0:
        return None
    ranked = sorted(values)
    # Mean absolute difference form, via the ranks of the sorted values.
    weighted = sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(ranked))
    return weighted / (n * total)


def theil(values: Sequence[float]) -> float | None:
    """Theil T index: (1/n) Σ (x/μ) ln(x/μ), with 0·ln 0 = 0; 0 is equality, ln n the maximum."""
    n = len(values)
    total = sum(values)
    if n == 0 or total <= 0:
        return None
    mean = total / n
    return sum((v / mean) * math.log(v / mean) for v in values if v > 0) / n


def theil_between_groups(shares: Mapping[str, float], weights: Mapping[str, float]) -> float | None:
    """Theil T of a quantity's shares against a weight's shares (e.g. pairs against population).

    Σ s_i ln(s_i / w_i): 0 when every unit has the same share of both, larger as they part.
    """
    total_s = sum(shares.values())
    total_w = sum(weights[k] for k in shares)
    if total_s <= 0 or total_w <= 0:
        return None
    value = 0.0
    for key, amount in shares.items():
        s = amount / total_s
        w = weights[key] / total_w
        if s > 0:
            value += s * math.log(s / w)
    return value


def theil_decomposed(
    units: Sequence[tuple[str, float, float]],
) -> dict[str, float | None]:
    """Weighted Theil T of (group, amount, weight) units, split between and within groups.

    total = between + within, where between compares each group's share of the amount with its
    share of the weight, and within is the amount-weighted sum of the groups' own Theil values.
    """
    amount = {i: a for i, (_, a, _) in enumerate(units)}
    weight = {i: w for i, (_, _, w) in enumerate(units)}
    total = theil_between_groups(amount, weight)
    groups: dict[str, list[int]] = {}
    for i, (group, _, _) in enumerate(units):
        groups.setdefault(group, []).append(i)
    group_amount = {g: sum(amount[i] for i in ids) for g, ids in groups.items()}
    group_weight = {g: sum(weight[i] for i in ids) for g, ids in groups.items()}
    between = theil_between_groups(group_amount, group_weight)
    all_amount = sum(group_amount.values())
    within = None
    if all_amount > 0:
        within = 0.0
        for g, ids in groups.items():
            inner = theil_between_groups({i: amount[i] for i in ids}, weight)
            if inner is not None:
                within += group_amount[g] / all_amount * inner
    return {"total": total, "between": between, "within": within}


def herfindahl(counts: Sequence[float]) -> float | None:
    """Herfindahl–Hirschman index Σ share²: 1/n for n equal partners, 1 for a single one."""
    total = sum(counts)
    if total <= 0:
        return None
    return sum((c / total) ** 2 for c in counts)


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))

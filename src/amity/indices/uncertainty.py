"""Uncertainty and sensitivity: Monte Carlo over the method's choices, and the robustness table.

Each run picks one imputation, normalisation, weighting and aggregation (every combination of
the framework's alternatives equally often, in a seeded random order) and draws pillar weights
around the chosen ones (uniform, ± weight_noise, rescaled to sum 1). The first-order share of a
choice is the variance of the conditional mean rank given that choice over the total rank
variance, both summed over places; the rest is interactions and the weight draws.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from amity.indices.method import (
    Inputs,
    average_ranks,
    competition_ranks,
    geometric_ready,
    index_scores,
    pillar_scores,
    weighted_mean,
    weights_for,
)

FACTORS = ("imputation", "normalisation", "weighting", "aggregation")


@dataclass(frozen=True)
class MonteCarlo:
    median: np.ndarray
    low: np.ndarray  # 5th percentile of the rank
    high: np.ndarray  # 95th percentile of the rank
    sensitivity: dict[str, float]
    runs: int
    seed: int


def run_ranks(
    inputs: Inputs,
    alternatives: dict[str, tuple[str, ...]],
    *,
    runs: int,
    seed: int,
    noise: float,
) -> tuple[np.ndarray, list[dict[str, str]]]:
    """The rank of every place in every run (places × runs), and each run's choices."""
    rng = np.random.default_rng(seed)
    combos = list(itertools.product(*(alternatives[f] for f in FACTORS)))
    assignment = rng.permutation(np.resize(np.arange(len(combos)), runs))
    n_pillars = len(inputs.pillar_weights)
    draws = rng.uniform(1 - noise, 1 + noise, size=(runs, n_pillars))
    ranks = np.empty((inputs.values.shape[0], runs), dtype=np.int32)
    for c, combo in enumerate(combos):
        cols = np.flatnonzero(assignment == c)
        if not cols.size:
            continue
        choice = dict(zip(FACTORS, combo, strict=True))
        pillars, _ = pillar_scores(inputs, choice)
        live = ~np.all(np.isnan(pillars), axis=0)
        base = weights_for(pillars[:, live], choice["weighting"], inputs.pillar_weights[live])
        weights = base[:, None] * draws[cols][:, live].T
        weights /= weights.sum(axis=0)
        ready = pillars[:, live]
        if choice["aggregation"] == "geometric":
            ready = geometric_ready(ready)  # ranks need no exp: it keeps the order
        scores = weighted_mean(ready, weights)
        for j, col in enumerate(cols):
            ranks[:, col] = competition_ranks(scores[:, j])
    chosen = [dict(zip(FACTORS, combos[c], strict=True)) for c in assignment]
    return ranks, chosen


def first_order(ranks: np.ndarray, chosen: list[dict[str, str]]) -> dict[str, float]:
    """Share of the rank variance (summed over places) each choice explains on its own."""
    mean = ranks.mean(axis=1)
    total = float(ranks.var(axis=1).sum())
    shares = {}
    for factor in FACTORS:
        levels = np.array([run[factor] for run in chosen])
        explained = np.zeros_like(mean)
        for level in np.unique(levels):
            cols = np.flatnonzero(levels == level)
            explained += len(cols) / len(levels) * (ranks[:, cols].mean(axis=1) - mean) ** 2
        shares[factor] = float(explained.sum() / total) if total > 0 else 0.0
    return shares


def monte_carlo(
    inputs: Inputs,
    alternatives: dict[str, tuple[str, ...]],
    *,
    runs: int,
    seed: int,
    noise: float,
) -> MonteCarlo:
    """Median rank and 5–95 % rank interval of every place, and the first-order shares."""
    ranks, chosen = run_ranks(inputs, alternatives, runs=runs, seed=seed, noise=noise)
    low, median, high = np.percentile(ranks, [5, 50, 95], axis=1)
    return MonteCarlo(median, low, high, first_order(ranks, chosen), runs, seed)


def robustness(
    inputs: Inputs, default: dict[str, str], alternatives: dict[str, tuple[str, ...]],
    central: np.ndarray,
) -> list[dict]:  # fmt: skip
    """How far ranks move when one choice changes and the others stay as the framework says."""
    rows = []
    top = central <= 10
    for factor in FACTORS:
        for level in alternatives[factor]:
            if level == default[factor]:
                continue
            ranks = competition_ranks(index_scores(inputs, default | {factor: level})[0])
            shift = np.abs(ranks.astype(float) - central)
            rows.append({
                "factor": factor,
                "choice": level,
                "mean_shift": round(float(shift.mean()), 1),
                "median_shift": float(np.median(shift)),
                "p90_shift": float(np.percentile(shift, 90)),
                "max_shift": int(shift.max()),
                "spearman": round(spearman(ranks, central), 4),
                "top10_kept": int((ranks[top] <= 10).sum()),
            })  # fmt: skip
    return rows


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho: Pearson's r of the average ranks (pairs with both values)."""
    both = ~(np.isnan(x) | np.isnan(y))
    if both.sum() < 3:
        return float("nan")
    return pearson(average_ranks(x[both]), average_ranks(y[both]))


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r over the pairs with both values (NaN when either is constant)."""
    both = ~(np.isnan(x) | np.isnan(y))
    x, y = x[both], y[both]
    if x.size < 3 or x.std() == 0 or y.std() == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])

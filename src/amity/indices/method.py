"""The steps of a composite indicator, vectorised: normalise, impute, weight, aggregate, rank.

Each function works on a (places × indicators) matrix with NaN for missing values; docs/index.md
states every rule, and tests/indices/test_method.py checks them against hand-computed values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Geometric aggregation shifts a column by its minimum plus this share of its range, so every
# value is positive and the lowest one is not sent to zero (which would zero a city's product).
GEOMETRIC_OFFSET = 0.1
# Principal components kept: eigenvalue above 1, then more until this share of the variance.
PCA_EIGENVALUE = 1.0
PCA_VARIANCE = 0.6
TARGET_PERCENTILE = 90


@dataclass(frozen=True)
class Inputs:
    """Raw values ready for the method: transformed, counts' gaps filled, unavailable dropped."""

    values: np.ndarray  # places × indicators
    directions: np.ndarray  # +1 or -1 per indicator
    targets: np.ndarray  # NaN when the framework gives none
    pillar_of: np.ndarray  # the pillar index of each indicator
    indicator_weights: np.ndarray  # from the framework, per indicator
    pillar_weights: np.ndarray  # from the framework, per pillar


def normalise(x: np.ndarray, method: str, direction: int, target: float | None = None):
    """One indicator on a common scale where higher is better; NaN stays NaN."""
    out = np.full(x.shape, np.nan)
    seen = ~np.isnan(x)
    obs = x[seen]
    if obs.size == 0:
        return out
    if method == "minmax":
        lo, hi = obs.min(), obs.max()
        z = (obs - lo) / (hi - lo) if hi > lo else np.full(obs.shape, 0.5)
        out[seen] = z if direction > 0 else 1 - z
    elif method == "zscore":
        sd = obs.std()
        out[seen] = direction * (obs - obs.mean()) / sd if sd > 0 else 0.0
    elif method == "rank":
        out[seen] = percentile_ranks(direction * obs)
    elif method == "target":
        out[seen] = _to_target(obs, direction, target)
    else:
        raise ValueError(f"unknown normalisation {method!r}")
    return out


def _to_target(obs: np.ndarray, direction: int, target: float | None) -> np.ndarray:
    if target is None or np.isnan(target):
        share = TARGET_PERCENTILE if direction > 0 else 100 - TARGET_PERCENTILE
        target = float(np.percentile(obs, share))
    if target <= 0:
        # No usable reference (most places at zero): fall back to the observed range.
        return normalise(obs, "minmax", direction)
    if direction > 0:
        return np.minimum(obs / target, 1.0)
    with np.errstate(divide="ignore"):
        return np.where(obs <= 0, 1.0, np.minimum(target / np.where(obs > 0, obs, 1), 1.0))


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks from 1 (smallest), ties sharing their mean rank."""
    ordered = np.sort(x)
    left = np.searchsorted(ordered, x, side="left")
    right = np.searchsorted(ordered, x, side="right")
    return (left + right + 1) / 2


def percentile_ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks scaled to [0, 1]; a single value sits at 0.5."""
    if x.size == 1:
        return np.array([0.5])
    return (average_ranks(x) - 1) / (x.size - 1)


def normalise_all(values: np.ndarray, method: str, inputs: Inputs) -> np.ndarray:
    return (
        np.column_stack(
            [
                normalise(values[:, j], method, int(inputs.directions[j]), inputs.targets[j])
                for j in range(values.shape[1])
            ]
        )
        if values.shape[1]
        else values.copy()
    )


def impute(z: np.ndarray, method: str, pillar_of: np.ndarray) -> np.ndarray:
    """Fill gaps in normalised values: none, the indicator's mean, the city's own mean in the
    pillar (pillar_mean), or the indicator's worst observed value."""
    gaps = np.isnan(z)
    if method == "none" or not gaps.any():
        return z
    out = z.copy()
    if method in ("mean", "worst"):
        fill = np.nanmean(z, axis=0) if method == "mean" else np.nanmin(z, axis=0)
        rows, cols = np.nonzero(gaps)
        out[rows, cols] = fill[cols]
        return out
    if method == "pillar_mean":
        for p in np.unique(pillar_of):
            cols = pillar_of == p
            block = z[:, cols]
            seen = ~np.isnan(block)
            count = seen.sum(axis=1)
            mean = np.where(count > 0, np.nansum(block, axis=1) / np.maximum(count, 1), np.nan)
            out[:, cols] = np.where(seen, block, mean[:, None])
        return out
    raise ValueError(f"unknown imputation {method!r}")


def pca_weights(z: np.ndarray) -> np.ndarray:
    """Weights from principal components (OECD/JRC Handbook, step 6): squared varimax-rotated
    loadings scaled to unity sum per component, each indicator weighted by its largest one times
    its component's share of the explained variance; the weights sum to 1."""
    k = z.shape[1]
    if k == 1:
        return np.ones(1)
    filled = np.where(np.isnan(z), np.nanmean(z, axis=0), z)
    sd = filled.std(axis=0)
    live = sd > 0
    if live.sum() < 2:
        return live / max(live.sum(), 1) if live.any() else np.full(k, 1 / k)
    std = (filled[:, live] - filled[:, live].mean(axis=0)) / sd[live]
    _, s, vt = np.linalg.svd(std / np.sqrt(len(std)), full_matrices=False)
    eigen = s**2
    keep = max(int((eigen > PCA_EIGENVALUE).sum()), 1)
    share = np.cumsum(eigen) / eigen.sum()
    while keep < len(eigen) and share[keep - 1] < PCA_VARIANCE:
        keep += 1
    loadings = vt[:keep].T * s[:keep]
    if keep > 1:
        loadings = varimax(loadings)
    squared = loadings**2
    explained = squared.sum(axis=0)
    scaled = squared / explained
    best = scaled.argmax(axis=1)
    rows = np.arange(len(best))
    weights = np.zeros(k)
    weights[live] = scaled[rows, best] * explained[best] / explained.sum()
    return weights / weights.sum()


def varimax(loadings: np.ndarray, iterations: int = 100, tol: float = 1e-8) -> np.ndarray:
    """Kaiser's varimax rotation of a loadings matrix (indicators × components)."""
    p, k = loadings.shape
    rotation = np.eye(k)
    total = 0.0
    for _ in range(iterations):
        rotated = loadings @ rotation
        u, s, vt = np.linalg.svd(
            loadings.T @ (rotated**3 - rotated @ np.diag((rotated**2).sum(axis=0)) / p)
        )
        rotation = u @ vt
        previous, total = total, s.sum()
        if previous and total / previous < 1 + tol:
            break
    return loadings @ rotation


def weights_for(z: np.ndarray, method: str, configured: np.ndarray) -> np.ndarray:
    """Weights summing to 1: equal, as configured, or from principal components."""
    if method == "equal":
        return np.full(z.shape[1], 1 / z.shape[1])
    if method == "config":
        return configured / configured.sum()
    if method == "pca":
        return pca_weights(z)
    raise ValueError(f"unknown weighting {method!r}")


def geometric_ready(z: np.ndarray) -> np.ndarray:
    """Logs of the columns shifted to be positive (see GEOMETRIC_OFFSET)."""
    lo, hi = np.nanmin(z, axis=0), np.nanmax(z, axis=0)
    spread = hi - lo
    offset = np.where(spread > 0, GEOMETRIC_OFFSET * spread, 1.0)
    return np.log(z - lo + offset)


def weighted_mean(z: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row means over the values present; a row's weights are rescaled to its present values.
    weights may be one vector or one per column of the result (indicators × runs)."""
    seen = ~np.isnan(z)
    total = seen @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.nan_to_num(z) @ weights / total, np.nan)


def aggregate(z: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Arithmetic or geometric weighted mean of each row."""
    if method == "arithmetic":
        return weighted_mean(z, weights)
    if method == "geometric":
        return np.exp(weighted_mean(geometric_ready(z), weights))
    raise ValueError(f"unknown aggregation {method!r}")


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 for the highest score, ties sharing the best rank, missing scores last."""
    # Rounding makes places with identical data tie even when sums differ in the last bit.
    s = np.where(np.isnan(scores), -np.inf, np.round(scores, 9))
    ordered = np.sort(s)
    return (s.size - np.searchsorted(ordered, s, side="right") + 1).astype(np.int32)


def pillar_scores(inputs: Inputs, choice: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Pillar scores (places × pillars) under one set of choices, and the indicator weights."""
    z = impute(
        normalise_all(inputs.values, choice["normalisation"], inputs), choice["imputation"],
        inputs.pillar_of,
    )  # fmt: skip
    n_pillars = len(inputs.pillar_weights)
    scores = np.full((z.shape[0], n_pillars), np.nan)
    weights = np.zeros(z.shape[1])
    for p in range(n_pillars):
        cols = np.flatnonzero(inputs.pillar_of == p)
        if not cols.size:
            continue
        w = weights_for(z[:, cols], choice["weighting"], inputs.indicator_weights[cols])
        weights[cols] = w
        scores[:, p] = aggregate(z[:, cols], w, choice["aggregation"])
    return scores, weights


def index_scores(
    inputs: Inputs, choice: dict[str, str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Composite scores, pillar scores, pillar weights and indicator weights for one choice."""
    pillars, indicator_weights = pillar_scores(inputs, choice)
    live = ~np.all(np.isnan(pillars), axis=0)
    weights = np.zeros(pillars.shape[1])
    weights[live] = weights_for(pillars[:, live], choice["weighting"], inputs.pillar_weights[live])
    scores = aggregate(pillars[:, live], weights[live], choice["aggregation"])
    return scores, pillars, weights, indicator_weights

"""A logistic regression over the pair features, learned from the network it will rank.

Positives are the partnerships of the (training) network seen from both ends, each with its own
tie left out; negatives are places drawn at random for the same place, as a ranking among all
candidates would meet them. Each factor's contribution to a score is the sum of weight x (value -
mean over the training rows) of its features, so the contributions add up to the score less a
constant that is the same for every candidate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from amity.matching.features import NAMES, country_shares, for_pairs
from amity.matching.index import MatchIndex

UNIFORM = 4
SAME_COUNTRY = 1
RIDGE = 1.0
NEWTON_STEPS = 25


@dataclass(frozen=True)
class PairModel:
    weights: np.ndarray
    intercept: float
    means: np.ndarray
    positives: int
    negatives: int

    def logits(self, features: np.ndarray) -> np.ndarray:
        # einsum, not @: one thread (see features._dot).
        return np.einsum("ij,j->i", features, self.weights) + self.intercept

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Per-feature contribution (weight x (value - training mean)); rows sum to logit - c."""
        return (features - self.means) * self.weights

    def as_dict(self) -> dict[str, float]:
        return {name: round(float(w), 6) for name, w in zip(NAMES, self.weights, strict=True)}


def training_rows(index: MatchIndex, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and labels: every tie from both ends, and sampled non-ties per tie."""
    if not index.edges:
        raise ValueError("no partnerships to learn from")
    edges = np.array(index.edges, dtype=np.int64)
    us = np.concatenate([edges[:, 0], edges[:, 1]])
    vs = np.concatenate([edges[:, 1], edges[:, 0]])
    neg_us, neg_vs, neg_removed = _negatives(index, us, vs, rng)
    tied = {(int(a), int(b)) for a, b in index.edges}
    keep = np.array(
        [u != v and (min(u, v), max(u, v)) not in tied
         for u, v in zip(neg_us.tolist(), neg_vs.tolist(), strict=True)],
        dtype=bool,
    )  # fmt: skip
    neg_us, neg_vs, neg_removed = neg_us[keep], neg_vs[keep], neg_removed[keep]
    shares = country_shares(index)
    x = np.vstack(
        [
            for_pairs(index, us, vs, removed=vs, shares=shares),
            for_pairs(index, neg_us, neg_vs, removed=neg_removed, shares=shares),
        ]
    )
    y = np.concatenate([np.ones(len(us)), np.zeros(len(neg_us))])
    return x, y


def _negatives(
    index: MatchIndex, us: np.ndarray, vs: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-ties (u, w) for each tie (u, v), with v: places at random, and places of v's country.

    The second kind teaches the model what separates the partner from the places it competes
    with at the top of a list: the others of its country.
    """
    uniform = rng.integers(0, index.size, (len(us), UNIFORM))
    by_country = np.argsort(index.country, kind="stable")
    starts = np.searchsorted(index.country[by_country], index.country[vs])
    sizes = np.bincount(index.country, minlength=len(index.countries))[index.country[vs]]
    picks = starts[:, None] + (rng.random((len(us), SAME_COUNTRY)) * sizes[:, None]).astype(int)
    same_country = by_country[picks]
    candidates = np.column_stack([uniform, same_country])
    k = candidates.shape[1]
    return np.repeat(us, k), candidates.ravel(), np.repeat(vs, k)


def fit(x: np.ndarray, y: np.ndarray) -> PairModel:
    """L2-penalised logistic regression by Newton's method on standardised columns."""
    means = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.column_stack([np.ones(len(x)), (x - means) / scale])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], RIDGE)
    penalty[0] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        gradient = z.T @ (y - p) - penalty * beta
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    weights = beta[1:] / scale
    intercept = float(beta[0] - (weights * means).sum())
    return PairModel(weights, intercept, means, int(y.sum()), int(len(y) - y.sum()))


def learn(index: MatchIndex, *, seed: int = 0) -> PairModel:
    """The pair model of this network."""
    x, y = training_rows(index, np.random.default_rng(seed))
    return fit(x, y)

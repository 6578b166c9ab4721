"""A conditional logit over the pair features, learned from the network it will rank.

Each training group is one partnership seen from one end, (u, v), with its tie left out, beside
sampled places w that u is not partnered with: 4 at random, 2 of v's country, 2 drawn by
degree (the well-connected places that crowd the top of a ranking) and NETWORK at random among
the places with a partner (the bulk of the candidates a partner is ranked against). The model
maximises the probability that v wins its group (a softmax over the group's scores), the ranking
task itself: what is the same for every candidate of a query (its degree, its country) cancels
out. It stays linear, so each factor's contribution to a score is the sum of weight x (value -
mean over the training rows) of its features, and the contributions add up to the score.

(Before: a pointwise logistic regression on the same rows, 4 random places and 1 of v's country
per tie. The grouped loss with the degree-drawn places lifts hits@10 from 0.135 to 0.149 on the
registry-wide evaluation, docs/matching.md.)

The home country's mainland places have weights of their own (HOME_SEGMENT), learned from their
partnerships abroad only, each partner against the foreign places of its kind among the drawn
ones: a home place is offered nothing else. Negatives drawn only like the evaluation's
candidates (places with a partner, of the partner's kind, instead of the draws above) or at the
end of short walks from u (hard negatives) were measured and not kept: docs/matching.md,
"Learning for the China slice".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from amity.core.conventions import home_country, home_members
from amity.matching.candidates import MatchIndex
from amity.matching.features import NAMES, country_shares, for_pairs

UNIFORM = 4
SAME_COUNTRY = 2
BY_DEGREE = 2
# Places with a partner, drawn at random: without them the model learns mostly what separates a
# partner from the 26,000 registry places without any, and ranks the partnered places among
# themselves less well. The count was chosen on a validation split inside the training pairs
# (docs/matching.md, "Learning for the China slice"; scripts/china_slice.py).
NETWORK = 4
RIDGE = 1.0
NEWTON_STEPS = 40
# Query continent -> segment with its own weights; other continents (Africa, Oceania) and
# countries without one share "elsewhere". The grouping against the others tried is measured in
# docs/matching.md ("Factors and weights").
SEGMENTS = {
    "Europe": "europe",
    "Asia": "asia",
    "North America": "americas",
    "South America": "americas",
}
ELSEWHERE = "elsewhere"
HOME = "home"
# How a recommendation names the weights that scored it (English, Chinese).
SEGMENT_LABELS = {
    "europe": ("places in Europe", "欧洲城市"),
    "asia": ("places in Asia", "亚洲城市"),
    "americas": ("places in the Americas", "美洲城市"),
    "elsewhere": ("places in Africa, Oceania and elsewhere", "非洲、大洋洲及其他地区的城市"),
    "home": ("places in mainland China with places abroad", "中国大陆城市与外国城市"),
}
MIN_GROUPS = 500  # a segment with fewer training groups (ties seen from its places) is pooled


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

    def for_country(self, country: int) -> PairModel:
        """The weights for a query of this country (one model: the same for all)."""
        return self

    def describe(self, country: int) -> dict:
        return {
            "segment": "all",
            "ties": self.positives // 2,  # each tie is a group from both ends
            "en": f"Weights learned from the {self.positives // 2:,} partnerships of all places.",
            "zh": f"权重学自所有城市的 {self.positives // 2:,} 对友城关系。",
        }

    def pair_logits(self, features: np.ndarray, countries: np.ndarray) -> np.ndarray:
        return self.logits(features)


@dataclass(frozen=True)
class SegmentedModel:
    """One PairModel per segment of query places (by continent)."""

    models: dict[str, PairModel]
    # segment_of[c]: the segment name of country c.
    segment_of: list[str]
    # ties[name]: the partnerships the segment's weights were learned from (distinct pairs).
    ties: dict[str, int]
    # Segments with too few groups of their own, scored with the weights learned on all.
    pooled: frozenset[str] = frozenset()

    def for_country(self, country: int) -> PairModel:
        return self.models[self.segment_of[country]]

    def describe(self, country: int) -> dict:
        """Which weights score a query of this country, and how many ties taught them."""
        name = self.segment_of[country]
        ties = self.ties[name]
        en, zh = ("all places", "所有城市") if name in self.pooled else SEGMENT_LABELS[name]
        return {
            "segment": name,
            "ties": ties,
            "en": f"Weights learned from the {ties:,} partnerships of {en}.",
            "zh": f"权重学自{zh}的 {ties:,} 对友城关系。",
        }

    def pair_logits(self, features: np.ndarray, countries: np.ndarray) -> np.ndarray:
        """Logits of pair rows, each with the weights of its query's country (countries[i])."""
        out = np.empty(len(features))
        names = np.array(self.segment_of, dtype=object)[countries]
        for name, model in self.models.items():
            rows = names == name
            out[rows] = model.logits(features[rows])
        return out


# The home country's mainland places get weights of their own, learned from their partnerships
# abroad only, each against foreign places of the partner's kind: what they are offered. On the
# China slice (docs/matching.md) this lifted hits@10 from 0.047 to 0.052 over seeds 0-2.
HOME_SEGMENT = True
HOME_ABROAD = True


def segment_of(index: MatchIndex) -> list[str]:
    """The segment of each country of the index."""
    home = home_country()
    return [
        HOME if HOME_SEGMENT and code == home else SEGMENTS.get(continent or "", ELSEWHERE)
        for code, continent in zip(index.countries, index.continents, strict=True)
    ]


def training_rows(
    index: MatchIndex, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows (groups x (1 + negatives) x features), which rows to ignore (a drawn place
    that is the query itself or already its partner) and each group's query place. Row 0 of each
    group is the partner."""
    if not index.edges:
        raise ValueError("no partnerships to learn from")
    edges = np.array(index.edges, dtype=np.int64)
    us = np.concatenate([edges[:, 0], edges[:, 1]])
    vs = np.concatenate([edges[:, 1], edges[:, 0]])
    others = _negatives(index, vs, rng)
    k = others.shape[1]
    tied = {(int(a), int(b)) for a, b in index.edges}
    ignore = np.array(
        [[u == w or (min(u, w), max(u, w)) in tied for w in row]
         for u, row in zip(us.tolist(), others.tolist(), strict=True)],
        dtype=bool,
    ).reshape(len(us), k)  # fmt: skip
    shares = country_shares(index)
    positives = for_pairs(index, us, vs, removed=vs, shares=shares)
    negatives = for_pairs(
        index, np.repeat(us, k), others.ravel(), removed=np.repeat(vs, k), shares=shares
    ).reshape(len(us), k, -1)
    x = np.concatenate([positives[:, None, :], negatives], axis=1)
    ignore = np.concatenate([np.zeros((len(us), 1), dtype=bool), ignore], axis=1)
    return x, ignore, us, np.column_stack([vs, others])


def _negatives(index: MatchIndex, vs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per tie (u, v): places at random, places of v's country, places drawn by degree, places
    with a partner.

    The middle two teach the model what separates the partner from the places it competes with at
    the top of a list: the others of its country, and the well-connected places.
    """
    uniform = rng.integers(0, index.size, (len(vs), UNIFORM))
    by_country = np.argsort(index.country, kind="stable")
    starts = np.searchsorted(index.country[by_country], index.country[vs])
    sizes = np.bincount(index.country, minlength=len(index.countries))[index.country[vs]]
    picks = starts[:, None] + (rng.random((len(vs), SAME_COUNTRY)) * sizes[:, None]).astype(int)
    degree = index.degree.astype(float)
    by_degree = rng.choice(index.size, (len(vs), BY_DEGREE), p=degree / degree.sum())
    partnered = np.flatnonzero(index.degree > 0)
    network = partnered[rng.integers(0, len(partnered), (len(vs), NETWORK))]
    return np.column_stack([uniform, by_country[picks], by_degree, network])


def fit(x: np.ndarray, ignore: np.ndarray) -> PairModel:
    """Conditional logit (row 0 of each group is the choice) with an L2 penalty, by damped
    Newton steps on standardised columns."""
    rows = x[~ignore]
    means = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - means) / scale
    width = z.shape[2]
    beta = np.zeros(width)

    def scores(b: np.ndarray) -> np.ndarray:
        s = np.einsum("gkf,f->gk", z, b)
        s[ignore] = -np.inf
        return s - s.max(axis=1, keepdims=True)

    def loss(b: np.ndarray) -> float:
        s = scores(b)
        return float(-(s[:, 0] - np.log(np.exp(s).sum(axis=1))).sum() + 0.5 * RIDGE * b @ b)

    current = loss(beta)
    for _ in range(NEWTON_STEPS):
        p = np.exp(scores(beta))
        p /= p.sum(axis=1, keepdims=True)
        mean, second = _moments(p, z)
        gradient = (z[:, 0, :] - mean).sum(axis=0) - RIDGE * beta
        hessian = second - mean.T @ mean + RIDGE * np.eye(width)
        step = np.linalg.solve(hessian, gradient)
        t = 1.0
        while loss(beta + t * step) > current and t > 1e-4:
            t /= 2
        beta += t * step
        new = loss(beta)
        done = current - new < 1e-7 * abs(current)
        current = new
        if done:
            break
    weights = beta / scale
    intercept = -float(weights @ means)  # logits = the sum of the contributions
    return PairModel(weights, intercept, means, len(x), int((~ignore[:, 1:]).sum()))


CHUNK = 8192  # groups per block of _moments (bounds its temporary arrays to ~30 MB)


def _moments(p: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per group the p-weighted mean row, and Σ over groups and rows of p z zᵀ.

    By blocks of groups, each block's sum one matrix product: a three-operand einsum over all
    groups at once took most of a fit, and a whole weighted copy of z most of its memory."""
    width = z.shape[2]
    mean = np.empty((len(z), width))
    second = np.zeros((width, width))
    for start in range(0, len(z), CHUNK):
        block = z[start:start + CHUNK]
        weighted = p[start:start + CHUNK, :, None] * block
        mean[start:start + CHUNK] = weighted.sum(axis=1)
        second += weighted.reshape(-1, width).T @ block.reshape(-1, width)
    return mean, second


def learn(index: MatchIndex, *, seed: int = 0) -> SegmentedModel:
    """The pair models of this network, one per segment of query places."""
    x, ignore, us, places = training_rows(index, np.random.default_rng(seed))
    names = segment_of(index)
    group_segment = np.array(names, dtype=object)[index.country[us]]
    tie_of_group = np.arange(len(us)) % max(len(index.edges), 1)
    if HOME_ABROAD and HOME in names:
        # A home place is offered foreign places of its partner's kind: learn from its foreign
        # partnerships, each against foreign places of the partner's kind only.
        home = np.isin(index.country, [index.country_pos[c] for c in home_members()
                                       if c in index.country_pos])
        ours = group_segment == HOME
        keep = ~ours | ~home[places[:, 0]]
        off = home[places] | (index.kind[places] != index.kind[places[:, :1]])
        ignore = ignore | (ours[:, None] & off)
        x, ignore, us, group_segment = x[keep], ignore[keep], us[keep], group_segment[keep]
        tie_of_group = tie_of_group[keep]
    models: dict[str, PairModel] = {}
    ties: dict[str, int] = {}
    everything: PairModel | None = None
    pooled = set()
    for name in sorted(set(names)):
        rows = group_segment == name
        if rows.sum() >= MIN_GROUPS:
            models[name] = fit(x[rows], ignore[rows])
            ties[name] = len(np.unique(tie_of_group[rows]))
        else:  # too few ties of its own: the weights learned on all of them
            everything = everything or fit(x, ignore)
            models[name] = everything
            ties[name] = len(index.edges)
            pooled.add(name)
    return SegmentedModel(models, names, ties, frozenset(pooled))

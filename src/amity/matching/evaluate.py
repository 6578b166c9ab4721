"""How well the recommender finds partnerships it was not shown, beside simple baselines.

Protocol (docs/matching.md): hide a seeded 10% of the partnerships; learn and index on the rest.
Each hidden pair is a query from both ends: the place's hidden partners are ranked among every place
of the registry (given as `extra`; the network's places otherwise) except itself and its training
partners. Ties are broken at random (seeded). AUC,
hits@10 and MRR are per (place, hidden partner), each hidden partner ranked against the non-partners
only; precision@10 and recall@10 are per place over its top ten. The global AUC compares each
hidden pair (seen from its first end) with a pair of places drawn at random among the non-partners
(the usual link-prediction AUC, ties counting one half).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from amity.analytics.snapshot import PlaceInfo, Snapshot
from amity.matching.features import (
    against_all,
    country_shares,
    for_pairs,
    paths_of_three,
    paths_of_three_pairs,
    query_at,
)
from amity.matching.index import MatchIndex, build_index
from amity.matching.model import learn
from amity.progress import Progress, silent

HOLDOUT = 0.1
K = 10
METHODS = (
    "amity",
    "random",
    "preferential_attachment",
    "common_neighbours",
    "adamic_adar",
    "paths_of_three",
    "attribute_neighbours",
)
METRIC_KEYS = ("auc", "global_auc", "precision_at_10", "recall_at_10", "hits_at_10", "mrr")
Scorer = Callable[[int], np.ndarray]
# Scores of the pairs (us[i], vs[i]) of non-partners, as the Scorer of us[i] would give them.
PairScorer = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Split:
    train: list[tuple[int, int]]
    test: list[tuple[int, int]]
    description: str


def random_split(snapshot: Snapshot, *, seed: int, fraction: float = HOLDOUT) -> Split:
    """A seeded share of the pairs hidden, the rest kept for training."""
    pairs = [(p.a, p.b) for p in snapshot.pairs]
    order = np.random.default_rng(seed).permutation(len(pairs))
    hidden = int(round(fraction * len(pairs)))
    test = [pairs[i] for i in order[:hidden]]
    train = [pairs[i] for i in order[hidden:]]
    return Split(train, test, f"random {fraction:.0%} of pairs hidden, seed {seed}")


def temporal_split(
    snapshot: Snapshot, *, fraction: float = HOLDOUT, min_dated: int = 100
) -> Split | None:
    """Train on pairs signed up to year T, test on the later ones; None without enough dates.

    T is the latest year leaving at least `fraction` of the dated pairs after it; undated pairs
    stay out of both sides.
    """
    dated = sorted(
        ((p.established_year, p.a, p.b) for p in snapshot.pairs if p.established_year),
    )
    if len(dated) < min_dated:
        return None
    years = sorted({year for year, _, _ in dated})
    cut = None
    for year in years:
        if sum(1 for y, _, _ in dated if y > year) >= fraction * len(dated):
            cut = year
    if cut is None or cut == years[-1]:
        return None
    train = [(a, b) for y, a, b in dated if y <= cut]
    test = [(a, b) for y, a, b in dated if y > cut]
    return Split(train, test, f"signed up to {cut} for training, after {cut} for testing")


@dataclass(frozen=True)
class Method:
    rank: Scorer
    pairs: PairScorer


def scorers(index: MatchIndex, *, seed: int) -> dict[str, Method]:
    """Each method's scores of every place as a partner of a place, and of given pairs."""
    model = learn(index, seed=seed)
    shares = country_shares(index)
    rng = np.random.default_rng(seed + 1)
    weights = index.adamic_adar_weights()
    attributes = _attributes(index)
    sets = [set(n.tolist()) for n in index.neighbours]

    def neighbourhood(pos: int, w: np.ndarray | None) -> np.ndarray:
        score = np.zeros(index.size)
        for n in index.neighbours[pos]:
            score[index.neighbours[n]] += 1.0 if w is None else w[n]
        return score

    def shared(us: np.ndarray, vs: np.ndarray, w: np.ndarray | None) -> np.ndarray:
        common = (list(sets[u] & sets[v]) for u, v in zip(us.tolist(), vs.tolist(), strict=True))
        return np.array([len(c) if w is None else float(w[c].sum()) for c in common])

    def amity_pairs(us: np.ndarray, vs: np.ndarray) -> np.ndarray:
        none = np.full(len(us), -1)
        return model.logits(for_pairs(index, us, vs, removed=none, shares=shares))

    return {
        "amity": Method(
            lambda pos: model.logits(against_all(index, query_at(index, pos), shares)),
            amity_pairs,
        ),
        "random": Method(lambda pos: rng.random(index.size), lambda us, vs: rng.random(len(us))),
        "preferential_attachment": Method(
            lambda pos: index.degree * float(index.degree[pos]),
            lambda us, vs: (index.degree[us] * index.degree[vs]).astype(float),
        ),
        "common_neighbours": Method(
            lambda pos: neighbourhood(pos, None), lambda us, vs: shared(us, vs, None)
        ),
        "adamic_adar": Method(
            lambda pos: neighbourhood(pos, weights), lambda us, vs: shared(us, vs, weights)
        ),
        "paths_of_three": Method(
            lambda pos: paths_of_three(index, index.neighbours[pos]),
            lambda us, vs: paths_of_three_pairs(index, us, vs, np.full(len(us), -1)),
        ),
        "attribute_neighbours": Method(
            lambda pos: -np.linalg.norm(attributes - attributes[pos], axis=1),
            lambda us, vs: -np.linalg.norm(attributes[us] - attributes[vs], axis=1),
        ),
    }


def _attributes(index: MatchIndex) -> np.ndarray:
    """Place attributes for the nearest-neighbour baseline: position, size, level, coast."""
    population = np.where(
        np.isnan(index.log_population), np.nanmean(index.log_population), index.log_population
    )
    return np.column_stack(
        [index.xyz * 10.0, population, index.kind, index.coastal.astype(float), index.band / 2]
    )


def evaluate_split(
    snapshot: Snapshot,
    split: Split,
    *,
    seed: int,
    progress: Progress = silent,
    extra: Sequence[PlaceInfo] = (),
) -> dict:
    """Every method's metrics on one split; `extra`: candidates beyond the network's places."""
    started = time.perf_counter()
    index = build_index(snapshot, pairs=split.train, extra=extra)
    hidden: dict[int, set[int]] = defaultdict(set)
    for a, b in split.test:
        hidden[index.pos[a]].add(index.pos[b])
        hidden[index.pos[b]].add(index.pos[a])
    methods = scorers(index, seed=seed)
    jitter = np.random.default_rng(seed + 2)
    sums = {m: defaultdict(float) for m in methods}
    queries = sorted(hidden)
    first_end = {(index.pos[a], index.pos[b]) for a, b in split.test}
    positive: dict[str, dict[tuple[int, int], float]] = {m: {} for m in methods}
    for done, pos in enumerate(queries):
        candidates = np.ones(index.size, dtype=bool)
        candidates[pos] = False
        candidates[index.neighbours[pos]] = False
        noise = jitter.random(index.size) * 1e-9
        for name, method in methods.items():
            scores = method.rank(pos)
            _accumulate(sums[name], scores + noise, candidates, hidden[pos])
            for v in hidden[pos]:
                if (pos, v) in first_end:
                    positive[name][(pos, v)] = float(scores[v])
        if done % 200 == 0:
            progress("Ranking hidden partners", done, len(queries))
    progress("Ranking hidden partners", len(queries), len(queries))
    pairs = sum(len(h) for h in hidden.values())
    global_auc = _global_auc(index, methods, positive, split, seed=seed)
    return {
        "split": split.description,
        "train_pairs": len(split.train),
        "test_pairs": len(split.test),
        "queries": {"places": len(queries), "pairs": pairs},
        "candidates": index.size,
        "metrics": {
            name: {
                "auc": round(s["auc"] / pairs, 4),
                "global_auc": global_auc[name],
                "precision_at_10": round(s["precision"] / len(queries), 4),
                "recall_at_10": round(s["recall"] / len(queries), 4),
                "hits_at_10": round(s["hits"] / pairs, 4),
                "mrr": round(s["mrr"] / pairs, 4),
            }
            for name, s in sums.items()
        },
        "seconds": round(time.perf_counter() - started, 1),
    }


def _global_auc(
    index: MatchIndex,
    methods: dict[str, Method],
    positive: dict[str, dict[tuple[int, int], float]],
    split: Split,
    *,
    seed: int,
) -> dict[str, float]:
    """Hidden pairs against random non-partner pairs, one each."""
    rng = np.random.default_rng(seed + 3)
    known = {(min(a, b), max(a, b)) for a, b in split.train + split.test}
    negatives = []
    while len(negatives) < len(split.test):
        a, b = (int(x) for x in rng.integers(0, index.size, 2))
        ids = (int(index.ids[a]), int(index.ids[b]))
        if a != b and (min(ids), max(ids)) not in known:
            negatives.append((a, b))
    us, vs = (np.array(side, dtype=np.int64) for side in zip(*negatives, strict=True))
    result = {}
    for name, method in methods.items():
        pos = np.array(list(positive[name].values()))
        neg = np.sort(method.pairs(us, vs))
        below = np.searchsorted(neg, pos, side="left")
        ties = np.searchsorted(neg, pos, side="right") - below
        result[name] = round(float(((below + 0.5 * ties) / len(neg)).mean()), 4)
    return result


def _accumulate(
    sums: dict[str, float], scores: np.ndarray, candidates: np.ndarray, relevant: set[int]
) -> None:
    wanted = np.zeros(len(scores), dtype=bool)
    wanted[list(relevant)] = True
    negatives = scores[candidates & ~wanted]
    for v in relevant:
        higher = int((negatives > scores[v]).sum())
        rank = higher + 1
        sums["auc"] += (len(negatives) - higher) / len(negatives) if len(negatives) else 0.0
        sums["hits"] += rank <= K
        sums["mrr"] += 1.0 / rank
    pool = np.flatnonzero(candidates)
    top = pool[np.argpartition(-scores[pool], K)[:K]] if len(pool) > K else pool
    found = int(wanted[top].sum())
    sums["precision"] += found / K
    sums["recall"] += found / len(relevant)


def evaluate(
    snapshot: Snapshot,
    *,
    seed: int = 0,
    progress: Progress = silent,
    extra: Sequence[PlaceInfo] = (),
) -> dict:
    """The random hold-out evaluation, and the temporal one where signing dates allow it.

    `extra`: the registry's places without a partnership (`index.registry_places`), candidates
    like any other. Without them the candidates are the network's places only, and after the
    hiding the only candidates without a training partner are ends of hidden pairs: a leak that a
    model learning "no partner yet" would be rewarded for.
    """
    temporal = temporal_split(snapshot)
    candidates = "registry" if extra else "network"
    return {
        "protocol": {
            "holdout": HOLDOUT,
            "k": K,
            "seed": seed,
            "methods": list(METHODS),
            "candidates": candidates,
        },
        "random_split": evaluate_split(
            snapshot, random_split(snapshot, seed=seed), seed=seed, progress=progress, extra=extra
        ),
        "temporal_split": evaluate_split(
            snapshot, temporal, seed=seed, progress=progress, extra=extra
        )
        if temporal
        else {"skipped": "too few pairs carry a signing year for a temporal split"},
    }

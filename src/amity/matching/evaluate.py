"""How well the recommender finds partnerships it was not shown, beside simple baselines.

Protocol (docs/matching.md): hide a seeded 10% of the partnerships, by default only pairs whose two
places keep another partner (the issue's protocol: the held-out places stay in the network; the
free draw, with its cold starts, on request); learn and index on the rest.
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
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from amity.analytics.service import PlaceInfo, Snapshot
from amity.core.errors import InvalidInput
from amity.core.progress import Progress, silent
from amity.matching.candidates import MatchIndex, build_index
from amity.matching.features import (
    against_all,
    country_shares,
    for_pairs,
    paths_of_three,
    paths_of_three_pairs,
    query_at,
)
from amity.matching.logit import learn

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
# Hidden pairs whose two ends keep a partner in training, and those with an end left without any.
ENDS = ("both_ends_keep_partners", "an_end_left_alone")
METRIC_KEYS = ("auc", "global_auc", "precision_at_10", "recall_at_10", "hits_at_10", "mrr")
Scorer = Callable[[int], np.ndarray]
# Scores of the pairs (us[i], vs[i]) of non-partners, as the Scorer of us[i] would give them.
PairScorer = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Split:
    train: list[tuple[int, int]]
    test: list[tuple[int, int]]
    description: str


def random_split(
    snapshot: Snapshot, *, seed: int, fraction: float = HOLDOUT, keep_places: bool = True
) -> Split:
    """A seeded share of the pairs hidden, the rest kept for training.

    keep_places: hide a pair only while both its places keep another partner (pairs in a seeded
    random order, each hidden if it can be, until the share is reached), so every place of the
    network stays in it and each hidden pair is a link to predict from the place's other ties.
    Without it the pairs are drawn freely and a fifth of them leave a place with no partner at
    all: the cold start of a place new to the network, which only attributes and country ties
    can speak to (`by_ends` in the report shows both kinds).
    """
    pairs = [(p.a, p.b) for p in snapshot.pairs]
    order = np.random.default_rng(seed).permutation(len(pairs)).tolist()
    wanted = int(round(fraction * len(pairs)))
    if not keep_places:
        chosen = order[:wanted]
        how = "pairs drawn at random"
    else:
        left = Counter(place for pair in pairs for place in pair)
        chosen = []
        for i in order:
            if len(chosen) == wanted:
                break
            a, b = pairs[i]
            if left[a] > 1 and left[b] > 1:
                chosen.append(i)
                left[a] -= 1
                left[b] -= 1
        how = "every place keeping a partner"
    hidden = set(chosen)
    test = [pairs[i] for i in chosen]
    train = [pairs[i] for i in order if i not in hidden]
    share = len(test) / max(len(pairs), 1)
    return Split(train, test, f"{share:.0%} of pairs hidden, {how}, seed {seed}")


# The fewest dated pairs a temporal split is run on (fewer make its figures noise).
MIN_DATED = 100


def temporal_split(
    snapshot: Snapshot, *, fraction: float = HOLDOUT, min_dated: int = MIN_DATED
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
        features = for_pairs(index, us, vs, removed=none, shares=shares)
        return model.pair_logits(features, index.country[us])

    return {
        "amity": Method(
            lambda pos: model.for_country(int(index.country[pos])).logits(
                against_all(index, query_at(index, pos), shares)
            ),
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
            _accumulate(sums[name], scores + noise, candidates, hidden[pos], index.degree, pos)
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
        # Where the partner is hard to find: one end of the hidden pair has no partner left
        # once the pairs are hidden (only attributes and country ties can speak for it).
        "by_ends": {
            name: {
                group: {
                    "pairs": int(s[f"{group}:pairs"]),
                    "hits_at_10": round(s[f"{group}:hits"] / max(s[f"{group}:pairs"], 1), 4),
                    "auc": round(s[f"{group}:auc"] / max(s[f"{group}:pairs"], 1), 4),
                }
                for group in ENDS
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
    # Bounded: a graph where (almost) every pair is a partnership has few non-partner pairs.
    for _ in range(1000 * len(split.test)):
        if len(negatives) == len(split.test):
            break
        a, b = (int(x) for x in rng.integers(0, index.size, 2))
        ids = (int(index.ids[a]), int(index.ids[b]))
        if a != b and (min(ids), max(ids)) not in known:
            negatives.append((a, b))
    if not negatives:
        return dict.fromkeys(methods)  # no non-partner pair to compare with
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
    sums: dict[str, float],
    scores: np.ndarray,
    candidates: np.ndarray,
    relevant: set[int],
    degree: np.ndarray,
    query: int,
) -> None:
    """Add one query's ranks to the sums (degree: training degrees, for the `by_ends` split)."""
    wanted = np.zeros(len(scores), dtype=bool)
    wanted[list(relevant)] = True
    negatives = scores[candidates & ~wanted]
    for v in relevant:
        higher = int((negatives > scores[v]).sum())
        rank = higher + 1
        auc = (len(negatives) - higher) / len(negatives) if len(negatives) else 0.0
        sums["auc"] += auc
        sums["hits"] += rank <= K
        sums["mrr"] += 1.0 / rank
        group = ENDS[0] if degree[query] and degree[v] else ENDS[1]
        sums[f"{group}:pairs"] += 1
        sums[f"{group}:hits"] += rank <= K
        sums[f"{group}:auc"] += auc
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
    keep_places: bool = True,
    min_dated: int = MIN_DATED,
) -> dict:
    """The random hold-out evaluation, and the temporal one where signing dates allow it
    (at least `min_dated` pairs with a signing year; the report says how many there are).

    keep_places: see `random_split` (False: the free draw, a fifth of whose hidden pairs leave a
    place with no partner).

    `extra`: the registry's places without a partnership (`index.registry_places`), candidates
    like any other. Without them the candidates are the network's places only, and after the
    hiding the only candidates without a training partner are ends of hidden pairs: a leak that a
    model learning "no partner yet" would be rewarded for.
    """
    split = random_split(snapshot, seed=seed, keep_places=keep_places)
    if not split.test:
        # Nothing hidden, nothing to measure: say so rather than fail inside the metrics.
        raise InvalidInput(
            f"Too few pairs to evaluate: {len(snapshot.pairs):,} pairs, and none can be hidden"
            + (" while every place keeps a partner (try --free-split)." if keep_places else "."),
            {"pairs": len(snapshot.pairs), "keep_places": keep_places},
        )
    temporal = temporal_split(snapshot, min_dated=min_dated)
    dated = sum(1 for p in snapshot.pairs if p.established_year)
    dates = {"pairs": len(snapshot.pairs), "dated_pairs": dated, "min_dated": min_dated}
    candidates = "registry" if extra else "network"
    return {
        "protocol": {
            "holdout": HOLDOUT,
            "k": K,
            "seed": seed,
            "methods": list(METHODS),
            "candidates": candidates,
            "hidden": "places kept" if keep_places else "free draw",
        },
        "random_split": evaluate_split(
            snapshot,
            split,
            seed=seed,
            progress=progress,
            extra=extra,
        ),
        "temporal_split": evaluate_split(
            snapshot, temporal, seed=seed, progress=progress, extra=extra
        ) | dates
        if temporal
        else {"skipped": _why_no_temporal_split(dated, len(snapshot.pairs), min_dated)} | dates,
    }


def _why_no_temporal_split(dated: int, total: int, min_dated: int) -> str:
    if dated < min_dated:
        return (
            f"too few pairs carry a signing year: {dated:,} of {total:,}, and the temporal "
            f"split needs at least {min_dated:,} (import dated tables, or lower --min-dated)"
        )
    return (
        f"{dated:,} of {total:,} pairs carry a signing year, but no year leaves "
        f"{HOLDOUT:.0%} of them after it"
    )

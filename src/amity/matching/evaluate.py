"""How well the recommender finds partnerships it was not shown, beside simple baselines.

Protocol (docs/matching.md, "Evaluation"): hide a seeded 10% of the partnerships and learn on the
rest; each hidden pair (u, v) is a query from both ends: v is ranked among the candidates of u,
which are the places **of v's kind** (a city's hidden partner among cities, a province's among
provinces and states), except u, u's training partners and u's other hidden partners. Ties are
broken at random (seeded). Two candidate pools, each reported:

- `network`: places with a partner in the training network (where degree says nothing of being
  hidden: every candidate has a partner);
- `all`: every registry place the registry would hold with or without a partnership (a known
  point and first-level region, and for a city a known population of at least 15,000: the
  gazetteer's rule). A place the demo load created for a registry pair lacks these more often
  (no population, below 15,000, no region), and on the free split, where a hidden pair can leave
  a place without any training partner, such a place would be recognisable as a hidden partner
  by how the data was built; `leak` in the report measures it, before and after.

A hidden partner outside a pool is not ranked in it (the report counts the pairs of each pool).
Per (query, hidden partner): AUC against the pool's negatives, hits@10 and MRR. Slices: every
pair, and `china` (the real use): pairs with one end in the home country's mainland and the other
abroad, ranked from the home end among foreign candidates, with and without the diversity
re-ranking (amity.matching.diversity, measured on the training network's home prefecture-level
cities).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from amity.analytics.service import PlaceInfo, Snapshot
from amity.core.conventions import home_country, home_members
from amity.core.errors import InvalidInput
from amity.core.progress import Progress, silent
from amity.matching import diversity
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
BASELINES = METHODS[1:]
DIVERSE = "amity_diverse"  # Amity with the diversity re-ranking (the china slice only)
SPLITS = ("kept", "free", "temporal")
POOLS = ("network", "all")
SLICES = ("all_pairs", "china")
METRIC_KEYS = ("auc", "hits_at_10", "mrr")
# The gazetteer's rule for a city (GeoNames cities15000): places below it, or without a
# population, are in the registry only because a pair names them.
MIN_POPULATION = 15_000
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


def region_known(index: MatchIndex) -> np.ndarray:
    return np.array([bool(p.admin1 or p.province_code) for p in index.places], dtype=bool)


def marked(index: MatchIndex) -> np.ndarray:
    """Places with an attribute that marks a registry-only place: no point, no first-level
    region, or (a city) a population unknown or below the gazetteer's 15,000."""
    small = ~(index.log_population >= np.log10(MIN_POPULATION))  # NaN (unknown) counts as small
    return np.isnan(index.lat) | ~region_known(index) | ((index.kind == 0) & small)


def pools(index: MatchIndex) -> dict[str, np.ndarray]:
    """The candidate pools (see the module's docstring)."""
    return {"network": index.degree > 0, "all": ~marked(index)}


def leak_check(index: MatchIndex, hidden: dict[int, set[int]]) -> dict:
    """Where a registry-only marker would pay: among candidates without a training partner, the
    share that are hidden partners, with the marker and without, over every registry place
    (the old candidates) and over the `all` pool (the `network` pool has no such candidate)."""
    lonely = index.degree == 0
    is_hidden = np.zeros(index.size, dtype=bool)
    is_hidden[list(hidden)] = True
    mark = marked(index)

    def share(mask: np.ndarray) -> dict:
        n = int(mask.sum())
        hidden_share = round(float(is_hidden[mask].mean()), 4) if n else None
        return {"candidates": n, "hidden_share": hidden_share}

    def split(pool: np.ndarray) -> dict:
        return {
            "with_marker": share(pool & lonely & mark),
            "without_marker": share(pool & lonely & ~mark),
        }

    return {"registry": split(np.ones(index.size, dtype=bool)), "all": split(~mark)}


def rivals(index: MatchIndex, allowed: np.ndarray, v: int, pool: np.ndarray) -> np.ndarray:
    """What the hidden partner v is ranked against: places of v's kind (city or province) in the
    pool, among those allowed for the query (not itself, nor a partner)."""
    return allowed & pool & (index.kind == index.kind[v])


@dataclass
class _Sums:
    """Running sums of one (slice, pool, method)."""

    pairs: int = 0
    auc: float = 0.0
    hits: float = 0.0
    mrr: float = 0.0
    negatives: int = 0

    def add(self, scores: np.ndarray, negatives: np.ndarray, v: int) -> None:
        higher = int((scores[negatives] > scores[v]).sum())
        n = int(negatives.sum())
        self.pairs += 1
        self.negatives += n
        self.auc += (n - higher) / n if n else 0.0
        self.hits += higher < K
        self.mrr += 1.0 / (higher + 1)

    def report(self) -> dict:
        if not self.pairs:
            return {"auc": None, "hits_at_10": None, "mrr": None}
        return {
            "auc": round(self.auc / self.pairs, 4),
            "hits_at_10": round(self.hits / self.pairs, 4),
            "mrr": round(self.mrr / self.pairs, 4),
        }


def evaluate_split(
    snapshot: Snapshot,
    split: Split,
    *,
    seed: int,
    progress: Progress = silent,
    extra: Sequence[PlaceInfo] = (),
    levels: dict[int, str | None] | None = None,
    every: int = 1,
) -> dict:
    """Every method's metrics on one split, per slice and pool; `extra`: the registry's places
    beyond the network's; `levels`: administrative levels (which home places are
    prefecture-level, for the diversity re-ranking); `every`: rank every n-th query place only
    (and each with a China-slice pair: that slice stays whole), to save time."""
    started = time.perf_counter()
    index = build_index(snapshot, pairs=split.train, extra=extra)
    hidden: dict[int, set[int]] = defaultdict(set)
    for a, b in split.test:
        hidden[index.pos[a]].add(index.pos[b])
        hidden[index.pos[b]].add(index.pos[a])
    methods = scorers(index, seed=seed)
    home_codes = [index.country_pos[c] for c in home_members() if c in index.country_pos]
    foreign = ~np.isin(index.country, home_codes)
    mainland = index.country == index.country_pos.get(home_country(), -1)
    candidate_pools = pools(index)
    penalty, balance = _diversity(index, methods["amity"], levels or {}, foreign)
    names = [*methods, DIVERSE]
    sums = {(s, p, m): _Sums() for s in SLICES for p in POOLS for m in names}
    jitter = np.random.default_rng(seed + 2)
    queries = sorted(hidden)
    if every > 1:  # every n-th query, and each that ranks a China-slice pair
        china_query = [bool(mainland[q] and foreign[list(hidden[q])].any()) for q in queries]
        queries = [q for i, q in enumerate(queries) if i % every == 0 or china_query[i]]
    for done, pos in enumerate(queries):
        base = np.ones(index.size, dtype=bool)
        base[pos] = False
        base[index.neighbours[pos]] = False
        base[list(hidden[pos])] = False  # the other hidden partners are no mistakes either
        noise = jitter.random(index.size) * 1e-9
        scores = {name: method.rank(pos) + noise for name, method in methods.items()}
        scores[DIVERSE] = scores["amity"] - penalty
        for v in hidden[pos]:
            china = bool(mainland[pos] and foreign[v])
            for pool_name, pool in candidate_pools.items():
                if not pool[v]:
                    continue
                negatives = rivals(index, base, v, pool)
                for name, values in scores.items():
                    if name != DIVERSE:
                        sums[("all_pairs", pool_name, name)].add(values, negatives, v)
                    if china:
                        sums[("china", pool_name, name)].add(values, negatives & foreign, v)
        if done % 200 == 0:
            progress("Ranking hidden partners", done, len(queries))
    progress("Ranking hidden partners", len(queries), len(queries))
    slices = {}
    for slice_name in SLICES:
        shown = names if slice_name == "china" else list(methods)
        first = sums[(slice_name, "network", "amity")], sums[(slice_name, "all", "amity")]
        slices[slice_name] = {
            "pairs": {p: s.pairs for p, s in zip(POOLS, first, strict=True)},
            "mean_candidates": {
                p: round(s.negatives / s.pairs) if s.pairs else 0
                for p, s in zip(POOLS, first, strict=True)
            },
            "metrics": {
                name: {p: sums[(slice_name, p, name)].report() for p in POOLS} for name in shown
            },
        }
    slices["china"]["diversity"] = balance
    return {
        "split": split.description,
        "train_pairs": len(split.train),
        "test_pairs": len(split.test),
        "queries": {"places": len(queries), "every": every,
                    "pairs": sum(len(hidden[q]) for q in queries)},  # fmt: skip
        "candidates": {
            "registry": index.size, **{p: int(m.sum()) for p, m in candidate_pools.items()}
        },
        "slices": slices,
        "leak": leak_check(index, hidden),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _diversity(
    index: MatchIndex, amity: Method, levels: dict[int, str | None], foreign: np.ndarray
) -> tuple[np.ndarray, dict]:
    """The diversity penalties on the training network, from the home prefecture-level cities'
    lists as the live recommendation draws them (foreign places of the asker's kind, not its
    training partners), with the largest share of lists before and after."""
    cities = diversity.home_cities(levels, index.ids, ~foreign)

    def pool(pos: int) -> np.ndarray:
        mask = foreign & (index.kind == index.kind[pos])
        mask[index.neighbours[pos]] = False
        return mask

    lists = diversity.scored_lists(cities.tolist(), amity.rank, pool)
    if not lists:
        return np.zeros(index.size), {"lists": 0}
    result = diversity.balance(lists, index.size)
    return result.penalty, result.as_dict()


def evaluate(
    snapshot: Snapshot,
    *,
    seed: int = 0,
    progress: Progress = silent,
    extra: Sequence[PlaceInfo] = (),
    levels: dict[int, str | None] | None = None,
    splits: Sequence[str] = SPLITS,
    min_dated: int = MIN_DATED,
    every: int = 1,
) -> dict:
    """The kept and free random hold-outs and the temporal one where signing dates allow it
    (at least `min_dated` pairs with a signing year; the report says how many there are).

    kept: a pair is hidden only while both its places keep another partner; free: drawn freely,
    so some hidden pairs leave a place with no partner (a cold start). `extra`: the registry's
    places without a partnership (`candidates.registry_places`), candidates like any other.
    """
    unknown = set(splits) - set(SPLITS)
    if unknown:
        raise InvalidInput(f"Unknown split: {', '.join(sorted(unknown))}",
                           {"splits": sorted(unknown), "allowed": list(SPLITS)})  # fmt: skip
    report: dict = {
        "protocol": {
            "holdout": HOLDOUT, "k": K, "seed": seed, "methods": list(METHODS),
            "pools": list(POOLS), "slices": list(SLICES), "min_population": MIN_POPULATION,
            "every": every,
        },  # fmt: skip
        "splits": {},
    }
    for name in splits:
        if name == "temporal":
            dated = sum(1 for p in snapshot.pairs if p.established_year)
            dates = {"pairs": len(snapshot.pairs), "dated_pairs": dated, "min_dated": min_dated}
            temporal = temporal_split(snapshot, min_dated=min_dated)
            report["splits"][name] = (
                evaluate_split(snapshot, temporal, seed=seed, progress=progress, extra=extra,
                               levels=levels, every=every) | dates
                if temporal
                else {"skipped": _why_no_temporal_split(dated, len(snapshot.pairs), min_dated)}
                | dates
            )  # fmt: skip
            continue
        keep = name == "kept"
        split = random_split(snapshot, seed=seed, keep_places=keep)
        if not split.test:
            # Nothing hidden, nothing to measure: say so rather than fail inside the metrics.
            raise InvalidInput(
                f"Too few pairs to evaluate: {len(snapshot.pairs):,} pairs, and none can be hidden"
                + (" while every place keeps a partner." if keep else "."),
                {"pairs": len(snapshot.pairs), "split": name},
            )
        report["splits"][name] = evaluate_split(
            snapshot, split, seed=seed, progress=progress, extra=extra, levels=levels, every=every
        )
    return report


def summary(reports: Sequence[dict]) -> dict:
    """The mean over seeds of each split's china and all-pairs figures, and the targets:
    china hits@10 at least 1.25x the best baseline's with AUC on network places at least 0.90;
    diversity: no place in more than 5% of the lists, hits@10 losing at most 10% to it."""
    out: dict = {"seeds": [r["protocol"]["seed"] for r in reports], "splits": {}}
    for name in SPLITS:
        runs = [r["splits"][name] for r in reports if "slices" in r["splits"].get(name, {})]
        if not runs:
            continue

        slices = {
            slice_name: {
                method: {
                    pool: {key: _mean(runs, slice_name, method, pool, key) for key in METRIC_KEYS}
                    for pool in POOLS
                }
                for method in runs[0]["slices"][slice_name]["metrics"]
            }
            for slice_name in SLICES
        }
        china = slices["china"]
        targets = {}
        for pool in POOLS:
            amity, diverse = china["amity"][pool], china[DIVERSE][pool]
            best_name = max(BASELINES, key=lambda m, p=pool: china[m][p]["hits_at_10"] or 0.0)
            best = china[best_name][pool]["hits_at_10"] or 0.0
            targets[pool] = {
                "best_baseline": best_name,
                "ratio_to_best_baseline": round(amity["hits_at_10"] / best, 3) if best else None,
                "diverse_ratio_to_best_baseline": (
                    round(diverse["hits_at_10"] / best, 3) if best else None
                ),
                "hits_lost_to_diversity": (
                    round(1 - diverse["hits_at_10"] / amity["hits_at_10"], 3)
                    if amity["hits_at_10"] else None
                ),
            }
        network_auc = china["amity"]["network"]["auc"]
        shares = [run["slices"]["china"]["diversity"].get("max_share_after") for run in runs]
        out["splits"][name] = {
            "slices": slices,
            "targets": {
                "by_pool": targets,
                "china_hits_ratio_at_least_1_25": all(
                    (t["ratio_to_best_baseline"] or 0) >= 1.25 for t in targets.values()
                ),
                "china_network_auc_at_least_0_90": (network_auc or 0) >= 0.90,
                "diversity_max_share_after": max((s for s in shares if s is not None),
                                                 default=None),  # fmt: skip
                "diversity_max_share_at_most_5pct": all(
                    s is not None and s <= diversity.SHARE for s in shares
                ),
                "diversity_hits_loss_at_most_10pct": all(
                    (t["hits_lost_to_diversity"] or 0) <= 0.10 for t in targets.values()
                ),
            },
        }
    return out


def _mean(runs: Sequence[dict], slice_name: str, method: str, pool: str, key: str) -> float | None:
    values = [run["slices"][slice_name]["metrics"][method][pool][key] for run in runs]
    known = [v for v in values if v is not None]
    return round(float(np.mean(known)), 4) if known else None


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

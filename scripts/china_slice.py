"""The China slice of the evaluation for a few learning settings, on test or validation pairs.

    AMITY_DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/python scripts/china_slice.py \\
        [--seed 0 --seed 1 --seed 2] [--network 0 --network 8 ...] [--validation]

For each seed: the China slice of `amity recommend-eval --split kept --every 20`, by its own
code (amity.matching.evaluate.evaluate_split), with Amity's weights learned with `--network N`
places with a partner among each tie's negatives (amity.matching.logit.NETWORK): per-query AUC,
hits@10 and MRR in the network and all-places pools, for Amity, Amity with the diversity
re-ranking and Adamic–Adar.

--validation: the same, one level down: the seed's training pairs are split again (kept, seed
+ 100), the weights learned on that inner training set and the inner hidden pairs ranked. The
test pairs are not read at all: this is how a setting is chosen without looking at them.
Prints one JSON line per setting with the means over the seeds.

--reachable: instead, per seed, the share of the China slice's hidden partners that the live
one-partner rule would still offer their Chinese place (amity.matching.levels: not already paired
with a home place in the slot the pair would fill, in the training network), with Hong Kong,
Macao and Taiwan filling slots as the live rule has it, and with mainland partners only.

--ratios: instead, how much smaller than the Chinese place its partners abroad are (the size
features' reason, amity.matching.features.SMALLER_BY): quartiles of the population ratio over the
registry's mainland-abroad pairs with both populations known.
"""

from __future__ import annotations

import argparse
import dataclasses
import json

import numpy as np

from amity.core.conventions import home_country, home_members
from amity.core.db import session_scope
from amity.matching import evaluate as ev
from amity.matching import logit
from amity.matching.candidates import build_index
from amity.matching.levels import filled_slots, index_levels, offered, slots
from amity.matching.service import evaluation_inputs


def china_slice(snapshot, places, levels, seed: int) -> dict:
    """The China slice of `amity recommend-eval`'s kept split of `snapshot`, by its own code
    (`evaluate_split`, the all-pairs slice on every 20th query place as in the docs' runs)."""
    split = ev.random_split(snapshot, seed=seed, keep_places=True)
    report = ev.evaluate_split(snapshot, split, seed=seed, extra=places, levels=levels, every=20)
    china = report["slices"]["china"]
    return {f"{method}/{pool}": figures | {"pairs": china["pairs"][pool]}
            for method, by_pool in china["metrics"].items()
            for pool, figures in by_pool.items()}  # fmt: skip


def _sides(index) -> tuple[np.ndarray, np.ndarray]:
    """Which places are abroad (outside the home country and its members), which mainland."""
    home = [index.country_pos[c] for c in home_members() if c in index.country_pos]
    return ~np.isin(index.country, home), index.country == index.country_pos.get(home_country(), -1)


def reachable(snapshot, places, admin_levels, seed: int) -> dict:
    """The share of the China slice's hidden partners the one-partner rule would still offer."""
    split = ev.random_split(snapshot, seed=seed, keep_places=True)
    index = build_index(snapshot, pairs=split.train, extra=places)
    foreign, mainland = _sides(index)
    level = index_levels(index, admin_levels)
    out = {}
    for name, fills in (("home_members_fill", ~foreign), ("mainland_fills", mainland)):
        filled = filled_slots(index, level, fills)
        kept = []
        for a, b in split.test:
            u, v = index.pos[a], index.pos[b]
            if mainland[v] and foreign[u]:
                u, v = v, u
            if mainland[u] and foreign[v]:
                slot = slots(int(level[u]), int(level[v]))
                kept.append(bool(offered(int(level[u]), level[[v]])[0] and not filled[slot, v]))
        out[name] = round(float(np.mean(kept)), 4) if kept else None
        out["pairs"] = len(kept)
    return out


def size_ratios(snapshot, places) -> dict:
    """Quartiles of (Chinese place's population / its partner's abroad), mainland-abroad pairs."""
    index = build_index(snapshot, extra=places)
    foreign, mainland = _sides(index)
    edges = np.array(index.edges, dtype=np.int64)
    a, b = edges[:, 0], edges[:, 1]
    crossing = (mainland[a] & foreign[b]) | (mainland[b] & foreign[a])
    ours = np.where(mainland[a], a, b)[crossing]
    theirs = np.where(mainland[a], b, a)[crossing]
    gap = index.log_population[ours] - index.log_population[theirs]
    known = gap[~np.isnan(gap)]
    quartiles = np.quantile(known, [0.25, 0.5, 0.75])
    return {"pairs": int(crossing.sum()), "with_both_populations": len(known),
            "ratio_quartiles": [round(float(10**q), 1) for q in quartiles]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, action="append")
    parser.add_argument("--network", type=int, action="append")
    parser.add_argument("--validation", action="store_true")
    parser.add_argument("--ratios", action="store_true")
    parser.add_argument("--reachable", action="store_true")
    args = parser.parse_args()
    seeds = args.seed or [0, 1, 2]
    with session_scope() as session:
        snapshot, places, levels = evaluation_inputs(session)
    if args.reachable:
        for seed in seeds:
            print(json.dumps({"seed": seed, **reachable(snapshot, places, levels, seed)}))
        return
    if args.ratios:
        print(json.dumps(size_ratios(snapshot, places)))
        return
    runs: dict[int, list[dict]] = {n: [] for n in args.network or [logit.NETWORK]}
    for seed in seeds:
        data, inner_seed = snapshot, seed
        if args.validation:
            train = set(ev.random_split(snapshot, seed=seed, keep_places=True).train)
            kept = [p for p in snapshot.pairs if (p.a, p.b) in train]
            data, inner_seed = dataclasses.replace(snapshot, pairs=kept), seed + 100
        for n in runs:
            logit.NETWORK = n
            runs[n].append(china_slice(data, places, levels, inner_seed))
    for n, results in runs.items():
        def mean(key: str, metric: str, results=results) -> float:
            return round(float(np.mean([r[key][metric] for r in results])), 4)

        print(json.dumps({
            "network": n, "seeds": seeds, "validation": args.validation,
            **{f"{m}_{p}_{k}": mean(f"{m}/{p}", k) for m in ("amity", ev.DIVERSE, "adamic_adar")
               for p in ev.POOLS for k in ("auc", "hits_at_10", "mrr")},
            "per_seed_amity_network_auc": [r["amity/network"]["auc"] for r in results],
            "pairs_network": [r["amity/network"]["pairs"] for r in results],
        }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()

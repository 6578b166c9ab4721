"""The China slice of the evaluation for a few learning settings, on test or validation pairs.

    AMITY_DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/python scripts/china_slice.py \\
        [--seed 0 --seed 1 --seed 2] [--network 0 --network 8 ...] [--validation]

For each seed: the kept split of `amity recommend-eval` (amity.matching.evaluate.random_split),
the index built on its training pairs, Amity's weights learned with `--network N` places with a
partner among each tie's negatives (amity.matching.logit.NETWORK), and each hidden pair with one
end in mainland China ranked from the Chinese end among foreign candidates of the partner's kind:
per-query AUC, hits@10 and MRR in the network and all-places pools, with Adamic–Adar beside it
(recommend-eval's figures for that slice, without the other baselines or the diversity step).

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
from amity.matching.features import against_all, country_shares, query_at
from amity.matching.levels import filled_slots, index_levels, offered, slots
from amity.matching.service import evaluation_inputs


def china_slice(snapshot, places, seed: int) -> dict:
    """Amity and Adamic–Adar on the China slice of the kept split of `snapshot`."""
    split = ev.random_split(snapshot, seed=seed, keep_places=True)
    index = build_index(snapshot, pairs=split.train, extra=places)
    hidden: dict[int, set[int]] = {}
    for a, b in split.test:
        hidden.setdefault(index.pos[a], set()).add(index.pos[b])
        hidden.setdefault(index.pos[b], set()).add(index.pos[a])
    model = logit.learn(index, seed=seed)
    shares = country_shares(index)
    weights = index.adamic_adar_weights()
    home = [index.country_pos[c] for c in home_members() if c in index.country_pos]
    foreign = ~np.isin(index.country, home)
    mainland = index.country == index.country_pos.get(home_country(), -1)
    pools = ev.pools(index)
    sums = {(p, m): ev._Sums() for p in ev.POOLS for m in ("amity", "adamic_adar")}
    jitter = np.random.default_rng(seed + 2)
    for pos in sorted(hidden):
        if not (mainland[pos] and foreign[list(hidden[pos])].any()):
            continue
        base = np.ones(index.size, dtype=bool)
        base[pos] = False
        base[index.neighbours[pos]] = False
        base[list(hidden[pos])] = False
        noise = jitter.random(index.size) * 1e-9
        features = against_all(index, query_at(index, pos), shares)
        scores = {"amity": model.for_country(int(index.country[pos])).logits(features) + noise}
        adamic = np.zeros(index.size)
        for n in index.neighbours[pos]:
            adamic[index.neighbours[n]] += weights[n]
        scores["adamic_adar"] = adamic + noise
        for v in hidden[pos]:
            if not foreign[v]:
                continue
            for name, pool in pools.items():
                if pool[v]:
                    negatives = ev.rivals(index, base, v, pool) & foreign
                    for method, values in scores.items():
                        sums[(name, method)].add(values, negatives, v)
    return {f"{m}/{p}": s.report() | {"pairs": s.pairs} for (p, m), s in sums.items()}


def reachable(snapshot, places, admin_levels, seed: int) -> dict:
    """The share of the China slice's hidden partners the one-partner rule would still offer."""
    split = ev.random_split(snapshot, seed=seed, keep_places=True)
    index = build_index(snapshot, pairs=split.train, extra=places)
    home = [index.country_pos[c] for c in home_members() if c in index.country_pos]
    foreign = ~np.isin(index.country, home)
    mainland = index.country == index.country_pos.get(home_country(), -1)
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
    home = [index.country_pos[c] for c in home_members() if c in index.country_pos]
    foreign = ~np.isin(index.country, home)
    mainland = index.country == index.country_pos.get(home_country(), -1)
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
            runs[n].append(china_slice(data, places, inner_seed))
    for n, results in runs.items():
        def mean(key: str, metric: str, results=results) -> float:
            return round(float(np.mean([r[key][metric] for r in results])), 4)

        print(json.dumps({
            "network": n, "seeds": seeds, "validation": args.validation,
            **{f"{m}_{p}_{k}": mean(f"{m}/{p}", k) for m in ("amity", "adamic_adar")
               for p in ev.POOLS for k in ("auc", "hits_at_10", "mrr")},
            "per_seed_amity_network_auc": [r["amity/network"]["auc"] for r in results],
            "pairs_network": [r["amity/network"]["pairs"] for r in results],
        }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()

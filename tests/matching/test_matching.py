"""Matchmaking: metrics on a known answer, the optimiser against brute force, splits, profiles."""

import itertools
import random
from collections import defaultdict

import numpy as np
import pytest

from amity.analytics.snapshot import CountryInfo, PairInfo, PlaceInfo, Snapshot
from amity.matching.candidates import build_index, latitude_band, latitude_bands
from amity.matching.coast import _coastal_flags_by_product, coastal_flags
from amity.matching.evaluate import (
    _Sums,
    evaluate_split,
    random_split,
    scorers,
    temporal_split,
)
from amity.matching.features import (
    NAMES,
    against_all,
    assemble,
    country_shares,
    for_pairs,
    paths_of_three,
    paths_of_three_pairs,
    query_at,
)
from amity.matching.profiles import overlap
from amity.matching.solver import choose


def test_metrics_of_a_known_ranking():
    # Candidates 0..5 (5 is the query's training partner, not among the negatives).
    scores = np.array([0.9, 0.8, 0.7, 0.1, 0.5, 0.95])
    negatives = np.array([True, False, True, False, True, False])  # 0, 2 and 4
    sums = _Sums()
    sums.add(scores, negatives, 1)  # beaten by 0: rank 2, AUC 2/3
    sums.add(scores, negatives, 3)  # beaten by all three: rank 4, AUC 0
    report = sums.report()
    assert report["auc"] == pytest.approx(round((2 / 3 + 0) / 2, 4))
    assert report["mrr"] == pytest.approx(round((1 / 2 + 1 / 4) / 2, 4))
    assert report["hits_at_10"] == 1.0 and sums.pairs == 2 and sums.negatives == 6
    assert _Sums().report() == {"auc": None, "hits_at_10": None, "mrr": None}


def _brute_force(values, ends, n, limits):
    best = 0.0
    for size in range(n + 1):
        for subset in itertools.combinations(range(len(values)), size):
            used = defaultdict(int)
            for i in subset:
                for end in ends[i]:
                    used[end] += 1
            if all(used[e] <= limits.get(e, 1) for e in used):
                best = max(best, sum(values[i] for i in subset))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_optimiser_matches_brute_force(seed):
    rng = random.Random(seed)
    values = [rng.uniform(-1, 5) for _ in range(9)]
    ends = [(-rng.randint(1, 3), rng.randint(1, 4)) for _ in range(9)]
    limits = {e: 2 if e < 0 else 1 for pair in ends for e in pair}
    choice = choose(values, ends, 3, limits)
    assert choice.method.startswith("integer-programme")
    assert choice.value == pytest.approx(_brute_force(values, ends, 3, limits))


def _snapshot(dated: bool = False) -> Snapshot:
    countries = {c: CountryInfo(c, c, None, "Europe", None, None, None) for c in ("FR", "DE", "CN")}
    coords = [(48.8, 2.3), (50.0, 8.0), (45.0, 5.0), (52.5, 13.4), (31.2, 121.5), (34.3, 108.9)]
    codes = ["FR", "DE", "FR", "DE", "CN", "CN"]
    places = {
        i + 1: PlaceInfo(i + 1, "city", f"P{i + 1}", None, codes[i], None, None, None,
                         None, lat, lon, 100_000 * (i + 1))
        for i, (lat, lon) in enumerate(coords)
    }  # fmt: skip
    edges = [(1, 2), (1, 4), (3, 2), (3, 4), (2, 5), (4, 6), (1, 5), (3, 6), (5, 6), (2, 6)]
    pairs = [
        PairInfo(i + 1, a, b, "sister_city", "city_city", "active", None,
                 (1990 + i) if dated else None, "test")
        for i, (a, b) in enumerate(edges)
    ]  # fmt: skip
    return Snapshot(countries, places, pairs)


def test_features_for_one_place_equal_features_for_pairs():
    index = build_index(_snapshot())
    shares = country_shares(index)
    all_rows = against_all(index, query_at(index, 0), shares)
    vs = np.arange(index.size)
    pair_rows = for_pairs(
        index, np.zeros(index.size, dtype=np.int64), vs,
        removed=np.full(index.size, -1), shares=shares,
    )  # fmt: skip
    assert all_rows.shape == (index.size, len(NAMES))
    # Compared on the candidates proper: not the place itself nor its partners.
    others = np.setdiff1d(np.arange(1, index.size), index.neighbours[0])
    np.testing.assert_allclose(all_rows[others], pair_rows[others], atol=1e-9)
    # P1 and P3 share partners P2 and P4 (and P1 has P5): two common neighbours.
    assert all_rows[2, NAMES.index("common_neighbours")] == pytest.approx(np.log1p(2))


def test_temporal_split_on_a_dated_graph_and_skipped_without_dates():
    assert temporal_split(_snapshot(dated=False), min_dated=5) is None
    split = temporal_split(_snapshot(dated=True), min_dated=5)
    assert split is not None
    assert len(split.test) == 1 and split.test == [(2, 6)]
    report = evaluate_split(_snapshot(dated=True), split, seed=0)
    assert report["test_pairs"] == 1
    assert set(report["slices"]["all_pairs"]["metrics"]) >= {"amity", "adamic_adar", "random"}


def test_random_split_hides_a_tenth_and_is_seeded():
    snap = _snapshot()
    first, again = random_split(snap, seed=3), random_split(snap, seed=3)
    assert first.test == again.test and len(first.test) == 1 and len(first.train) == 9
    assert sorted(first.train + first.test) == sorted((p.a, p.b) for p in snap.pairs)


def _star_and_ring(n: int = 12) -> Snapshot:
    """A ring of n places (each with two partners) plus n leaves hanging on the ring, one each."""
    countries = {"FR": CountryInfo("FR", "FR", None, "Europe", None, None, None)}
    places = {
        i: PlaceInfo(i, "city", f"P{i}", None, "FR", None, None, None, None, 45.0, i / 10, None)
        for i in range(1, 2 * n + 1)
    }  # fmt: skip
    edges = [(i, i % n + 1) for i in range(1, n + 1)] + [(i, n + i) for i in range(1, n + 1)]
    pairs = [PairInfo(k, a, b, "sister_city", "city_city", "active", None, None, "test")
             for k, (a, b) in enumerate(edges)]  # fmt: skip
    return Snapshot(countries, places, pairs)


@pytest.mark.parametrize("seed", range(5))
def test_the_default_split_keeps_every_place_in_the_network(seed):
    snap = _star_and_ring()
    split = random_split(snap, seed=seed, fraction=0.25)
    assert len(split.test) == 6 and "every place keeping a partner" in split.description
    kept = {place for pair in split.train for place in pair}
    assert kept == set(snap.places)  # no place lost its last partner
    # Leaves have one partner: their pair is never hidden, so only ring pairs are.
    assert all(a <= 12 and b <= 12 for a, b in split.test)
    # The free draw may leave places alone, and is seeded too.
    free = [random_split(snap, seed=s, fraction=0.25, keep_places=False) for s in range(20)]
    assert any({p for pair in f.train for p in pair} != set(snap.places) for f in free)
    assert random_split(snap, seed=1, keep_places=False).test == random_split(
        snap, seed=1, keep_places=False).test  # fmt: skip


def test_the_split_stops_short_when_no_pair_can_be_hidden():
    snap = _star_and_ring()
    split = random_split(snap, seed=0, fraction=0.9)
    # 22 pairs wanted; a ring place (two ring partners and its leaf) can give up both ring pairs,
    # a leaf none: at most the 12 ring pairs can go, and they all do.
    assert len(split.test) == 12 and split.description.startswith("50% of pairs hidden")
    assert {p for pair in split.train for p in pair} == set(snap.places)


def test_latitude_bands_and_profile_overlap():
    assert [latitude_band(x) for x in (10, -30, 45, 60, 80, None)] == [0, 1, 2, 3, 4, -1]
    a = {"industries": ["Apples"], "needs": ["cold chain"], "offers": ["tourism"], "fields": []}
    b = {"industries": ["apples"], "needs": ["Tourism"], "offers": ["Cold chain"], "fields": []}
    assert overlap(a, b) == ["apples", "cold chain", "tourism"]


def test_pair_scores_equal_the_ranking_scores_of_non_partners():
    # The global AUC scores its random pairs directly; they must match what a query would see.
    index = build_index(_snapshot())
    methods = scorers(index, seed=0)
    u = 1
    others = np.setdiff1d(np.arange(index.size), np.append(index.neighbours[u], u))
    us = np.full(len(others), u)
    for name, method in methods.items():
        if name != "random":
            np.testing.assert_allclose(method.pairs(us, others), method.rank(u)[others], atol=1e-9)


def test_pair_features_with_a_tie_undone_equal_the_network_without_it():
    # Training rows see the network without the positive's tie: P1-P2 undone, P1 against P3.
    snap = _snapshot()
    full = build_index(snap)
    without = build_index(snap, pairs=[(p.a, p.b) for p in snap.pairs if (p.a, p.b) != (1, 2)])
    u, v, w = full.pos[1], full.pos[2], full.pos[3]
    rows = for_pairs(full, np.array([u, u]), np.array([v, w]), removed=np.array([v, v]),
                     shares=country_shares(full))  # fmt: skip
    expected = against_all(without, query_at(without, u), country_shares(without))[[v, w]]
    # The countries' friends-of-friends weights stay those of the full network (an approximation).
    same = [i for i, name in enumerate(NAMES) if name != "country_neighbours"]
    np.testing.assert_allclose(rows[:, same], expected[:, same], atol=1e-9)
    assert rows[1, NAMES.index("common_neighbours")] == pytest.approx(np.log1p(1))  # P4 only


def _path_graph() -> tuple[Snapshot, PlaceInfo]:
    # 1 - 2 - 3 - 4, with 5 on 2 and 6 on 3: degrees 1, 3, 3, 1, 1, 1.
    countries = {c: CountryInfo(c, c, None, "Europe", None, None, None) for c in ("FR", "DE")}
    places = {
        i: PlaceInfo(i, "city", f"P{i}", None, "FR" if i % 2 else "DE", None, None, None, None,
                     45.0 + i, 5.0 + i, 10_000 * i)
        for i in range(1, 8)
    }  # fmt: skip
    # 7 is a registry place without a partnership: a candidate, not in the network.
    edges = [(1, 2), (2, 3), (3, 4), (2, 5), (3, 6)]
    pairs = [
        PairInfo(i + 1, a, b, "sister_city", "city_city", "active", None, None, "test")
        for i, (a, b) in enumerate(edges)
    ]
    return Snapshot(countries, {i: p for i, p in places.items() if i < 7}, pairs), places[7]


def test_paths_of_three_by_hand():
    snap, lonely = _path_graph()
    index = build_index(snap, extra=[lonely])
    assert index.size == 7 and index.degree[index.pos[7]] == 0
    p = index.pos
    l3 = paths_of_three(index, index.neighbours[p[1]])
    # 1-2-3-4 and 1-2-3-6: 1/sqrt(k2 k3) = 1/3 each; no path of three reaches 3, 5 or 7.
    assert l3[p[4]] == pytest.approx(1 / 3) and l3[p[6]] == pytest.approx(1 / 3)
    assert l3[p[3]] == l3[p[5]] == l3[p[7]] == 0.0
    row = against_all(index, query_at(index, p[1]), country_shares(index))[p[4]]
    assert row[NAMES.index("paths_of_three")] == pytest.approx(np.log1p(1 / 3))
    # With the tie 3-4 undone, 3 has degree 2: L3(1, 6) = 1/sqrt(3 x 2), L3(1, 4) = 0.
    without = build_index(snap, pairs=[(1, 2), (2, 3), (2, 5), (3, 6)], extra=[lonely])
    l3_without = paths_of_three(without, without.neighbours[p[1]])
    assert l3_without[p[6]] == pytest.approx(1 / np.sqrt(6)) and l3_without[p[4]] == 0.0
    # The pair path undoing (3, 4) from 3's side, and from 4's, equals that network.
    rows = paths_of_three_pairs(index, np.array([p[3], p[3]]), np.array([p[4], p[5]]),
                                np.array([p[4], p[4]]))  # fmt: skip
    expected = paths_of_three(without, without.neighbours[p[3]])[[p[4], p[5]]]
    np.testing.assert_allclose(rows, expected, atol=1e-12)
    one = paths_of_three_pairs(index, np.array([p[1]]), np.array([p[6]]), np.array([-1]))
    assert one[0] == pytest.approx(1 / 3)


def test_evaluation_ranks_among_registry_places_without_partners():
    snap, lonely = _path_graph()
    split = random_split(snap, seed=0, fraction=0.2)
    network = evaluate_split(snap, split, seed=0)
    registry = evaluate_split(snap, split, seed=0, extra=[lonely])
    assert network["candidates"]["registry"] == 6 and registry["candidates"]["registry"] == 7
    assert registry["slices"].keys() == network["slices"].keys()


def _two_continents() -> Snapshot:
    snap = _snapshot()
    countries = dict(snap.countries)
    countries["CN"] = CountryInfo("CN", "CN", None, "Asia", None, None, None)
    return Snapshot(countries, snap.places, snap.pairs)


def test_weights_are_learned_per_continent_of_the_query(monkeypatch):
    from amity.matching import logit as model_module

    index = build_index(_two_continents())
    monkeypatch.setattr(model_module, "MIN_GROUPS", 1)
    monkeypatch.setattr(model_module, "HOME_SEGMENT", False)  # China as one of Asia's places
    segmented = model_module.learn(index, seed=0)
    assert set(segmented.models) == {"europe", "asia"}
    france, china = index.country_pos["FR"], index.country_pos["CN"]
    assert segmented.for_country(france) is segmented.models["europe"]
    assert segmented.for_country(china) is segmented.models["asia"]
    assert not np.allclose(segmented.models["europe"].weights, segmented.models["asia"].weights)
    # Pair rows are scored with the weights of their query's continent.
    shares = country_shares(index)
    us, vs = np.array([0, 4]), np.array([5, 1])  # P1 (France) - P6, P5 (China) - P2
    rows = for_pairs(index, us, vs, removed=np.full(2, -1), shares=shares)
    expected = [segmented.for_country(int(index.country[u])).logits(rows[[i]])[0]
                for i, u in enumerate(us)]  # fmt: skip
    np.testing.assert_allclose(segmented.pair_logits(rows, index.country[us]), expected)
    # A continent with too few ties uses the weights learned on all of them.
    monkeypatch.setattr(model_module, "MIN_GROUPS", 10_000)
    pooled = model_module.learn(index, seed=0)
    assert pooled.models["europe"] is pooled.models["asia"]


def test_a_recommendation_names_the_weights_that_scored_it(monkeypatch):
    from amity.matching import logit as model_module

    index = build_index(_two_continents())
    monkeypatch.setattr(model_module, "MIN_GROUPS", 1)
    segmented = model_module.learn(index, seed=0)
    china = segmented.describe(index.country_pos["CN"])
    # Ties of a Chinese place with a foreign one: P2-P5, P4-P6, P1-P5, P3-P6, P2-P6 (P5-P6, both
    # Chinese, is no lesson for a list of foreign places).
    assert china["segment"] == "home" and china["ties"] == 5
    assert china["en"] == (
        "Weights learned from the 5 partnerships of places in mainland China with places abroad."
    )
    assert china["zh"] == "权重学自中国大陆城市与外国城市的 5 对友城关系。"
    monkeypatch.setattr(model_module, "MIN_GROUPS", 10_000)
    pooled = model_module.learn(index, seed=0).describe(index.country_pos["FR"])
    assert pooled["ties"] == 10 and "all places" in pooled["en"] and "所有城市" in pooled["zh"]


def test_home_places_have_weights_of_their_own_learned_from_their_foreign_partners(monkeypatch):
    from amity.matching import logit as model_module

    index = build_index(_two_continents())
    monkeypatch.setattr(model_module, "MIN_GROUPS", 1)
    segmented = model_module.learn(index, seed=0)
    assert set(segmented.models) == {"europe", "home"}
    china, france = index.country_pos["CN"], index.country_pos["FR"]
    assert segmented.for_country(china) is segmented.models["home"]
    assert segmented.for_country(france) is segmented.models["europe"]
    # One group per foreign partnership seen from its Chinese end, none for P5-P6.
    assert segmented.models["home"].positives == 5
    # Each is contrasted with foreign places only: the home model never saw same_country = 1.
    monkeypatch.setattr(model_module, "fit", lambda x, ignore: (x, ignore))
    rows, ignored = model_module.learn(index, seed=0).models[model_module.HOME]
    same_country = rows[:, :, NAMES.index("same_country")]
    assert (same_country[~ignored] == 0).all() and (~ignored[:, 1:]).any()


def test_the_fits_moments_by_blocks_equal_their_definition(monkeypatch):
    from amity.matching import logit as model_module

    rng = np.random.default_rng(3)
    z = rng.normal(size=(50, 7, 5))
    p = rng.random((50, 7))
    p[:, 3] = 0.0  # an ignored row weighs nothing
    p /= p.sum(axis=1, keepdims=True)
    monkeypatch.setattr(model_module, "CHUNK", 16)  # blocks of 16, 16, 16 and 2 groups
    mean, second = model_module._moments(p, z)
    assert np.allclose(mean, np.einsum("gk,gkf->gf", p, z))
    assert np.allclose(second, np.einsum("gk,gkf,gkh->fh", p, z, z))


def test_each_tie_is_contrasted_with_places_that_have_a_partner(monkeypatch):
    from amity.matching import logit as model_module

    # Thirty registry places without a partner beside the network's: the random draws land
    # on them often, the network draws never.
    lonely = [PlaceInfo(1000 + i, "city", f"Town {i}", None, "FR", None, None, None, None,
                        45.0, float(i) / 10, 20_000) for i in range(30)]  # fmt: skip
    index = build_index(_two_continents(), extra=lonely)
    monkeypatch.setattr(model_module, "NETWORK", 6)
    vs = np.arange(index.size).repeat(20)
    drawn = model_module._negatives(index, vs, np.random.default_rng(0))
    first = model_module.UNIFORM + model_module.SAME_COUNTRY + model_module.BY_DEGREE
    assert drawn.shape == (len(vs), first + 6)
    assert (index.degree[drawn[:, first:]] > 0).all()
    assert (index.degree[drawn[:, :model_module.UNIFORM]] == 0).any()  # the random ones may not


def test_the_size_features_say_how_much_smaller_the_candidate_is():
    # Populations 10^6.5 and 10^5: the candidate is 31.6 times smaller, beyond 3x by log10 1.0,
    # beyond 10x by 0.5, beyond 30x by 0.0; a larger or unknown candidate is beyond none.
    n = 3
    rows = assemble(**{
        "distance": np.full(n, 100.0), "population_query": np.full(n, 6.5),
        "population_candidate": np.array([5.0, 7.0, np.nan]),
        **{k: np.zeros(n) for k in (
            "region_pairs", "partner_in_region", "candidate_in_region", "near_partner",
            "near_partner_back", "partners_near", "partners_near_back", "country_pairs",
            "partner_in_country", "candidate_in_country", "country_neighbours", "country_share",
            "candidate_share", "same_country", "common", "adamic", "l3", "degree_query",
            "degree_candidate", "same_level", "band_query", "band_candidate", "coastal_query",
            "coastal_candidate", "same_name")},
    })  # fmt: skip
    beyond = rows[:, [NAMES.index(f"smaller_beyond_{x}x") for x in (3, 10, 30)]]
    assert np.allclose(beyond, [[1.0, 0.5, 0.0], [0, 0, 0], [0, 0, 0]])


def test_the_evaluation_runs_the_temporal_split_when_dates_exist_and_says_why_not():
    from amity.matching.evaluate import evaluate

    dated = evaluate(_snapshot(dated=True), seed=0, min_dated=5)["splits"]["temporal"]
    assert "skipped" not in dated and dated["test_pairs"] == 1
    assert (dated["dated_pairs"], dated["min_dated"]) == (len(_snapshot().pairs), 5)
    undated = evaluate(_snapshot(dated=False), seed=0)["splits"]["temporal"]
    total = len(_snapshot().pairs)
    assert undated["skipped"] == (
        f"too few pairs carry a signing year: 0 of {total}, and the temporal split needs at "
        "least 100 (import dated tables, or lower --min-dated)"
    )


def test_the_evaluation_of_a_registry_too_small_to_hide_a_pair_says_so():
    from amity.core.errors import InvalidInput
    from amity.matching.evaluate import evaluate

    snap = _snapshot()
    # Two separate pairs: hiding either would leave its places without a partner.
    tiny = Snapshot(snap.countries, snap.places, [snap.pairs[0], snap.pairs[8]])
    with pytest.raises(InvalidInput, match="none can be hidden while every place keeps a partner"):
        evaluate(tiny, seed=0)


def test_coastal_flags_by_tree_are_those_by_brute_force():
    rng = np.random.default_rng(5)
    lat = np.concatenate([rng.uniform(-70, 75, 3000), [np.nan, 0.0]])
    lon = np.concatenate([rng.uniform(-180, 180, 3000), [10.0, np.nan]])
    tree = coastal_flags(lat, lon)
    assert (tree == _coastal_flags_by_product(lat, lon)).all()
    assert 0 < tree.sum() < len(lat) and not tree[-2:].any()


def test_latitude_bands_of_an_array_are_each_latitudes_band():
    lat = np.array([10, -30, 45, 60, 80, np.nan, 23.5, -66.5])
    expected = [latitude_band(None if np.isnan(x) else x) for x in lat]
    assert latitude_bands(lat).tolist() == expected

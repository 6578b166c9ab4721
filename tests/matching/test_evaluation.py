"""The honest evaluation (level-true candidates, no registry-only marker, the slices reported) and
the diversity re-ranking's bound, in the evaluation and in the live recommendations."""

from __future__ import annotations

import numpy as np
from sqlalchemy.engine import Engine

from amity.analytics.snapshot import CountryInfo, PairInfo, PlaceInfo, Snapshot
from amity.core import cache
from amity.core.db import session_scope
from amity.matching import diversity
from amity.matching.candidates import build_index
from amity.matching.evaluate import (
    DIVERSE,
    METHODS,
    METRIC_KEYS,
    POOLS,
    SLICES,
    Split,
    evaluate,
    evaluate_split,
    leak_check,
    marked,
    pools,
    random_split,
    rivals,
    summary,
)
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place

CHINESE, FOREIGN, LONELY, CREATED = 30, 30, 30, 20


def _registry() -> tuple[Snapshot, list[PlaceInfo], dict[int, str]]:
    """Chinese prefecture cities and provinces, foreign gazetteer cities (half of them without a
    partner) and places created for a pair only (no population, no region), as the demo load
    makes them; the network, the places without a partner and the levels."""
    countries = {
        "CN": CountryInfo("CN", "CN", None, "Asia", None, None, None),
        "FR": CountryInfo("FR", "FR", None, "Europe", None, None, None),
        "JP": CountryInfo("JP", "JP", None, "Asia", None, None, None),
    }
    places: dict[int, PlaceInfo] = {}
    levels: dict[int, str] = {}

    def add(kind, country, province, admin1, lat, lon, population, level=None) -> int:
        pid = len(places) + 1
        places[pid] = PlaceInfo(pid, kind, f"P{pid}", None, country, province, None, None,
                                admin1, lat, lon, population)  # fmt: skip
        if level:
            levels[pid] = level
        return pid

    chinese = [add("city", "CN", "610000", None, 25 + i / 2, 100 + i / 2, 2_000_000 + 10_000 * i,
                   "prefecture_city") for i in range(CHINESE)]  # fmt: skip
    provinces = [add("province", "CN", "610000", None, 34, 109 + i, None, "province")
                 for i in range(3)]  # fmt: skip
    foreign = [add("city", "FR" if i % 2 else "JP", None, "01", 40 + i / 3, i / 3 + (0 if i % 2
                   else 130), 50_000 + 5_000 * i) for i in range(FOREIGN)]  # fmt: skip
    states = [add("province", "FR", None, "01", 45, 3 + i, None) for i in range(3)]
    lonely = [add("city", "JP", None, "02", 36 + i / 5, 138, 40_000 + 1_000 * i)
              for i in range(LONELY)]  # fmt: skip
    created = [add("city", "FR", None, None, 47 + i / 10, 2, None) for i in range(CREATED)]
    edges = []
    for i, c in enumerate(chinese):
        edges += [(c, foreign[i % FOREIGN]), (c, foreign[(i + 7) % FOREIGN])]
    edges += [(foreign[i], foreign[(i + 1) % FOREIGN]) for i in range(FOREIGN)]
    edges += [(p, s) for p, s in zip(provinces, states, strict=True)]
    edges += [(provinces[0], states[1]), (provinces[1], states[2])]
    edges += [(c, foreign[i]) for i, c in enumerate(created)]
    pairs = [PairInfo(k, a, b, "sister_city", "city_city", "active", None, None, "test")
             for k, (a, b) in enumerate(edges)]  # fmt: skip
    network = {p for pair in edges for p in pair}
    snap = Snapshot(countries, {p: places[p] for p in network}, pairs)
    return snap, [places[p] for p in lonely], levels


def test_candidates_are_of_the_hidden_partners_kind():
    snap, lonely, _ = _registry()
    index = build_index(snap, extra=lonely)
    allowed = np.ones(index.size, dtype=bool)
    everyone = np.ones(index.size, dtype=bool)
    city = int(np.flatnonzero(index.kind == 0)[0])
    province = int(np.flatnonzero(index.kind == 1)[0])
    assert (index.kind[rivals(index, allowed, city, everyone)] == 0).all()
    assert (index.kind[rivals(index, allowed, province, everyone)] == 1).all()
    assert rivals(index, allowed, province, everyone).sum() == (index.kind == 1).sum()
    # A province's hidden partner is ranked among the other provinces and states, not 100+
    # cities: hide one province pair (each province keeps another partner).
    provinces = [pid for pid, p in snap.places.items() if p.kind == "province"]
    degree = index.degree
    pair = next((p.a, p.b) for p in snap.pairs if p.a in provinces and p.b in provinces
                and degree[index.pos[p.a]] > 1 and degree[index.pos[p.b]] > 1)  # fmt: skip
    train = [(p.a, p.b) for p in snap.pairs if (p.a, p.b) != pair]
    report = evaluate_split(snap, Split(train, [pair], "one province pair"), seed=0, extra=lonely)
    assert report["slices"]["all_pairs"]["pairs"]["network"] == 2  # from both ends
    # 6 provinces and states: the query, its partner(s) and the hidden one are no rivals.
    assert 0 < report["slices"]["all_pairs"]["mean_candidates"]["network"] <= 4


def test_no_registry_only_marker_among_the_candidates():
    snap, lonely, levels = _registry()
    # The free draw: a created place whose only pair is hidden has no partner left in training.
    split = random_split(snap, seed=1, fraction=0.3, keep_places=False)
    index = build_index(snap, pairs=split.train, extra=lonely)
    hidden = {}
    for a, b in split.test:
        hidden.setdefault(index.pos[a], set()).add(index.pos[b])
        hidden.setdefault(index.pos[b], set()).add(index.pos[a])
    leak = leak_check(index, hidden)
    # Among every registry place (the old candidates), a place without a training partner and
    # without a population is a hidden partner: the marker gives it away.
    old = leak["registry"]
    assert old["with_marker"]["candidates"] > 0 and old["with_marker"]["hidden_share"] == 1.0
    assert old["without_marker"]["hidden_share"] < 0.2
    # The pools hold no marked place, and the network pool no place without a partner.
    candidate_pools = pools(index)
    assert not (candidate_pools["all"] & marked(index)).any()
    assert (index.degree[candidate_pools["network"]] > 0).all()
    assert leak["all"]["with_marker"]["candidates"] == 0
    report = evaluate_split(snap, split, seed=0, extra=lonely, levels=levels)
    # Hidden partners that exist only through their pair are ranked in no pool of their own.
    in_all = sum(1 for p, hs in hidden.items() for v in hs if candidate_pools["all"][v])
    assert report["slices"]["all_pairs"]["pairs"]["all"] == in_all


def test_every_split_slice_pool_and_method_is_reported():
    snap, lonely, levels = _registry()
    run = evaluate(snap, seed=0, extra=lonely, levels=levels)
    assert set(run["splits"]) == {"kept", "free", "temporal"}
    assert run["splits"]["temporal"]["skipped"].startswith("too few pairs carry a signing year")
    for name in ("kept", "free"):
        split = run["splits"][name]
        assert set(split["slices"]) == set(SLICES)
        assert set(split["slices"]["all_pairs"]["metrics"]) == set(METHODS)
        assert set(split["slices"]["china"]["metrics"]) == {*METHODS, DIVERSE}
        for methods in split["slices"]["china"]["metrics"].values():
            assert set(methods) == set(POOLS) and set(methods["network"]) == set(METRIC_KEYS)
        assert split["slices"]["china"]["diversity"]["lists"] == CHINESE
    # The china slice: hidden pairs with one Chinese end, ranked from it (once per pair).
    kept = run["splits"]["kept"]
    chinese = {pid for pid, p in snap.places.items() if p.country_code == "CN"}
    split = random_split(snap, seed=0)
    expected = sum(1 for a, b in split.test if (a in chinese) != (b in chinese))
    assert kept["slices"]["china"]["pairs"]["network"] == expected > 0
    # Ranking every n-th query only keeps the China slice whole.
    fewer = evaluate_split(snap, split, seed=0, extra=lonely, levels=levels, every=4)
    assert fewer["queries"]["places"] < kept["queries"]["places"]
    assert fewer["slices"]["china"]["pairs"] == kept["slices"]["china"]["pairs"]
    assert kept["slices"]["china"]["metrics"]["amity"]["network"]["auc"] is not None
    targets = summary([run])["splits"]["kept"]["targets"]
    assert set(targets) >= {"china_hits_ratio_at_least_1_25", "china_network_auc_at_least_0_90",
                            "diversity_max_share_at_most_5pct", "by_pool"}  # fmt: skip


def _popular_lists(n_lists: int = 60, places: int = 400, seed: int = 0):
    """Shortlists where a few places score high for everyone, plus each list's own taste."""
    rng = np.random.default_rng(seed)
    pull = np.zeros(places)
    pull[:15] = 3.0
    lists = []
    for _ in range(n_lists):
        scores = pull + rng.normal(0, 1, places)
        lists.append(diversity.shortlist(scores, np.ones(places, dtype=bool), depth=100))
    return lists


def test_the_penalties_keep_every_place_within_the_share_of_lists():
    lists = _popular_lists()
    result = diversity.balance(lists, 400)
    assert result.cap == 3  # 5% of 60 lists
    assert result.max_share_before > 0.5  # the popular places top every list
    assert result.max_share_after <= diversity.SHARE
    tops = diversity.top_lists(lists, result.penalty)
    assert np.bincount(np.concatenate(tops)).max() <= result.cap
    assert (result.penalty >= 0).all() and (result.penalty[15:] == 0).sum() > 300
    # Lists that already differ are left alone.
    own = [diversity.Shortlist(np.arange(10 * i, 10 * i + 12), np.linspace(1, 0, 12))
           for i in range(30)]  # fmt: skip
    assert not diversity.balance(own, 400).penalty.any()


def _hub_network(engine: Engine, cities: int = 40, abroad: int = 800) -> list[int]:
    """Chinese prefecture cities and foreign cities, a few of which are partnered widely abroad
    (the places every Chinese city's list would start with); the Chinese cities' ids."""
    with session_scope(engine) as session:
        for iso2, continent in (("CN", "Asia"), ("FR", "Europe"), ("JP", "Asia")):
            session.add(Country(iso2=iso2, iso3=iso2 + "X", name_en=iso2, continent=continent))
        session.flush()
        home, foreign = [], []
        for i in range(cities):
            place = Place(kind="city", admin_level="prefecture_city", name=f"C{i}",
                          country_code="CN", province_code="610000", lat=25 + i / 4,
                          lon=100 + i / 4, population=1_000_000 + 10_000 * i, source="test")
            session.add(place)
            home.append(place)
        for i in range(abroad):
            place = Place(kind="city", name=f"F{i}", country_code="FR" if i % 2 else "JP",
                          admin1="01", lat=40 + (i % 50) / 5, lon=(i % 7) + (0 if i % 2 else 130),
                          population=100_000 + 1_000 * i, source="test")  # fmt: skip
            session.add(place)
            foreign.append(place)
        session.flush()
        pairs = {(min(a.id, b.id), max(a.id, b.id)) for a, b in
                 [(home[i], foreign[200 + i % 60]) for i in range(cities)]
                 + [(foreign[h], foreign[20 + 9 * h + j]) for h in range(20) for j in range(9)]}
        for low, high in sorted(pairs):  # fmt: skip
            session.add(Partnership(place_a_id=low, place_b_id=high, kind="friendship_city",
                                    level="city_city", status="active", source="test"))
        return [p.id for p in home]


def test_live_lists_of_home_cities_stay_within_the_share(sqlite_engine):
    from amity.matching.engine import engine as matching_engine
    from amity.matching.recommend import recommend

    cache.clear()
    home = _hub_network(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        eng = matching_engine(session, wait=True)
        assert eng.diversity is not None and eng.diversity.lists == len(home)

        def max_lists(diverse: bool) -> int:
            ids = [row["id"] for pid in home
                   for row in recommend(session, pid, k=10, diverse=diverse)["results"]]
            return max(ids.count(i) for i in set(ids))  # fmt: skip

        cap = diversity.cap_for(len(home))
        assert max_lists(diverse=False) > cap  # the hubs top every list without it
        assert max_lists(diverse=True) <= cap == 2
        assert eng.diversity.max_share_after <= diversity.SHARE < eng.diversity.max_share_before

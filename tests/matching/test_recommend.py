"""Recommendations on a hand-built network: pinned scores, every constraint with its reason."""

from __future__ import annotations

import math

import numpy as np
import pytest

from amity.core.db import session_scope
from amity.matching import model_store, recommend
from amity.matching.features import NAMES
from amity.matching.logit import PairModel
from amity.matching.profiles import save_profile
from amity.matching.schemas import ProfileWrite
from amity.matching.settings import MatchingSettings

QUIET = MatchingSettings(belt_and_road=0.0, continents={}, subregions={},
                         one_home_partner_per_level=False)  # fmt: skip


@pytest.fixture
def shared_partners_only(monkeypatch):
    """A model that weighs one feature, log(1 + common partners), at 1: scores by hand."""
    weights = np.zeros(len(NAMES))
    weights[NAMES.index("common_neighbours")] = 1.0
    model = PairModel(weights, 0.0, np.zeros(len(NAMES)), 0, 0)
    monkeypatch.setattr(model_store, "learn", lambda index: model)


def _names(result):
    return [row["name"] for row in result["results"]]


def _factor(row, name):
    return next(f for f in row["factors"] if f["factor"] == name)


def test_scores_of_a_hand_built_network(network, shared_partners_only):
    ids = network["ids"]
    with session_scope(network["engine"]) as session:
        result = recommend.recommend(session, ids["xian"], k=5, settings=QUIET)
    # Xi'an's partners are Paris and Osaka: Lyon shares both, Kyoto one, Berlin and Nairobi none.
    assert _names(result) == ["Lyon", "Kyoto", "Berlin", "Nairobi"]
    scores = [row["score"] for row in result["results"]]
    assert scores == pytest.approx([math.log(3), math.log(2), 0.0, 0.0], abs=1e-4)
    lyon = result["results"][0]
    assert _factor(lyon, "shared_partners")["contribution"] == pytest.approx(math.log(3), abs=1e-4)
    assert _factor(lyon, "shared_partners")["share"] == pytest.approx(1.0)
    # In plain words, naming the partners; the index values in the details.
    assert _factor(lyon, "shared_partners")["reason"]["zh"] == "两地的友城中有 2 个相同：巴黎、大阪"
    assert _factor(lyon, "shared_partners")["detail"]["zh"].startswith("共同友城 2 个（Adamic–Adar")
    assert lyon["reasons"] == [
        {"factor": "shared_partners", "evidence": "common", "sign": "+",
         "contribution": pytest.approx(math.log(3), abs=1e-4),
         "text": {"en": "2 partners in common: Paris, Osaka",
                  "zh": "两地的友城中有 2 个相同：巴黎、大阪"}}
    ]  # fmt: skip
    assert sum(f["contribution"] for f in lyon["factors"]) == pytest.approx(lyon["score"], abs=1e-3)
    assert result["candidates"] == 4  # foreign places, less Paris and Osaka


def test_strategy_and_profiles_add_to_the_score(network, shared_partners_only):
    ids = network["ids"]
    settings = MatchingSettings(belt_and_road=0.5, continents={"Africa": 1.0}, subregions={},
                                one_home_partner_per_level=False,
                                profile_per_match=0.8)  # fmt: skip
    xian = ProfileWrite(industries=["Apples"], needs=["Cold chain"])
    berlin = ProfileWrite(offers=["cold chain"], industries=["apples"])
    with session_scope(network["engine"]) as session:
        save_profile(session, ids["xian"], xian)
        save_profile(session, ids["berlin"], berlin)
        result = recommend.recommend(session, ids["xian"], k=4, settings=settings)
    by_name = {row["name"]: row for row in result["results"]}
    nairobi = by_name["Nairobi"]
    assert nairobi["score"] == pytest.approx(1.5)  # Belt and Road 0.5 + Africa 1.0
    assert "“一带一路”合作国家" in _factor(nairobi, "strategy")["reason"]["zh"]
    assert by_name["Berlin"]["score"] == pytest.approx(1.6)  # two profile terms at 0.8
    assert _factor(by_name["Berlin"], "profile")["reason"]["en"] == (
        "declared in common: apples, cold chain"
    )
    assert _names(result) == ["Berlin", "Nairobi", "Lyon", "Kyoto"]


def test_each_constraint_with_its_reason(network):
    ids = network["ids"]
    settings = MatchingSettings(excluded_countries=("DE",))
    with session_scope(network["engine"]) as session:
        result = recommend.recommend(session, ids["xian"], explain_excluded=True,
                                     settings=settings)  # fmt: skip
    assert sorted(_names(result)) == ["Kyoto", "Nairobi"]
    groups = {g["reason"]: g for g in result["excluded"]}
    assert groups["self"]["count"] == 0  # Xi'an is not a foreign candidate
    assert {e["name"] for e in groups["already_partnered"]["examples"]} == {"Paris", "Osaka"}
    assert groups["already_partnered"]["text"]["zh"] == "已是友城"
    assert [e["name"] for e in groups["excluded_country"]["examples"]] == ["Berlin"]
    # Paris, Osaka (Xi'an), Berlin (Baoji) and Lyon (Chengdu) pair with a prefecture-level city.
    taken = {e["name"] for e in groups["home_level_taken"]["examples"]}
    assert taken == {"Paris", "Osaka", "Berlin", "Lyon"}
    paris = next(e for e in groups["home_level_taken"]["examples"] if e["name"] == "Paris")
    assert set(paris["reasons"]) == {"already_partnered", "home_level_taken"}


def test_level_rule_from_the_foreign_side_and_at_another_level(network):
    ids = network["ids"]
    with session_scope(network["engine"]) as session:
        lyon = recommend.recommend(session, ids["lyon"], explain_excluded=True)
        kyoto = recommend.recommend(session, ids["kyoto"])
        nairobi = recommend.recommend(session, ids["nairobi"])
    # Lyon pairs with Chengdu (a city): Xi'an and Baoji are taken; Shaanxi is another level.
    assert _names(lyon) == []
    groups = {g["reason"]: g for g in lyon["excluded"]}
    assert {e["name"] for e in groups["home_level_taken"]["examples"]} == {"Xi'an", "Baoji",
                                                                          "Chengdu"}  # fmt: skip
    assert [e["name"] for e in groups["other_level"]["examples"]] == ["Shaanxi"]
    assert sorted(_names(kyoto)) == ["Baoji", "Chengdu", "Xi'an"]
    # Nairobi pairs with Shaanxi, a province: its city slot is free.
    assert sorted(_names(nairobi)) == ["Baoji", "Chengdu", "Xi'an"]


def test_rule_switched_off_and_world_scope(network):
    ids = network["ids"]
    off = MatchingSettings(one_home_partner_per_level=False)
    with session_scope(network["engine"]) as session:
        result = recommend.recommend(session, ids["lyon"], settings=off)
        world = recommend.recommend(session, ids["xian"], scope="world", settings=off)
    assert sorted(_names(result)) == ["Baoji", "Xi'an"]
    assert {"Baoji", "Chengdu"} <= set(_names(world)) and "Shaanxi" not in _names(world)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"k": 0}, "k must be"), ({"scope": "moon"}, "Unknown scope"),
     ({"country": "ZZ"}, "Unknown country"), ({"continent": "Atlantis"}, "Unknown continent")],
)  # fmt: skip
def test_invalid_requests(network, kwargs, message):
    from amity.core.errors import InvalidInput

    with session_scope(network["engine"]) as session, pytest.raises(InvalidInput, match=message):
        recommend.recommend(session, network["ids"]["xian"], **kwargs)


def test_filters_keep_one_country_or_continent(network):
    ids = network["ids"]
    with session_scope(network["engine"]) as session:
        japan = recommend.recommend(session, ids["chengdu"], country="jp", settings=QUIET)
        africa = recommend.recommend(session, ids["xian"], continent="Africa")
    assert sorted(_names(japan)) == ["Kyoto", "Osaka"]
    assert _names(africa) == ["Nairobi"]

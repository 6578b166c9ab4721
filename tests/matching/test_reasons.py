"""Reasons in plain words on the hand-built network: they name the evidence, in both languages,
and their sign never contradicts their words (reason_rules says what contradicting means)."""

from __future__ import annotations

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from amity.core.db import clear_engines, session_scope
from amity.matching import cli as matching_cli
from amity.matching import model_store, reasons, recommend
from amity.matching.factors import people
from amity.matching.features import NAMES
from amity.matching.logit import PairModel
from amity.matching.settings import MatchingSettings

from .reason_rules import contradictions, every_contradiction

QUIET = MatchingSettings(belt_and_road=0.0, continents={}, subregions={},
                         one_home_partner_per_level=False)  # fmt: skip


def _model(monkeypatch, **weights_and_means: tuple[float, float]) -> None:
    """A model weighing the named features (weight, training mean); the others at 0."""
    weights, means = np.zeros(len(NAMES)), np.zeros(len(NAMES))
    for name, (weight, mean) in weights_and_means.items():
        weights[NAMES.index(name)], means[NAMES.index(name)] = weight, mean
    model = PairModel(weights, float(-(weights @ means)), means, 0, 0)
    monkeypatch.setattr(model_store, "learn", lambda index: model)


def _row(result, name):
    return next(row for row in result["results"] if row["name"] == name)


def _factor(row, name):
    return next(f for f in row["factors"] if f["factor"] == name)


def test_no_shared_partner_is_never_a_plus_in_words(network, monkeypatch):
    # Measured against a far-away training mean, a candidate's partner near Xi'an is a plus that
    # lands under "shared partners" though the two share none: it used to read "共同友城 0 个"
    # beside a plus. Now the plus names what it is, and "no partners in common" is never a plus.
    _model(monkeypatch, near_partner_back=(-1.0, 5.0), common_neighbours=(1.0, 0.0),
           population_gap=(-1.0, 2.0))  # fmt: skip
    with session_scope(network["engine"]) as session:
        result = recommend.recommend(session, network["ids"]["xian"], k=5, settings=QUIET)
    berlin = _row(result, "Berlin")  # partnered with Baoji, 156 km from Xi'an; no common partner
    assert _factor(berlin, "shared_partners")["contribution"] > 0
    texts = {r["evidence"]: r["text"] for r in berlin["reasons"]}
    assert texts["theirs_near"] == {"en": "Berlin already has a partner 156 km from Xi'an: Baoji",
                                    "zh": "对方已有友城距西安市 156 公里：宝鸡市"}  # fmt: skip
    # Populations in 万 in Chinese, in millions in English, both places named by their numbers.
    assert texts["population"] == {"en": "Similar populations (12.9 million / 3.6 million)",
                                   "zh": "人口相近（1,290 万 / 360 万）"}  # fmt: skip
    assert "共同友城 0 个" in _factor(berlin, "shared_partners")["detail"]["zh"]  # details only
    assert every_contradiction(result) == []
    lyon = _row(result, "Lyon")
    assert any(r["text"]["zh"] == "两地的友城中有 2 个相同：巴黎、大阪" for r in lyon["reasons"])


def test_a_country_tie_that_subtracts_is_worded_as_saturation(network, monkeypatch):
    # Every partnership between the countries counts against: the reason cites the count as
    # saturation, in the countries' Chinese names on the Chinese side (3 pairs count as many
    # here; below reasons.MANY_PAIRS they are "few": a weak base).
    _model(monkeypatch, country_pairs=(-1.0, 0.0))
    monkeypatch.setattr(reasons, "MANY_PAIRS", 3)
    with session_scope(network["engine"]) as session:
        result = recommend.recommend(session, network["ids"]["xian"], k=5, settings=QUIET)
    lyon = _row(result, "Lyon")
    assert lyon["reasons"] == [
        {"factor": "country_ties", "evidence": "countries", "sign": "-",
         "contribution": pytest.approx(-np.log(4), abs=1e-4),
         "text": {"en": "China and France already have 3 partnerships: one more adds little",
                  "zh": "中国与法国间已有 3 对友城，新增一对的边际意义较小"}},
    ]  # fmt: skip
    assert every_contradiction(result) == []
    monkeypatch.setattr(reasons, "MANY_PAIRS", 4)
    with session_scope(network["engine"]) as session:
        result = recommend.recommend(session, network["ids"]["xian"], k=5, settings=QUIET)
    assert _row(result, "Lyon")["reasons"][0]["text"] == {
        "en": "Few partnerships between China and France (3): little common ground yet",
        "zh": "中国与法国间友城较少（3 对），交往基础较弱"}  # fmt: skip


def test_evidence_without_words_of_its_sign_stays_in_the_details(network, monkeypatch):
    # A model that counts a shared partner against a candidate: "2 partners in common" cannot
    # be a minus, so no reason says it; the factor's number and index values stay in the details.
    _model(monkeypatch, common_neighbours=(-1.0, 0.0))
    with session_scope(network["engine"]) as session:
        result = recommend.recommend(session, network["ids"]["xian"], k=5, settings=QUIET)
    lyon = _row(result, "Lyon")
    assert lyon["reasons"] == []
    assert _factor(lyon, "shared_partners")["reason"] == {"en": "", "zh": ""}
    assert _factor(lyon, "shared_partners")["contribution"] < 0
    assert _factor(lyon, "shared_partners")["detail"]["en"].startswith("2 partners in common")


def test_a_smaller_partner_is_a_plus_in_words_when_the_model_prefers_it(network, monkeypatch):
    # The size features learn which ratio partnerships have: most of China's partners abroad are
    # several times smaller. A plus from a candidate 25 times smaller than Xi'an used to have no
    # words ("similar populations" would be false); now it says what it is.
    _model(monkeypatch, smaller_beyond_3x=(1.0, 0.0))
    with session_scope(network["engine"]) as session:
        result = recommend.recommend(session, network["ids"]["xian"], k=5, settings=QUIET)
    lyon = _row(result, "Lyon")  # 520,000 against 12.9 million: log10 gap 1.39, beyond 3x by 0.89
    assert _factor(lyon, "size_rank")["contribution"] == pytest.approx(
        np.log10(12.9 / 0.52) - 0.5, abs=1e-4)  # rounded to 4 places in the result
    assert lyon["reasons"][0]["text"] == {
        "en": "A smaller partner, a common match in existing partnerships "
              "(12.9 million / 520,000)",
        "zh": "对方规模较小，与现有友城常见的规模搭配相符（1,290 万 / 52.0 万）"}  # fmt: skip
    assert every_contradiction(result) == []


def test_the_rules_catch_the_old_wordings():
    # What the recommendations said before: each contradicts its sign by these rules.
    assert contradictions("+", "shared_partners", {
        "en": "0 partners in common (Adamic–Adar 0.00); linked through partners' partners (L3 "
              "0.00); partners near the other side 0.0",
        "zh": "共同友城 0 个（Adamic–Adar 指数 0.00）"})  # fmt: skip
    assert contradictions("-", "country_ties", {
        "en": "38 partnerships between China and Turkey; the place has 0 partners in Turkey",
        "zh": "中国与土耳其之间已有 38 对友城；本地在土耳其有 0 个友城"})  # fmt: skip
    assert contradictions("+", "size_rank", {"en": "", "zh": "人口 300 万 与 182 万；行政级别不同"})
    assert not contradictions("+", "shared_partners", {"en": "2 partners in common: A, B",
                                                       "zh": "两地的友城中有 2 个相同：A、B"})


def test_numbers_per_locale():
    assert people(13_570_000) == ("13.6 million", "1,357 万")
    assert people(3_290_000) == ("3.3 million", "329 万")
    assert people(520_000) == ("520,000", "52.0 万")
    assert people(None) == ("unknown", "不详")


def test_the_command_prints_the_same_plain_reasons(network, monkeypatch):
    _model(monkeypatch, common_neighbours=(1.0, 0.0))
    monkeypatch.setenv("AMITY_DATABASE_URL", network["engine"].url.render_as_string(False))
    clear_engines()
    app = typer.Typer()
    matching_cli.register(app)
    try:
        zh = CliRunner().invoke(app, ["recommend", str(network["ids"]["xian"]), "--lang", "zh"])
        en = CliRunner().invoke(app, ["recommend", "Xi'an", "--k", "1"])
        bad = CliRunner().invoke(app, ["recommend", "Xi'an", "--lang", "fr"])
    finally:
        clear_engines()
    # The default settings: Belt and Road and Africa weigh in, Lyon is taken at Xi'an's level.
    assert zh.exit_code == 0 and zh.stdout == (
        "西安市\n"
        " 1. 内罗毕 · KE  (1.10)\n    + “一带一路”合作国家；布局薄弱的大洲（非洲）\n"
        " 2. 京都 · JP  (0.69)\n    + 两地的友城中有 1 个相同：巴黎\n"
        "条件与规则筛选后余 2 个候选\n"
    )
    assert en.stdout == (
        "Xi'an\n 1. Nairobi · KE  (1.10)\n"
        "    + Belt and Road partner country; under-represented continent (Africa)\n"
        "2 candidates after the filters and the rules.\n"
    )
    assert bad.exit_code == 2 and "Unknown language: fr" in bad.stderr
    assert "Adamic" not in zh.stdout + en.stdout

"""Framework files: the shipped ones load; a broken one is refused with every problem named."""

from __future__ import annotations

import copy

import pytest
import yaml

from amity.core.errors import InvalidInput, NotFound
from amity.indices.framework import FRAMEWORKS, frameworks, get_framework, parse_framework


def test_shipped_frameworks():
    shipped = frameworks()
    assert set(shipped) == {"prr", "friendly_exchange"}
    prr = get_framework(None)
    assert [p.code for p in prr.pillars] == ["popularity", "reputation", "recognition"]
    assert {i.code: i.direction for i in prr.indicators}["pm25"] == -1
    exchange = get_framework("friendly_exchange")
    assert [p.code for p in exchange.pillars] == ["length", "breadth", "depth", "heat", "frequency"]
    with pytest.raises(NotFound):
        get_framework("nope")


def _prr() -> dict:
    return yaml.safe_load((FRAMEWORKS / "prr.yaml").read_text(encoding="utf-8"))


def test_every_problem_is_reported_with_its_place():
    data = copy.deepcopy(_prr())
    data["method"]["normalisation"] = "log"
    data["uncertainty"]["aggregation"] = ["geometric"]
    popularity = data["pillars"][0]
    popularity["indicators"][0]["direction"] = "up"
    popularity["indicators"][1]["code"] = "twinning_score"
    popularity["indicators"][2]["code"] = "partners"
    data["pillars"][1]["indicators"][0].pop("label")
    with pytest.raises(InvalidInput) as caught:
        parse_framework(data, path="broken.yaml")
    problems = caught.value.details["problems"]
    assert "broken.yaml" in caught.value.message
    expected = [
        "method.normalisation: must be one of",
        "uncertainty.aggregation: must include the method's choice 'arithmetic'",
        "pillars[0].indicators[0].direction: must be 'positive' or 'negative'",
        "pillars[0].indicators[1].code: 'twinning_score' is not an Amity indicator",
        "pillars[0].indicators[2].code: 'partners' is used twice",
        "pillars[1].indicators[0].label: must give text in both languages",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


def test_empty_and_wrong_shapes():
    with pytest.raises(InvalidInput) as caught:
        parse_framework({"name": "Bad Name", "pillars": []})
    problems = caught.value.details["problems"]
    assert any(p.startswith("name:") for p in problems)
    assert any(p.startswith("pillars: must be a non-empty list") for p in problems)
    with pytest.raises(InvalidInput):
        parse_framework(["not", "a", "mapping"])


def test_labels_with_commas_are_read_whole():
    """A comma inside an unquoted YAML flow mapping splits it: the PM2.5 label lost its end."""
    pm25 = next(i for i in get_framework("prr").indicators if i.code == "pm25")
    assert pm25.label["en"] == "Fine particulate matter (PM2.5, annual mean)"

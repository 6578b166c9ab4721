"""Inequality and concentration measures against values computed by hand."""

from __future__ import annotations

import math

import pytest

from amity.analytics.measures import (
    gini,
    great_circle_km,
    herfindahl,
    theil,
    theil_between_groups,
    theil_decomposed,
)


def test_gini_by_hand():
    assert gini([1, 1, 1, 1]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)
    # Σ|xi - xj| over ordered pairs = 8, 2·n²·μ = 2·9·2 = 36.
    assert gini([3, 1, 2]) == pytest.approx(8 / 36)
    assert gini([]) is None
    assert gini([0, 0]) is None


def test_theil_by_hand():
    assert theil([5, 5, 5]) == pytest.approx(0.0)
    assert theil([0, 0, 0, 1]) == pytest.approx(math.log(4))
    # μ = 2: (1/2)·[(1/2)ln(1/2) + (3/2)ln(3/2)]
    assert theil([1, 3]) == pytest.approx(0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5)))


def test_herfindahl_by_hand():
    assert herfindahl([1, 1]) == pytest.approx(0.5)
    assert herfindahl([3, 1]) == pytest.approx(0.625)
    assert herfindahl([7]) == pytest.approx(1.0)
    assert herfindahl([]) is None


def test_theil_against_weights_and_its_decomposition():
    expected = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
    assert theil_between_groups({"a": 3, "b": 1}, {"a": 1, "b": 1}) == pytest.approx(expected)
    proportional = theil_decomposed([("A", 1, 1), ("A", 1, 1), ("B", 2, 2)])
    assert proportional["total"] == pytest.approx(0.0)
    parts = theil_decomposed([("A", 4, 1), ("A", 1, 1), ("B", 2, 3), ("B", 0, 1)])
    assert parts["between"] > 0 and parts["within"] > 0
    assert parts["total"] == pytest.approx(parts["between"] + parts["within"])


def test_great_circle():
    # One degree of latitude is about 111.2 km on the mean-radius sphere.
    assert great_circle_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.01)
    assert great_circle_km(39.9, 116.4, 39.9, 116.4) == pytest.approx(0.0)
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088, rel=1e-9)

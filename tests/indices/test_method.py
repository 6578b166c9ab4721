"""Each step of the method against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from amity.indices.method import (
    Inputs,
    aggregate,
    competition_ranks,
    impute,
    index_scores,
    normalise,
    pca_weights,
    weights_for,
)
from amity.indices.uncertainty import first_order, monte_carlo, run_ranks

NAN = np.nan


def test_minmax_both_directions_keeps_gaps():
    x = np.array([1.0, 2.0, 3.0, NAN])
    assert normalise(x, "minmax", 1)[:3].tolist() == [0.0, 0.5, 1.0]
    assert normalise(x, "minmax", -1)[:3].tolist() == [1.0, 0.5, 0.0]
    assert math.isnan(normalise(x, "minmax", 1)[3])


def test_zscore_uses_the_population_deviation():
    z = normalise(np.array([1.0, 2.0, 3.0]), "zscore", 1)
    assert z == pytest.approx([-math.sqrt(1.5), 0.0, math.sqrt(1.5)])
    assert normalise(np.array([1.0, 2.0, 3.0]), "zscore", -1)[0] == pytest.approx(math.sqrt(1.5))


def test_rank_shares_ties():
    assert normalise(np.array([10.0, 20.0, 20.0, 40.0]), "rank", 1).tolist() == [0, 0.5, 0.5, 1]
    assert normalise(np.array([10.0, 20.0, 40.0]), "rank", -1).tolist() == [1, 0.5, 0]


def test_distance_to_target_caps_at_one():
    assert normalise(np.array([5.0, 10.0, 20.0]), "target", 1, 10.0).tolist() == [0.5, 1, 1]
    # Lower is better (PM2.5 against the WHO guideline of 5).
    assert normalise(np.array([5.0, 10.0, 2.5]), "target", -1, 5.0).tolist() == [1, 0.5, 1]
    # Without a target: the 90th percentile of the values.
    x = np.arange(1.0, 12.0)
    assert normalise(x, "target", 1)[0] == pytest.approx(1 / 10)


def test_imputations():
    z = np.array([[0.2, NAN, 0.9], [0.4, 0.6, NAN], [NAN, 0.8, 0.3]])
    pillar_of = np.array([0, 0, 1])
    assert np.isnan(impute(z, "none", pillar_of)).sum() == 3
    assert impute(z, "mean", pillar_of)[0, 1] == pytest.approx(0.7)
    assert impute(z, "worst", pillar_of)[1, 2] == pytest.approx(0.3)
    filled = impute(z, "pillar_mean", pillar_of)
    assert filled[0, 1] == pytest.approx(0.2)  # the city's other indicator in the pillar
    assert np.isnan(filled[1, 2])  # nothing else in that pillar: the pillar stays missing


def test_pca_weights_one_component():
    # x1 = x2, x3 uncorrelated with them: eigenvalues 2, 1, 0; one component is kept
    # (2/3 of the variance), loadings (1, 1, 0), squared and scaled (0.5, 0.5, 0).
    x = np.array([[1.0, 1.0, 1.0], [2.0, 2.0, -1.0], [3.0, 3.0, -1.0], [4.0, 4.0, 1.0]])
    assert pca_weights(x) == pytest.approx([0.5, 0.5, 0.0], abs=1e-9)


def test_pca_weights_two_rotated_components():
    # Two uncorrelated pairs: two components of equal variance, each indicator scaled 0.5
    # on its own component and each component half the explained variance: 0.25 each.
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = np.array([1.0, -1.0, -1.0, 1.0])
    assert pca_weights(np.column_stack([a, 2 * a, b, b + 5])) == pytest.approx([0.25] * 4)


def test_weights_equal_and_configured():
    z = np.zeros((3, 4))
    assert weights_for(z, "equal", np.ones(4)).tolist() == [0.25] * 4
    assert weights_for(z, "config", np.array([2.0, 1, 1, 0])).tolist() == [0.5, 0.25, 0.25, 0]


def test_arithmetic_rescales_weights_to_the_values_present():
    z = np.array([[0.2, 0.4], [0.6, NAN]])
    assert aggregate(z, np.array([0.25, 0.75]), "arithmetic").tolist() == pytest.approx([0.35, 0.6])


def test_geometric_shifts_columns_to_positive():
    # Column 1: 1..3, shifted by its minimum less a tenth of its range -> 0.2, 2.2.
    z = np.array([[1.0, 4.0], [3.0, 2.0]])
    assert aggregate(z, np.array([0.5, 0.5]), "geometric") == pytest.approx(
        [math.sqrt(0.44), math.sqrt(0.44)]
    )


def test_competition_ranks():
    assert competition_ranks(np.array([3.0, 1.0, 3.0, NAN, 2.0])).tolist() == [1, 4, 1, 5, 3]


def _inputs(values, pillar_of, pillar_weights=None) -> Inputs:
    values = np.asarray(values, dtype=float)
    k = values.shape[1]
    n_pillars = max(pillar_of) + 1
    return Inputs(
        values=values, directions=np.ones(k), targets=np.full(k, NAN),
        pillar_of=np.array(pillar_of), indicator_weights=np.ones(k),
        pillar_weights=np.ones(n_pillars) if pillar_weights is None else pillar_weights,
    )  # fmt: skip


DEFAULT = {"imputation": "pillar_mean", "normalisation": "minmax", "weighting": "equal",
           "aggregation": "arithmetic"}  # fmt: skip


def test_a_city_without_data_for_a_pillar():
    # Place 2 has nothing in pillar 1: the pillar is missing and its index is pillar 0 alone.
    inputs = _inputs([[1, 10], [2, 20], [3, NAN], [4, 30]], [0, 1])
    scores, pillars, weights, _ = index_scores(inputs, DEFAULT)
    assert np.isnan(pillars[2, 1])
    assert scores[2] == pytest.approx(pillars[2, 0]) == pytest.approx(2 / 3)
    assert weights.tolist() == [0.5, 0.5]
    # With the indicator mean imputed, it gets the mean of the others' normalised values.
    scores, pillars, _, _ = index_scores(inputs, DEFAULT | {"imputation": "mean"})
    assert pillars[2, 1] == pytest.approx(0.5)
    assert scores[2] == pytest.approx((2 / 3 + 0.5) / 2)


def _skewed_inputs(seed: int = 1) -> Inputs:
    rng = np.random.default_rng(seed)
    skewed = np.exp(rng.normal(0, 2, 300))
    even = rng.uniform(0, 1, 300)
    return _inputs(np.column_stack([skewed, even]), [0, 1])


ALTERNATIVES = {"imputation": ("pillar_mean",), "normalisation": ("minmax", "rank"),
                "weighting": ("equal",), "aggregation": ("arithmetic", "geometric")}  # fmt: skip


def test_monte_carlo_is_reproducible_with_a_seed():
    inputs = _skewed_inputs()
    first = monte_carlo(inputs, ALTERNATIVES, runs=200, seed=7, noise=0.2)
    again = monte_carlo(inputs, ALTERNATIVES, runs=200, seed=7, noise=0.2)
    other = monte_carlo(inputs, ALTERNATIVES, runs=200, seed=8, noise=0.2)
    assert np.array_equal(first.median, again.median)
    assert np.array_equal(first.low, again.low) and np.array_equal(first.high, again.high)
    assert first.sensitivity == again.sensitivity
    assert first.sensitivity != other.sensitivity
    assert (first.low <= first.median).all() and (first.median <= first.high).all()


def test_sensitivity_picks_out_the_dominant_choice():
    # Min-max on a log-normal indicator squeezes most places together; ranks spread them:
    # the normalisation moves ranks far more than the aggregation does.
    ranks, chosen = run_ranks(_skewed_inputs(), ALTERNATIVES, runs=400, seed=3, noise=0.0)
    shares = first_order(ranks, chosen)
    assert shares["normalisation"] > 0.5 > shares["aggregation"]
    assert shares["imputation"] == shares["weighting"] == 0.0
    assert sum(shares.values()) <= 1.0
    # Each combination of choices is used equally often.
    combos = {tuple(run.values()) for run in chosen}
    assert len(combos) == 4
    assert all(sum(tuple(r.values()) == c for r in chosen) == 100 for c in combos)

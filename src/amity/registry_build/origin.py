"""Can a model tell which partnered places exist only because of a registry pair?

The demo load puts the shipped gazetteer in first (China's divisions and GeoNames cities15000),
then creates a place for every registry side it cannot match. A created place exists because a
pair names it, so any attribute that is distributed differently on created places ("population
unknown", "below 15,000") tells a link model "this place has a partner": the held-out
evaluation then rewards the leak, not the model.

The check compares partnered places only, gazetteer against created, so that it measures the
origin and not the real difference between partnered and unpartnered places. It uses the
attributes the recommender reads from a place (`amity.matching.candidates`): population (log10,
unknown apart), kind (city or province), region (admin1 or province code) known, point known.
A classifier is fitted on half the places and scored by its AUC on the other half; the same
classifier fitted on shuffled origins gives the AUC of no information. The gain is the
difference.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
from scipy.stats import rankdata

Row = dict[str, str]
Feature = Callable[[Row], float]


def in_gazetteer(key: str, place: Row, gazetteer_ids: set[int]) -> bool:
    """A Chinese division (the gazetteer loads all of them) or a gazetteer GeoNames id."""
    if key.startswith("cn:") and key.count(":") == 1:
        return True
    gid = place.get("geonames_id", "")
    return gid.isdigit() and int(gid) in gazetteer_ids


def log_population(place: Row) -> float:
    """log10 of the population; -1 when unknown (below every known value)."""
    text = place.get("population") or ""
    return math.log10(max(float(text), 1.0)) if text else -1.0


def population_unknown(place: Row) -> float:
    return float(not place.get("population"))


def is_province(place: Row) -> float:
    """The recommender's kind: the load makes a region a province, everything else a city."""
    return float((place.get("level") or "").startswith("subdivision"))


def region_unknown(place: Row) -> float:
    return float(not (place.get("admin1") or place.get("iso3166_2")
                      or place.get("cn_province_adcode")))


def point_unknown(place: Row) -> float:
    return float(not place.get("lat"))


FEATURES: dict[str, Feature] = {
    "log_population": log_population,
    "population_unknown": population_unknown,
    "kind_province": is_province,
    "region_unknown": region_unknown,
    "point_unknown": point_unknown,
}


def auc(scores, labels) -> float:
    """Rank AUC (Mann-Whitney): the chance that a created place scores above a gazetteer
    place, ties counting one half. 0.5 when one class is empty."""
    labels = np.asarray(labels, dtype=bool)
    positives = int(labels.sum())
    negatives = len(labels) - positives
    if not positives or not negatives:
        return 0.5
    ranks = rankdata(np.asarray(scores, dtype=float))
    return float((ranks[labels].sum() - positives * (positives + 1) / 2)
                 / (positives * negatives))


def cells(places: list[Row], features: Iterable[Feature]) -> np.ndarray:
    """Each place's combination of attribute values, as a number. Populations by half-decade
    (3.5 = 3,162 to 9,999): coarse enough to fit on a few thousand places, fine enough to see
    a threshold such as 15,000."""
    columns = [[math.floor(2 * f(p)) / 2 if f is log_population else f(p) for p in places]
               for f in features]
    return np.unique(np.array(columns).T, axis=0, return_inverse=True)[1].ravel()


def fitted_auc(train_cells: np.ndarray, train_labels: np.ndarray, test_cells: np.ndarray,
               test_labels: np.ndarray) -> float:
    """A lookup-table classifier: each combination of attribute values scores the share of
    created places among the training places that have it (smoothed towards the overall
    share); its AUC on the test places."""
    size = int(max(train_cells.max(), test_cells.max())) + 1
    seen = np.bincount(train_cells, minlength=size)
    created = np.bincount(train_cells, weights=train_labels, minlength=size)
    prior = train_labels.mean()
    return auc(((created + prior) / (seen + 1))[test_cells], test_labels)


def origin_gain(places: list[tuple[Row, bool]], features: Iterable[Feature],
                seed: int = 14, shuffles: int = 50) -> tuple[float, float]:
    """(AUC fitted on the true origins, mean AUC fitted on shuffled origins), both on the same
    held-out half with its true origins. Several shuffles: fitted on noise, a two-valued
    attribute ranks its two values either way round, so one shuffle lands near 1 - AUC or
    near AUC; the mean of fifty is the AUC of no information (0.5 within 0.003)."""
    order = np.random.default_rng(seed).permutation(len(places))
    codes = cells([places[i][0] for i in order], list(features))
    labels = np.array([places[i][1] for i in order], dtype=float)
    train, test = slice(0, None, 2), slice(1, None, 2)
    fitted = fitted_auc(codes[train], labels[train], codes[test], labels[test])
    rng = np.random.default_rng(seed + 1)
    noise = [fitted_auc(codes[train], rng.permutation(labels[train]), codes[test], labels[test])
             for _ in range(shuffles)]
    return fitted, float(np.mean(noise))


def labelled_places(places: dict[str, Row], gazetteer_ids: set[int]) -> list[tuple[Row, bool]]:
    """Partnered places (by build key, sorted) with True when the demo load creates them."""
    return [(p, not in_gazetteer(k, p, gazetteer_ids)) for k, p in sorted(places.items())]

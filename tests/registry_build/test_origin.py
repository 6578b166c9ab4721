"""Honest held-out evaluation: attributes must not tell which places exist only because of a pair.

A place the demo load creates (not in the shipped gazetteer) exists because some pair names it.
If an attribute is missing only on such places (no province/admin code, no population, source
"registry" — the markers of the previous registry), a link model learns "missing ⇒ linked". The
check: a classifier that predicts the origin from the attributes' missingness (the majority
origin of each combination, fitted on half the partnered places, scored on the other half) must
do no better than the same classifier fitted on shuffled origins.
"""

import random
from collections import Counter, defaultdict

import pytest

from amity.partnerships.registry import read_registry
from amity.places.facts import read_cities
from amity.registry_build import report


def _origins(features):
    rows = read_registry()
    places = report._places(rows)
    gazetteer = {c.geonames_id for c in read_cities()}
    data = []
    for key, p in sorted(places.items()):
        created = not ((key.startswith("cn:") and key.count(":") == 1) or (
            p["geonames_id"].isdigit() and int(p["geonames_id"]) in gazetteer))
        data.append((tuple(f(p) for f in features), created))
    return data


def _accuracy(train, test):
    votes = defaultdict(Counter)
    for x, y in train:
        votes[x][y] += 1
    overall = Counter(y for _x, y in train).most_common(1)[0][0]
    guess = {x: c.most_common(1)[0][0] for x, c in votes.items()}
    return sum(guess.get(x, overall) == y for x, y in test) / len(test)


def _gain(features) -> float:
    data = _origins(features)
    random.Random(14).shuffle(data)
    train, test = data[::2], data[1::2]
    labels = [y for _x, y in train]
    random.Random(15).shuffle(labels)
    shuffled = [(x, y) for (x, _y), y in zip(train, labels, strict=True)]
    return _accuracy(train, test) - _accuracy(shuffled, test)


def _no_admin_code(p):
    return not (p["admin1"] or p["iso3166_2"] or p["cn_province_adcode"])


def _no_population(p):
    return not p["population"]


def test_admin_codes_do_not_mark_registry_places():
    # The previous registry gave no created place a province/state code: that alone told them
    # apart. Every place now carries its GeoNames admin1, ISO 3166-2 or GB/T province code.
    assert _gain([_no_admin_code]) < 0.02


@pytest.mark.xfail(strict=True, reason=(
    "open: 23% of created places still lack a population and 74% lie below the gazetteer's "
    "15,000 threshold (they are the towns cities15000 leaves out); see docs/data-quality.md, "
    "'Origin markers'"))
def test_populations_do_not_mark_registry_places():
    assert _gain([_no_population, _no_admin_code]) < 0.02

"""Honest held-out evaluation: attributes must not tell which places exist only because of a pair.

A place the demo load creates (not in the shipped gazetteer) exists because some pair names it.
If an attribute the recommender reads is distributed differently on such places, a link model
learns "this kind of place has a partner" and the held-out evaluation rewards the leak. The check
(`amity.registry_build.origin`): a lookup-table classifier fitted on half the partnered places
predicts the origin of the other half; its AUC must not beat the same classifier fitted on
shuffled origins by more than TOLERANCE.

TOLERANCE = 0.02: the held-out half holds about 8,800 places (4,800 created, 4,000 from the
gazetteer); an AUC computed on that many places without any signal has a standard deviation of
sqrt((n1 + n2 + 1) / (12 n1 n2)) = 0.006, so 0.02 is three of them: below it a difference is
noise, above it a model can use it.
"""

import pytest

from amity.partnerships.registry import read_registry
from amity.places.facts import read_cities
from amity.registry_build import origin, report

TOLERANCE = 0.02


@pytest.fixture(scope="module")
def labelled():
    places = report._places(read_registry())
    return origin.labelled_places(places, {c.geonames_id for c in read_cities()})


def test_auc_counts_ties_as_one_half():
    assert origin.auc([1, 2, 3, 4], [False, False, True, True]) == 1.0
    assert origin.auc([1, 1, 1, 1], [False, True, False, True]) == 0.5
    assert origin.auc([4, 3, 2, 1], [False, False, True, True]) == 0.0


def test_the_check_sees_a_planted_marker(labelled):
    # A marker only created places carry must be caught, whatever else the data hold.
    planted = [({**p, "population": "" if created else p["population"]}, created)
               for p, created in labelled]
    fitted, noise = origin.origin_gain(planted, [origin.population_unknown])
    assert fitted - noise > 0.4


@pytest.mark.parametrize("feature", ["region_unknown", "point_unknown"])
def test_attribute_does_not_mark_registry_places(labelled, feature):
    # The previous registry gave no created place a province/state code: that alone told them
    # apart. Every place now carries its GeoNames admin1, ISO 3166-2 or GB/T province code.
    fitted, noise = origin.origin_gain(labelled, [origin.FEATURES[feature]])
    assert fitted - noise < TOLERANCE


# Open (measured 2026-12-03, see docs/data-quality.md "Origin markers"): 74% of created places
# lie below the gazetteer's 15,000 threshold, 23% have no population (districts, regions,
# places GeoNames lacks; the sources hold none for them) and 5% are foreign regions, which only
# pairs bring in. A gazetteer down to cities5000/1000/500 leaves 5,949/2,619/2,314 places
# created, but they are the ones without a population: the AUC of all attributes together stays
# 0.965/0.970/0.968 (0.968 now), for an init 1.1x/3.6x/5.8x as long (docs/data.md).
OPEN = ("open: created places are small, without a population or foreign regions; the sources "
        "hold no population for them (docs/data-quality.md, 'Origin markers')")


@pytest.mark.xfail(strict=True, reason=OPEN)
@pytest.mark.parametrize("feature", ["log_population", "population_unknown", "kind_province"])
def test_population_and_kind_do_not_mark_registry_places(labelled, feature):
    fitted, noise = origin.origin_gain(labelled, [origin.FEATURES[feature]])
    assert fitted - noise < TOLERANCE


@pytest.mark.xfail(strict=True, reason=OPEN)
def test_no_combination_of_attributes_marks_registry_places(labelled):
    fitted, noise = origin.origin_gain(labelled, origin.FEATURES.values())
    assert fitted - noise < TOLERANCE

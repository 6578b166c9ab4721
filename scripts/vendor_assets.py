"""Re-create src/amity/web/static/vendor/ from npm: ECharts, the world map as GeoJSON, Swagger UI.

Run: .venv/bin/python scripts/vendor_assets.py  (needs `npm` on the PATH; fetches only from npm).
The pages load nothing from outside, so these files are committed with their licences.
"""

from __future__ import annotations

import csv
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

ECHARTS = "echarts@5.6.0"
WORLD_ATLAS = "world-atlas@2.0.2"  # Natural Earth 4.1.0, public domain
SWAGGER_UI = "swagger-ui-dist@5.35.0"  # the API docs at /api/docs (amity.http.api_docs)
ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src/amity/web/static/vendor"
COUNTRIES = ROOT / "src/amity/data/facts/countries.csv"
# Two decimals (about 1 km) is plenty for a world choropleth and halves the file.
PRECISION = 2


def npm_pack(spec: str, into: Path) -> tarfile.TarFile:
    """Download one npm package tarball (no install scripts run) and open it."""
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    )
    return tarfile.open(into / out.stdout.strip().splitlines()[-1])


def _member(tar: tarfile.TarFile, name: str) -> bytes:
    handle = tar.extractfile(f"package/{name}")
    if handle is None:
        raise FileNotFoundError(name)
    return handle.read()


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute coordinates of every arc (TopoJSON arcs are delta-encoded when quantised)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        for i, (x, y) in enumerate(points):
            if ring and i == 0:
                continue
            ring.append([round(x, PRECISION), round(y, PRECISION)])
    return ring


def iso2_by_m49() -> dict[str, str]:
    """ISO 3166-1 alpha-2 codes by M49 code (world-atlas ids are M49), from the shipped facts."""
    with COUNTRIES.open(encoding="utf-8", newline="") as handle:
        return {row["m49"]: row["iso2"] for row in csv.DictReader(handle) if row["m49"]}


def _unwrap(ring: list[list[float]]) -> list[list[float]]:
    """A ring crossing the antimeridian, made continuous (a flat map would draw a line across)."""
    crosses = any(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:], strict=False))
    return [[x + 360 if x < 0 else x, y] for x, y in ring] if crosses else ring


def topology_to_geojson(topology: dict, layer: str, names: dict[str, str]) -> dict:
    """One TopoJSON layer as a GeoJSON FeatureCollection; features named by ISO2 code.

    Features without a code (Kosovo, Northern Cyprus, Somaliland in Natural Earth) keep their
    English name, so they are drawn but never coloured.
    """
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"][layer]["geometries"]:
        if geometry.get("type") == "Polygon":
            coordinates = [[_unwrap(_ring(r, arcs)) for r in geometry["arcs"]]]
        elif geometry.get("type") == "MultiPolygon":
            coordinates = [[_unwrap(_ring(r, arcs)) for r in poly] for poly in geometry["arcs"]]
        else:
            continue
        label = geometry["properties"]["name"]
        if label == "Antarctica":
            # No partnerships there, and it takes a fifth of a world map's height.
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"name": names.get(str(geometry.get("id")), label), "label": label},
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        with npm_pack(ECHARTS, Path(tmp)) as tar:
            (VENDOR / "echarts.min.js").write_bytes(_member(tar, "dist/echarts.min.js"))
            (VENDOR / "LICENSE.echarts").write_bytes(
                _member(tar, "LICENSE") + b"\n" + _member(tar, "NOTICE")
            )
        with npm_pack(WORLD_ATLAS, Path(tmp)) as tar:
            topology = json.loads(_member(tar, "countries-110m.json"))
            (VENDOR / "LICENSE.world-atlas").write_bytes(_member(tar, "LICENSE"))
        with npm_pack(SWAGGER_UI, Path(tmp)) as tar:
            for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
                (VENDOR / name).write_bytes(_member(tar, name))
            # The bundle's own licence, then those of the libraries bundled into it.
            (VENDOR / "LICENSE.swagger-ui").write_bytes(
                _member(tar, "LICENSE") + b"\n" + _member(tar, "NOTICE") + b"\n"
                + _member(tar, "swagger-ui-bundle.js.LICENSE.txt")
            )
    geojson = topology_to_geojson(topology, "countries", iso2_by_m49())
    (VENDOR / "world-110m.geo.json").write_text(
        json.dumps(geojson, separators=(",", ":"), ensure_ascii=False), encoding="utf-8"
    )


if __name__ == "__main__":
    main()

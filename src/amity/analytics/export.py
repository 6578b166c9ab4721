"""Exports of the registry: CSV edge list, Excel statistics, GeoJSON, GraphML and GEXF (Gephi)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from sqlalchemy.orm import Session

from amity.analytics.antimeridian import line_geometry
from amity.analytics.export_people import statistics_workbook_for_people
from amity.analytics.official import china_provinces
from amity.analytics.service import layout_balance, resolve_home, snapshot, statistics
from amity.analytics.snapshot import PairInfo, PlaceInfo, Snapshot
from amity.core.errors import InvalidInput
from amity.core.spreadsheets import (
    CSV_ENCODINGS,
    csv_media_type,
    csv_text,
    encode_csv,
    xlsx_cell,
)

FORMATS = ("csv", "xlsx", "geojson", "graphml", "gexf")
EDGE_COLUMNS = (
    "id", "a_id", "a_name", "a_country", "b_id", "b_name", "b_country",
    "kind", "level", "status", "established", "source",
)  # fmt: skip
NODE_ATTRIBUTES = (
    ("name", "string"),
    ("name_zh", "string"),
    ("country", "string"),
    ("lat", "double"),
    ("lon", "double"),
    ("population", "long"),
    ("province", "string"),
)
EDGE_ATTRIBUTES = (("kind", "string"), ("level", "string"), ("status", "string"),
                   ("established", "string"))  # fmt: skip
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
}


@dataclass(frozen=True)
class Export:
    content: bytes
    media_type: str
    filename: str


def export(
    session: Session,
    fmt: str,
    *,
    home: str | None = None,
    encoding: str = "utf-8",
    locale: str = "en",
    raw: bool = False,
) -> Export:
    """The registry in one of FORMATS, ready to write to a file or send; the CSV in `encoding`
    (UTF-8 with a byte-order mark, or GB18030); the Excel statistics for people in `locale`,
    or with their coded columns (`raw`)."""
    if encoding not in CSV_ENCODINGS:
        raise InvalidInput(
            f"Unknown encoding: {encoding}; use one of {', '.join(CSV_ENCODINGS)}.",
            {"encoding": encoding, "allowed": CSV_ENCODINGS},
        )
    makers = {
        "csv": lambda: b"".join(encode_csv([edge_list_csv(snapshot(session))], encoding)),
        "xlsx": lambda: statistics_workbook(session, home=home)
        if raw
        else statistics_workbook_for_people(
            session,
            statistics_tables(session, home=home),
            home=resolve_home(session, home),
            locale=locale,
        ),
        "geojson": lambda: json.dumps(geojson(snapshot(session)), ensure_ascii=False).encode(),
        "graphml": lambda: graphml(snapshot(session)),
        "gexf": lambda: gexf(snapshot(session)),
    }
    if fmt not in makers:
        raise InvalidInput(
            f"Unknown export format: {fmt}; use one of {', '.join(FORMATS)}.",
            {"format": fmt, "allowed": FORMATS},
        )
    name = "amity-statistics" if fmt == "xlsx" else "amity-partnerships"
    media = csv_media_type(encoding) if fmt == "csv" else MEDIA_TYPES[fmt]
    return Export(makers[fmt](), media, f"{name}.{fmt}")


def edge_list_csv(snap: Snapshot) -> str:
    """One row per partnership with both places' ids, names and countries."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EDGE_COLUMNS)
    for pair in snap.pairs:
        a, b = snap.places[pair.a], snap.places[pair.b]
        writer.writerow(
            [pair.id, a.id, csv_text(a.name), a.country_code, b.id, csv_text(b.name),
             b.country_code, pair.kind, pair.level, pair.status, pair.established or "",
             csv_text(pair.source)]
        )  # fmt: skip
    return out.getvalue()


def _node_values(place: PlaceInfo, provinces: dict[str, dict[str, str]]) -> dict[str, Any]:
    province = provinces.get(place.province_code or "", {}).get("name_en") or place.admin1
    return {
        "name": place.name,
        "name_zh": place.name_zh,
        "country": place.country_code,
        "lat": place.lat,
        "lon": place.lon,
        "population": place.population,
        "province": province,
    }


def _edge_values(pair: PairInfo) -> dict[str, Any]:
    return {
        "kind": pair.kind,
        "level": pair.level,
        "status": pair.status,
        "established": pair.established,
    }


def graphml(snap: Snapshot) -> bytes:
    """GraphML with node and edge attributes; a missing value is left out, as GraphML allows."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", xmlns=ns)
    for domain, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        for name, kind in attributes:
            ET.SubElement(
                root, "key", id=f"{domain}_{name}", attrib={"for": domain, "attr.name": name,
                                                            "attr.type": kind}
            )  # fmt: skip
    g = ET.SubElement(root, "graph", id="amity", edgedefault="undirected")
    provinces = china_provinces()
    for place in snap.places.values():
        node = ET.SubElement(g, "node", id=str(place.id))
        for name, value in _node_values(place, provinces).items():
            if value is not None:
                ET.SubElement(node, "data", key=f"node_{name}").text = str(value)
    for pair in snap.pairs:
        edge = ET.SubElement(g, "edge", id=str(pair.id), source=str(pair.a), target=str(pair.b))
        for name, value in _edge_values(pair).items():
            if value is not None:
                ET.SubElement(edge, "data", key=f"edge_{name}").text = str(value)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def gexf(snap: Snapshot) -> bytes:
    """GEXF 1.2 for Gephi, with lat/lon as attributes (Gephi's GeoLayout reads them)."""
    root = ET.Element("gexf", xmlns="http://www.gexf.net/1.2draft", version="1.2")
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "Amity"
    ET.SubElement(meta, "description").text = "Friendship-city and sister-city partnerships"
    g = ET.SubElement(root, "graph", mode="static", defaultedgetype="undirected")
    types = {"string": "string", "double": "double", "long": "long"}
    for domain, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        block = ET.SubElement(g, "attributes", attrib={"class": domain})
        for index, (name, kind) in enumerate(attributes):
            ET.SubElement(block, "attribute", id=str(index), title=name, type=types[kind])
    nodes = ET.SubElement(g, "nodes")
    provinces = china_provinces()
    for place in snap.places.values():
        node = ET.SubElement(nodes, "node", id=str(place.id), label=place.name)
        _gexf_values(node, _node_values(place, provinces), NODE_ATTRIBUTES)
    edges = ET.SubElement(g, "edges")
    for pair in snap.pairs:
        edge = ET.SubElement(edges, "edge", id=str(pair.id), source=str(pair.a),
                             target=str(pair.b))  # fmt: skip
        _gexf_values(edge, _edge_values(pair), EDGE_ATTRIBUTES)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _gexf_values(element: ET.Element, values: dict[str, Any], attributes) -> None:
    block = ET.SubElement(element, "attvalues")
    for index, (name, _) in enumerate(attributes):
        if values[name] is not None:
            ET.SubElement(block, "attvalue", attrib={"for": str(index), "value": str(values[name])})


def geojson(snap: Snapshot) -> dict[str, Any]:
    """Places as Points and partnerships as lines, for pairs with both coordinates.

    A line crossing the antimeridian is a MultiLineString cut at ±180 (RFC 7946 §3.1.9); a line
    whose ends are the same point is left out. The collection's `metadata` (a foreign member,
    which readers ignore) counts both and the pairs left out for want of coordinates.
    """
    provinces = china_provinces()
    features: list[dict[str, Any]] = []
    for place in snap.places.values():
        if place.lat is None or place.lon is None:
            continue
        properties = {"feature": "place", "id": place.id, **_node_values(place, provinces)}
        features.append(_feature("Point", [place.lon, place.lat], properties))
    counts = {"lines": 0, "cut_at_antimeridian": 0, "left_out_zero_length": 0,
              "left_out_without_coordinates": 0}  # fmt: skip
    for pair in snap.pairs:
        a, b = snap.places[pair.a], snap.places[pair.b]
        if None in (a.lat, a.lon, b.lat, b.lon):
            counts["left_out_without_coordinates"] += 1
            continue
        geometry = line_geometry((a.lon, a.lat), (b.lon, b.lat))
        if geometry is None:
            counts["left_out_zero_length"] += 1
            continue
        counts["lines"] += 1
        counts["cut_at_antimeridian"] += geometry["type"] == "MultiLineString"
        properties = {
            "feature": "partnership",
            "id": pair.id,
            "a_id": a.id,
            "b_id": b.id,
            "a_name": a.name,
            "b_name": b.name,
            **_edge_values(pair),
        }
        features.append(_feature(geometry["type"], geometry["coordinates"], properties))
    return {"type": "FeatureCollection", "metadata": counts, "features": features}


def _feature(kind: str, coordinates: list, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": kind, "coordinates": coordinates},
        "properties": properties,
    }


def statistics_tables(session: Session, *, home: str | None = None) -> list[tuple[str, list[dict]]]:
    """Every table of statistics() and layout_balance() as (sheet name, rows)."""
    stats = statistics(session, home=home)
    layout = layout_balance(session, home=home)
    h, w = stats["home"], stats["world"]
    provinces = layout["provinces"]
    summary = [
        {"measure": key, "value": value}
        for key, value in {
            "home_country": h["country"],
            "home_pairs": h["pairs"],
            "home_partner_countries": h["partner_countries"],
            "home_domestic_pairs": h["domestic_pairs"],
            "home_regions_foreign_pairs": h["regions_foreign_pairs"],
            "home_undated_pairs": h["by_decade"]["undated"],
            "world_pairs": w["pairs"],
            "world_places": w["places"],
            "world_countries": w["countries"],
            "province_gini_raw": provinces["gini"]["raw"],
            "province_gini_per_million": provinces["gini"]["per_million"],
            "province_theil_raw": provinces["theil"]["raw"],
            "province_theil_per_million": provinces["theil"]["per_million"],
            "partner_hhi": layout["partners"]["hhi"],
        }.items()
    ]
    groups = [{"group": k, **v} for k, v in layout["partners"]["groups"].items()]
    tables = [
        ("summary", summary),
        ("partner countries", h["by_partner_country"]),
        ("partner continents", h["by_partner_continent"]),
        ("partner UN regions", h["by_partner_un_region"]),
        ("partner UN subregions", h["by_partner_un_subregion"]),
        ("home provinces", h["by_province"]),
        ("home regions (3)", h["by_region3"]),
        ("home regions (4)", h["by_region4"]),
        ("home levels", h["by_level"]),
        ("home kinds", h["by_kind"]),
        ("home status", h["by_status"]),
        ("home decades", h["by_decade"]["rows"]),
        ("belt and road", h["belt_and_road"]["by_country"]),
        ("top home places", h["top_places"]),
        ("top partner places", h["top_partner_places"]),
        ("world countries", w["by_country"]),
        ("world continents", w["by_continent"]),
        ("world kinds", w["by_kind"]),
        ("world levels", w["by_level"]),
        ("world status", w["by_status"]),
        ("world decades", w["by_decade"]["rows"]),
        ("world top places", w["top_places"]),
        ("layout provinces", provinces["rows"]),
        ("layout regions (3)", provinces["regions3"]),
        ("layout regions (4)", provinces["regions4"]),
        ("layout partner groups", groups),
    ]
    if stats["coverage"]:
        tables.append(("coverage", stats["coverage"]["official"]))
    return tables


def statistics_workbook(session: Session, *, home: str | None = None) -> bytes:
    """An Excel workbook with one sheet per statistics table."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in statistics_tables(session, home=home):
        sheet = book.create_sheet(title[:31])
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([xlsx_cell(sheet, row.get(column)) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

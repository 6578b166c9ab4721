"""Exports parse back: CSV, GraphML and GEXF (networkx), GeoJSON (json), Excel (openpyxl)."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from openpyxl import load_workbook

from amity.analytics import export
from amity.core.db import session_scope
from amity.core.errors import InvalidInput


def _export(engine, fmt):
    with session_scope(engine) as session:
        return export.export(session, fmt)


def test_csv_edge_list(registry):
    result = _export(registry, "csv")
    assert result.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read Chinese
    rows = list(csv.DictReader(io.StringIO(result.content.decode("utf-8-sig"))))
    assert len(rows) == 15
    required = {"a_id", "a_name", "a_country", "b_id", "b_name", "b_country", "kind", "level",
                "status"}  # fmt: skip
    assert required <= set(rows[0])
    first = rows[0]
    assert (first["a_name"], first["a_country"], first["b_name"], first["b_country"]) == (
        "Nanjing", "CN", "Tokyo", "JP",
    )  # fmt: skip
    assert result.filename.endswith(".csv")


def test_csv_edge_list_in_gb18030(registry):
    with session_scope(registry) as session:
        result = export.export(session, "csv", encoding="gb18030")
        with pytest.raises(InvalidInput, match="gb18030"):
            export.export(session, "csv", encoding="latin-1")
    assert result.media_type == "text/csv; charset=GB18030"
    assert result.content.decode("gb18030").startswith("id,a_id,a_name")


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_formats_read_back_with_networkx(registry, tmp_path, fmt, reader):
    path = tmp_path / f"network.{fmt}"
    path.write_bytes(_export(registry, fmt).content)
    g = reader(path)
    assert (g.number_of_nodes(), g.number_of_edges()) == (17, 15)
    assert not g.is_directed()
    nanjing = g.nodes["10"]
    assert nanjing["country"] == "CN"
    assert nanjing["province"] == "Jiangsu"
    assert nanjing["lat"] == pytest.approx(32.06)
    assert int(nanjing["population"]) == 9_300_000
    assert "population" not in g.nodes["24"]  # Rio: no population, left out
    assert g.edges["10", "20"]["kind"] == "sister_city"


def test_geojson(registry):
    collection = json.loads(_export(registry, "geojson").content)
    features = collection["features"]
    points = [f for f in features if f["geometry"]["type"] == "Point"]
    lines = [f for f in features if f["geometry"]["type"].endswith("LineString")]
    assert (len(points), len(lines)) == (17, 15)
    # Nanjing (118.8° E) to New York (74.0° W): across the Pacific, so cut at 180°.
    cut = next(f for f in lines if f["properties"]["a_id"] == 10 and f["properties"]["b_id"] == 22)
    assert cut["geometry"]["type"] == "MultiLineString"
    (_, east), (west, _) = cut["geometry"]["coordinates"]
    assert east[0] == 180 and west[0] == -180 and east[1] == west[1]
    assert collection["metadata"]["cut_at_antimeridian"] == 2
    nanjing = next(f for f in points if f["properties"]["id"] == 10)
    assert nanjing["geometry"]["coordinates"] == [118.80, 32.06]  # lon, lat
    line = next(f for f in lines if f["properties"]["a_id"] == 10 and f["properties"]["b_id"] == 20)
    assert line["geometry"]["coordinates"] == [[118.80, 32.06], [139.69, 35.69]]


def test_statistics_workbook_raw(registry):
    with session_scope(registry) as session:
        content = export.export(session, "xlsx", raw=True).content
    book = load_workbook(io.BytesIO(content))
    assert {"summary", "partner countries", "layout provinces", "coverage"} <= set(book.sheetnames)
    sheet = book["partner countries"]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (first["iso2"], first["pairs"]) == ("JP", 2)
    assert book["layout provinces"].max_row == 32  # header and 31 provinces


def test_statistics_workbook_for_people_in_chinese(registry):
    with session_scope(registry) as session:
        content = export.export(session, "xlsx", locale="zh").content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[:3] == ["概要", "伙伴国家", "伙伴所在大洲"]
    assert book.sheetnames[-1] == "导出说明"
    countries = book["伙伴国家"]
    rows = list(countries.iter_rows(values_only=True))
    assert rows[0][:5] == ("国家", "ISO 代码", "友好关系", "占比", "大洲")
    assert rows[1][:5] == ("日本", "JP", 2, 0.25, "亚洲")  # CLDR's name: the fixture has none
    assert countries.freeze_panes == "A2" and countries.auto_filter.ref.startswith("A1:")
    assert countries.column_dimensions["A"].width >= 6
    summary = dict(book["概要"].iter_rows(min_row=2, values_only=True))
    assert summary["本国"] == "中国" and summary["本国友好关系"] == 8
    assert list(book["类型"].iter_rows(values_only=True))[1][0] == "姐妹城市"
    notes = dict(book["导出说明"].iter_rows(values_only=True))
    assert notes["导出时间"].endswith("UTC") and "--raw" in notes["代码与编号"]


def test_unknown_format(registry):
    with pytest.raises(InvalidInput):
        _export(registry, "pdf")

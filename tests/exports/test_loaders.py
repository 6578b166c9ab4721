"""Every export, downloaded as a user gets it, loads in the tool its users use, unfixed.

On the demo registry: GraphML and GEXF in networkx, GeoJSON through a validator (structure by
the geojson package; positions in range, no segment across the map, no zero-length line), Excel
in openpyxl, CSV in the csv module (utf-8-sig, as Excel and pandas read it), iCalendar in
icalendar, the PDF report in pypdf.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select
from tests.exports.test_antimeridian import geometry_problems
from tests.support.demo import demo_copy

from amity.core.db import make_engine, session_scope
from amity.http.app import create_app
from amity.partnerships.models import Partnership
from amity.places.models import Place

AMITY = Path(sys.executable).with_name("amity")
pytestmark = pytest.mark.xdist_group("exports-demo")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[dict]:
    # A copy of the run's demo database (`amity init --demo`, built once: tests/support/demo.py).
    url = demo_copy(tmp_path_factory, "exports")
    engine = make_engine(url)
    with session_scope(engine) as session:
        counts = {
            "partnerships": session.scalar(select(func.count()).select_from(Partnership)),
            "nanjing": session.scalar(
                select(Place.id).where(Place.name == "Nanjing", Place.country_code == "CN")
            ),
        }
    with TestClient(create_app(engine)) as client:
        yield {"client": client, "url": url, **counts}
    engine.dispose()


def _get(demo, url: str, media: str) -> bytes:
    response = demo["client"].get(url)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith(media)
    assert "attachment" in response.headers.get("content-disposition", "")
    return response.content


def _csv_rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_geojson_is_valid_for_a_gis(demo):
    collection = json.loads(_get(demo, "/api/v1/export/geojson", "application/geo+json"))
    assert collection["type"] == "FeatureCollection"
    problems, kinds = [], {}
    for feature in collection["features"]:
        kind = feature["geometry"]["type"]
        kinds[kind] = kinds.get(kind, 0) + 1
        found = geometry_problems(feature["geometry"])
        problems += [(feature["properties"]["id"], problem) for problem in found]
    assert problems == []
    meta = collection["metadata"]
    # The demo's Pacific and Bering pairs (over a thousand) are cut, not drawn across the map.
    assert kinds["MultiLineString"] == meta["cut_at_antimeridian"] > 1000
    assert kinds["LineString"] + kinds["MultiLineString"] == meta["lines"]
    assert meta["lines"] + meta["left_out_zero_length"] + meta[
        "left_out_without_coordinates"
    ] == demo["partnerships"]


def test_geojson_from_the_command_line(demo, tmp_path):
    out = tmp_path / "network.geojson"
    env = {**os.environ, "AMITY_DATABASE_URL": demo["url"]}
    subprocess.run([AMITY, "export", "--format", "geojson", "-o", out], env=env, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    collection = json.loads(out.read_text(encoding="utf-8"))
    lines = [f for f in collection["features"] if f["properties"]["feature"] == "partnership"]
    assert len(lines) == collection["metadata"]["lines"]
    assert all(geometry_problems(f["geometry"]) == [] for f in lines)


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphs_load_in_networkx(demo, tmp_path, fmt, reader):
    path = tmp_path / f"network.{fmt}"
    path.write_bytes(_get(demo, f"/api/v1/export/{fmt}", f"application/{fmt}+xml"))
    graph = reader(path)
    assert graph.number_of_edges() == demo["partnerships"]
    nanjing = graph.nodes[str(demo["nanjing"])]
    assert nanjing["country"] == "CN" and float(nanjing["lat"]) == pytest.approx(32.06, abs=0.1)


def test_csv_exports_load_with_the_csv_module(demo):
    edges = _csv_rows(_get(demo, "/api/v1/export/csv", "text/csv"))
    assert len(edges) == demo["partnerships"]
    assert {"a_name", "b_name", "kind", "level"} <= set(edges[0])
    listed = _csv_rows(_get(demo, "/api/v1/partnerships/export.csv", "text/csv"))
    assert len(listed) == demo["partnerships"]
    exchanges = demo["client"].get("/api/v1/exchanges/export.csv")
    assert exchanges.status_code == 200
    header = next(csv.reader(io.StringIO(exchanges.content.decode("utf-8-sig"))))
    assert header and all(header)
    template = demo["client"].get("/import/template.csv?lang=zh")
    assert next(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    gb = demo["client"].get("/api/v1/export/csv?encoding=gb18030")
    assert len(list(csv.DictReader(io.StringIO(gb.content.decode("gb18030"))))) == len(edges)


def test_workbooks_load_in_openpyxl(demo):
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    stats = load_workbook(io.BytesIO(_get(demo, "/api/v1/export/xlsx?lang=en", xlsx)))
    assert len(stats.sheetnames) > 10
    raw = load_workbook(io.BytesIO(_get(demo, "/api/v1/export/xlsx?raw=true", xlsx)))
    assert "summary" in raw.sheetnames
    listed = load_workbook(io.BytesIO(_get(demo, "/api/v1/partnerships/export.xlsx", xlsx)))
    sheet = listed.worksheets[0]
    assert sheet.max_row >= demo["partnerships"]  # a header row above the partnerships
    report = load_workbook(
        io.BytesIO(_get(demo, f"/reports/{demo['nanjing']}/2024.xlsx?lang=zh", xlsx))
    )
    assert report.sheetnames
    template = demo["client"].get("/import/template.xlsx?lang=en")
    assert load_workbook(io.BytesIO(template.content)).worksheets[0].max_column > 3


def test_calendars_load_in_icalendar(demo):
    events = Calendar.from_ical(_get(demo, "/events.ics?lang=zh", "text/calendar"))
    assert len(events.walk("VEVENT")) >= 5  # the demo events known to the day
    assert all(event.decoded("dtstart") for event in events.walk("VEVENT"))
    anniversaries = Calendar.from_ical(_get(demo, "/anniversaries.ics", "text/calendar"))
    assert anniversaries.name == "VCALENDAR"


def test_the_pdf_report_loads_in_pypdf(demo):
    url = f"/reports/{demo['nanjing']}/2024.pdf"
    pdf = PdfReader(io.BytesIO(_get(demo, url, "application/pdf")))
    assert len(pdf.pages) >= 1 and "Nanjing" in pdf.pages[0].extract_text()

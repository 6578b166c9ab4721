"""Exports of the current selection: CSV with a BOM for Excel, and an .xlsx workbook."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from amity.core.db import session_scope
from amity.places.models import Place

from .test_api_read import assert_error


def test_csv_is_the_whole_selection_with_a_bom(api_client):
    response = api_client.get(
        "/api/v1/partnerships/export.csv", params={"country": "CN", "sort": "established"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 6
    assert {"a_id", "a_name", "a_country", "b_id", "b_name", "b_country", "kind", "level",
            "status", "established", "source"} <= set(rows[0])
    assert rows[0]["established"] == "1985"
    assert {r["a_name_zh"] for r in rows} & {"南京市", "巴黎"}
    assert all("CN" in (r["a_country"], r["b_country"]) for r in rows)


def test_xlsx_has_a_header_and_every_row(api_client):
    response = api_client.get("/api/v1/partnerships/export.xlsx", params={"kind": "sister_city"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "a_id", "a_name")
    assert len(rows) == 1 + 3
    assert {row[9] for row in rows[1:]} == {"sister_city"}


def test_export_refuses_paging_and_unknown_filters(api_client):
    assert_error(api_client.get("/api/v1/partnerships/export.csv", params={"page": 2}), 400,
                 "unknown_filter")
    assert_error(api_client.get("/api/v1/partnerships/export.xlsx", params={"kind": "x"}), 422,
                 "invalid_input")


def test_xlsx_drops_characters_excel_refuses(api_client, engine, small_registry):
    with session_scope(engine) as session:
        session.get(Place, small_registry["places"]["paris"]).name = "Pa\x07ris"
    response = api_client.get("/api/v1/partnerships/export.xlsx", params={"country": "FR"})
    assert response.status_code == 200
    names = {row[2] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(
        min_row=2, values_only=True)}
    assert "Paris" in names


def test_exports_never_turn_a_name_into_a_formula(api_client, engine, small_registry):
    formula = '=HYPERLINK("http://example.invalid","Paris")'
    with session_scope(engine) as session:
        session.get(Place, small_registry["places"]["paris"]).name = formula
    text = api_client.get("/api/v1/partnerships/export.csv", params={"country": "FR"}).content
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    names = {r["a_name"] for r in rows} | {r["b_name"] for r in rows}
    assert "'" + formula in names and formula not in names
    book = api_client.get("/api/v1/partnerships/export.xlsx", params={"country": "FR"}).content
    cells = [c for row in load_workbook(io.BytesIO(book)).active.iter_rows(min_row=2)
             for c in row if c.value == formula]  # fmt: skip
    assert cells and all(c.data_type == "s" for c in cells)  # text, not a formula ("f")

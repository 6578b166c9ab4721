"""Exports of the current selection: CSV with a BOM for Excel (or GB18030), the workbook for
people (names in the language, frozen header, filter, widths, a sheet on the selection) and the
raw workbook."""

from __future__ import annotations

import csv
import io

import pytest
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


def test_raw_xlsx_has_the_coded_header_and_every_row(api_client):
    response = api_client.get(
        "/api/v1/partnerships/export.xlsx", params={"kind": "sister_city", "raw": "true"}
    )
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
    response = api_client.get(
        "/api/v1/partnerships/export.xlsx", params={"country": "FR", "raw": "true"}
    )
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


def _people_book(api_client, **params):
    response = api_client.get("/api/v1/partnerships/export.xlsx", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content))


def test_the_workbook_for_people_speaks_chinese(api_client, small_registry):
    nanjing = small_registry["places"]["nanjing"]
    book = _people_book(api_client, place=nanjing, lang="zh", sort="-established")
    table, about = book.worksheets
    assert book.sheetnames == ["友好关系", "导出说明"]
    rows = list(table.iter_rows(values_only=True))
    assert rows[0] == ("地点", "地点所属国家或地区", "友好伙伴", "伙伴所属国家或地区", "关系层级",
                       "类型", "状态", "建立时间", "来源")  # fmt: skip
    # Nanjing's partners, Nanjing first on every row (whichever side it is stored on), and
    # names, never codes: 法国 not FR, 姐妹城市 not sister_city.
    assert rows[1:] == [
        ("南京市", "中国", "大阪", "日本", "城市与城市", "姐妹城市", "有效", "1990-05", "维基百科"),
        ("南京市", "中国", "巴黎", "法国", "城市与城市", "友好城市", "有效", "1985", "维基百科"),
    ]
    assert table.freeze_panes == "A2"
    assert table.auto_filter.ref == "A1:I3"
    widths = {k: d.width for k, d in table.column_dimensions.items()}
    assert all(widths[c] >= 6 for c in "ABCDEFGHI")
    assert widths["B"] > widths["A"]  # a longer header, a wider column
    assert table["A1"].font.bold
    notes = dict(about.iter_rows(values_only=True))
    assert notes["筛选条件"] == "所涉地方：南京市；排序：签约日期（降序）"
    assert notes["行数"] == 2
    assert notes["导出时间"].endswith("UTC") and notes["数据版本"]
    assert "维基百科（CC BY-SA 4.0）" in notes["来源"]
    assert "raw=true" in notes["代码与编号"]


def test_the_workbook_for_people_in_english_names_the_filters(api_client):
    book = _people_book(api_client, country="FR", kind="friendship_city", lang="en")
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("Place", "Place's country or region", "Partner",
                           "Partner's country or region")  # fmt: skip
    assert {row[5] for row in rows[1:]} == {"Friendship city"}
    assert {row[1] for row in rows[1:]} | {row[3] for row in rows[1:]} >= {"France", "China"}
    notes = dict(book.worksheets[1].iter_rows(values_only=True))
    assert notes["Selection"] == "Country: France; Kind: Friendship city; Sort by: Registry order"


def test_the_workbook_takes_the_language_of_the_browser(api_client):
    response = api_client.get(
        "/api/v1/partnerships/export.xlsx", headers={"Accept-Language": "zh-CN,zh;q=0.9"}
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0]["A1"].value == "地点"
    assert_error(api_client.get("/api/v1/partnerships/export.xlsx", params={"lang": "fr"}), 422,
                 "invalid_input")


def test_the_list_page_links_the_workbook_in_its_language(api_client):
    page = api_client.get("/partnerships", params={"q": "南京", "lang": "zh"})
    assert 'href="/api/v1/partnerships/export.xlsx?q=%E5%8D%97%E4%BA%AC&amp;lang=zh"' in page.text
    assert "export.csv?q=%E5%8D%97%E4%BA%AC&amp;encoding=gb18030" in page.text


def test_csv_in_gb18030_for_older_excel(api_client):
    response = api_client.get(
        "/api/v1/partnerships/export.csv", params={"country": "CN", "encoding": "gb18030"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=GB18030"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("gb18030")
    assert text.startswith("id,a_id,a_name")
    assert "南京市" in text and "巴黎" in text
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")  # really GB18030, not UTF-8 under another name
    assert_error(api_client.get("/api/v1/partnerships/export.csv", params={"encoding": "latin1"}),
                 422, "invalid_input")

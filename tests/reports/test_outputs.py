"""The report through the API, the pages, the workbook and the PDF, in both languages."""

from __future__ import annotations

import io

import openpyxl
import pypdf


def _url(world, place: str, year: int = 2013, suffix: str = "") -> str:
    return f"/reports/{world['ids'][place]}/{year}{suffix}"


def test_json_twin(client, world):
    body = client.get(f"/api/v1{_url(world, 'nanjing')}").json()
    assert body["summary"]["exchanges"] == 3 and body["year"] == 2013
    assert set(body) >= {
        "partnerships",
        "new_partnerships",
        "dormant",
        "exchanges",
        "by_mode",
        "by_field",
        "by_month",
        "countries",
        "by_continent",
        "map",
    }


def test_errors_in_the_standard_shape(client, world):
    missing = client.get("/api/v1/reports/99999/2013")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    for year in ("1800", "3000", "abc"):
        bad = client.get(f"/api/v1/reports/{world['ids']['nanjing']}/{year}")
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    assert client.get("/reports/99999/2013").status_code == 404
    assert client.get(_url(world, "nanjing", 1800)).status_code == 422


def test_pages_in_both_languages(client, world):
    zh = client.get(_url(world, "jiangsu") + "?lang=zh").text
    assert "江苏省 2013年度报告" in zh and "交流方式" in zh and "大阪" in zh
    en = client.get(_url(world, "jiangsu") + "?lang=en").text
    assert "Jiangsu: annual report 2013" in en and "Exchanges by mode" in en
    assert 'id="report-map"' in en and "<script>" not in en


def test_search_page_resolves_ids(client, world):
    assert "年度报告" in client.get("/reports?lang=zh").text
    found = client.get(f"/reports?place={world['ids']['suzhou']}&year=2012", follow_redirects=False)
    assert found.status_code == 303
    assert found.headers["location"] == _url(world, "suzhou", 2012)


def test_workbook(client, world):
    response = client.get(_url(world, "jiangsu", suffix=".xlsx") + "?lang=zh")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "概要" and "友好关系" in book.sheetnames
    summary = {row[0]: row[1] for row in book["概要"].iter_rows(min_row=2, values_only=True)}
    assert summary["友好关系"] == 3 and summary["交流"] == 3
    modes = book["交流方式"]
    assert modes.freeze_panes == "A2" and modes["A1"].value == "交流方式"
    assert sorted(r[1] for r in modes.iter_rows(min_row=2, values_only=True)) == [1, 1, 1]
    assert modes.column_dimensions["A"].width == 24
    en = openpyxl.load_workbook(
        io.BytesIO(client.get(_url(world, "jiangsu", suffix=".xlsx") + "?lang=en").content)
    )
    assert en.sheetnames[0] == "Summary" and en["Partnerships"]["B1"].value == "Partner"


def test_pdf(client, world):
    response = client.get(_url(world, "jiangsu", suffix=".pdf") + "?lang=zh")
    assert response.headers["content-type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    assert 1 <= len(pdf.pages) <= 4
    text = pdf.pages[0].extract_text()
    assert "江苏省 2013年度报告" in text
    english = pypdf.PdfReader(
        io.BytesIO(client.get(_url(world, "jiangsu", suffix=".pdf") + "?lang=en").content)
    )
    assert "Jiangsu: annual report 2013" in english.pages[0].extract_text()

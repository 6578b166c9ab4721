"""The recommendations' exports for people (issue 19): CSV with a BOM (or GB18030) and an Excel
workbook in the page's language, names not ids, reasons in words without index names, the same
order as the JSON answer, and the JSON route's refusals."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from amity.http.app import create_app

# Index and model names that belong in the details only, never in the plain list.
TECHNICAL = ("Adamic", "L3", "logit", "指数", "paths of three", "degree")
ZH_HEADERS = ["名次", "候选地点", "国家或地区", "层级", "得分", "多样性扣分", "排序得分",
              "主要理由"]  # fmt: skip
EN_HEADERS = ["Rank", "Candidate", "Country or region", "Level", "Score", "Diversity penalty",
              "Rank score", "Main reasons"]  # fmt: skip


def _csv(answer) -> list[list[str]]:
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read Chinese
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def _names(results: list[dict], locale: str) -> list[str]:
    return [r["name_zh"] if locale == "zh" else r["name"] for r in results]


def _no_technical(text: str) -> None:
    assert [t for t in TECHNICAL if t in text] == [], text


def test_csv_in_chinese_follows_the_json_answer(api, network):
    xian = network["ids"]["xian"]
    query = {"place": xian, "k": 10}
    answer = api.get("/api/v1/recommend", params=query).json()
    assert len(answer["results"]) >= 2  # an order to compare
    table = _csv(api.get("/api/v1/recommend/export.csv", params={**query, "lang": "zh"}))
    assert table[0] == ZH_HEADERS
    rows = table[1:]
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(answer["results"]) + 1)]
    assert [r[1] for r in rows] == _names(answer["results"], "zh")  # names, in the same order
    assert [float(r[4]) for r in rows] == [r["score"] for r in answer["results"]]
    assert [float(r[5]) for r in rows] == [r["penalty"] for r in answer["results"]]
    assert [float(r[6]) for r in rows] == [r["rank_score"] for r in answer["results"]]
    ids = {str(r["id"]) for r in answer["results"]}
    assert not any(cell in ids for row in rows for cell in row[1:4])  # no ids
    first = answer["results"][0]
    shown = "；".join(
        f"{'＋' if r['sign'] == '+' else '−'} {r['text']['zh']}" for r in first["reasons"]
    )
    assert rows[0][7] == shown and shown  # the page's reasons, in Chinese
    _no_technical("\n".join(",".join(r) for r in table))
    assert {r[3] for r in rows} == {"城市"}  # cities are offered cities


def test_csv_filters_english_and_gb18030(api, network):
    xian = network["ids"]["xian"]
    query = {"place": xian, "continent": "Africa"}
    en = _csv(api.get("/api/v1/recommend/export.csv", params={**query, "lang": "en"}))
    assert en[0] == EN_HEADERS
    assert [r[1:4] for r in en[1:]] == [["Nairobi", "Kenya", "City"]]
    assert "Belt and Road partner country" in en[1][7] and "; " in en[1][7]
    old = api.get("/api/v1/recommend/export.csv",
                  params={**query, "lang": "zh", "encoding": "gb18030"})  # fmt: skip
    assert old.status_code == 200 and "GB18030" in old.headers["content-type"]
    assert not old.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(old.content.decode("gb18030"))))
    assert table[0] == ZH_HEADERS and table[1][1:3] == ["内罗毕", "肯尼亚"]


def test_xlsx_for_people_in_chinese(api, network):
    xian = network["ids"]["xian"]
    query = {"place": xian, "k": 10}
    answer = api.get("/api/v1/recommend", params=query).json()
    got = api.get("/api/v1/recommend/export.xlsx", params={**query, "lang": "zh"})
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "recommendations-" in got.headers["content-disposition"]
    book = load_workbook(io.BytesIO(got.content))
    assert book.sheetnames == ["推荐", "详情", "导出说明"]
    sheet = book["推荐"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ZH_HEADERS
    assert [row[1] for row in values[1:]] == _names(answer["results"], "zh")
    assert [row[0] for row in values[1:]] == list(range(1, len(answer["results"]) + 1))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:H{len(values)}"
    assert sheet.column_dimensions["H"].width > sheet.column_dimensions["A"].width >= 6
    _no_technical("\n".join(str(v) for row in values for v in row))
    # The details name the factors and may name the indices: on their own sheet.
    details = [list(row) for row in book["详情"].iter_rows(values_only=True)]
    assert details[0] == ["名次", "候选地点", "因素", "贡献", "详情"]
    factors = {row[2] for row in details[1:]}
    assert {"共同友城", "距离"} <= factors
    assert len(details) - 1 == sum(len(r["factors"]) for r in answer["results"])
    about = dict(book["导出说明"].iter_rows(values_only=True))
    assert about["地点"] == "西安市 · 中国"
    assert about["筛选条件"] == "无筛选"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", about["导出时间"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", about["权重学习时间"])
    assert about["权重"] == answer["weights"]["zh"]
    assert about["显示的候选"] == len(answer["results"])
    # The figures' columns are explained: the list is ordered by score − penalty.
    assert about["排序得分"] == "得分 − 多样性扣分：名单按此排序。"
    assert "中国城市" in about["多样性扣分"]


def test_xlsx_about_sheet_names_the_filters_in_english(api, network):
    xian = network["ids"]["xian"]
    got = api.get("/api/v1/recommend/export.xlsx", params={
        "place": xian, "continent": "Africa", "belt_and_road": True, "diverse": False,
        "lang": "en",
    })  # fmt: skip
    book = load_workbook(io.BytesIO(got.content))
    assert book.sheetnames == ["Recommendations", "Details", "About this export"]
    rows = list(book["Recommendations"].iter_rows(values_only=True))
    assert rows[0] == tuple(EN_HEADERS) and [r[1] for r in rows[1:]] == ["Nairobi"]
    about = dict(book["About this export"].iter_rows(values_only=True))
    assert about["Place"] == "Xi'an · China"
    assert about["Filters"] == "Continent: Africa; Belt and Road countries only"
    assert about["Diversity re-ranking"] == "Not applied"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_bad_input_is_refused_as_the_json_route_refuses_it(api, network, suffix):
    xian = network["ids"]["xian"]
    for params, status in (
        ({"place": xian, "continent": "Atlantis"}, 422),
        ({"place": xian, "region": "Mars"}, 422),
        ({"place": xian, "scope": "moon"}, 422),
        ({"place": xian, "country": "ZZ"}, 422),
        ({"place": 999_999}, 404),
        ({"place": "Xi'an"}, 422),
    ):
        json_answer = api.get("/api/v1/recommend", params=params)
        answer = api.get(f"/api/v1/recommend/export.{suffix}", params=params)
        assert (answer.status_code, json_answer.status_code) == (status, status), params
        assert answer.json() == json_answer.json()
    refused = api.get(f"/api/v1/recommend/export.{suffix}",
                      params={"place": xian, "continent": "Atlantis"}).json()  # fmt: skip
    assert "Africa" in str(refused)  # the allowed values are listed


@pytest.fixture
def web(web_network: dict) -> TestClient:
    return TestClient(create_app(web_network["engine"]))


def _links(page: str) -> dict[str, str]:
    return {
        key: html.unescape(href)
        for href, key in re.findall(r'<a href="([^"]+)" id="(export-[a-z0-9-]+)"', page)
    }


def test_the_page_links_to_its_exports_with_its_query(web, web_network):
    xian = web_network["ids"]["xian"]
    page = web.get(f"/recommend?place={xian}&continent=Africa&belt_and_road=1&lang=zh").text
    assert "导出 CSV" in page and "导出 Excel" in page
    links = _links(page)
    assert set(links) == {"export-csv", "export-xlsx", "export-csv-gb18030"}
    assert "continent=Africa" in links["export-xlsx"] and "lang=zh" in links["export-xlsx"]
    book = load_workbook(io.BytesIO(web.get(links["export-xlsx"]).content))
    rows = list(book["推荐"].iter_rows(values_only=True))
    assert rows[0][1] == "候选地点" and [r[1] for r in rows[1:]] == ["内罗毕"]
    table = _csv(web.get(links["export-csv"]))
    assert [r[1] for r in table[1:]] == ["内罗毕"]
    # No candidate left (a home place is offered no home country): no export links.
    empty = web.get(f"/recommend?place={xian}&country=CN&lang=zh").text
    assert "经筛选与约束后没有候选。" in empty and "export-csv" not in empty

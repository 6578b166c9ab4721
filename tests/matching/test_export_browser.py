"""The recommendations' exports in a real Chromium, in Chinese: an officer picks 西安, narrows
the list to Africa, clicks "导出 Excel" and gets the workbook the page describes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from tests.support.live import SHOTS, choose_place, watched_page

from .conftest import served_network

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with served_network(tmp_path_factory.mktemp("export")) as base:
        yield base


def test_an_officer_exports_the_recommendations_in_chinese(browser, server):
    with watched_page(browser, server, locale="zh-CN") as page:
        page.goto(f"{server}/recommend?lang=zh")
        choose_place(page, "place", "西安", "西安市")
        page.locator("select[name='continent']").select_option("Africa")
        page.locator(".recommend-form button[type='submit']").click()
        page.locator("#recommend-title").wait_for()
        links = page.locator(".exports a").all_inner_texts()
        assert links == ["导出 Excel", "导出 CSV", "CSV (GB18030)"]
        page.screenshot(path=str(SHOTS / "recommend-export-zh.png"), full_page=True)
        with page.expect_download() as got:
            page.locator("#export-xlsx").click()
        book = load_workbook(io.BytesIO(got.value.path().read_bytes()))
        assert got.value.suggested_filename.endswith(".xlsx")
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        assert rows[0][:3] == ("名次", "候选地点", "国家或地区")
        assert [r[1:3] for r in rows[1:]] == [("内罗毕", "肯尼亚")]
        about = dict(book["导出说明"].iter_rows(values_only=True))
        assert about["地点"] == "西安市 · 中国" and about["筛选条件"] == "大洲：非洲"
        with page.expect_download() as got:
            page.locator("#export-csv").click()
        text = got.value.path().read_text(encoding="utf-8-sig")
        assert list(csv.reader(io.StringIO(text)))[1][1] == "内罗毕"
        assert page.errors == []


def test_the_links_in_english_and_none_without_results(browser, server):
    with watched_page(browser, server, locale="en-GB") as page:
        page.goto(f"{server}/recommend?q=Xi'an&lang=en")
        links = page.locator(".exports a").all_inner_texts()
        assert links == ["Export Excel", "Export CSV", "CSV (GB18030)"]
        page.screenshot(path=str(SHOTS / "recommend-export-en.png"), full_page=True)
        page.goto(f"{server}/recommend?q=Xi'an&country=CN&lang=en")  # nothing left
        assert page.locator(".exports").count() == 0

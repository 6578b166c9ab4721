"""The case library in a real Chromium: search in Chinese, see the highlight, open the case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.support.live import serve

pytestmark = pytest.mark.browser


@pytest.fixture
def server(sqlite_library) -> Iterator[str]:
    with serve(sqlite_library["engine"], ready="/cases") as base:
        yield base


def test_search_in_chinese_and_open_a_result(page, sqlite_library):
    page.goto(f"{page.base}/cases?lang=zh")
    assert page.locator("#result-count").get_attribute("data-total") == "5"
    page.fill("#q", "苹果")
    page.press("#q", "Enter")
    page.wait_for_url("**/cases?q=*")
    assert page.locator("#result-count").get_attribute("data-total") == "1"
    result = page.locator(".case-result").first
    assert result.locator("mark").first.inner_text() == "苹果"
    result.locator("h2 a").click()
    page.wait_for_url(f"**/cases/{sqlite_library['ids']['apple']}")
    assert page.locator("#case-title").inner_text() == "陕西与哈萨克斯坦共建苹果园"
    assert page.locator("article.case-en").inner_text().count("Kazakhstan") >= 1
    assert page.errors == []

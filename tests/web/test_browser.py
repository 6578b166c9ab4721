"""The pages in a real headless Chromium against a real uvicorn server on a temporary database."""

from __future__ import annotations

import pytest
from tests.support.live import SHOTS

pytestmark = pytest.mark.browser
# One server for the module (tests/web/conftest.py's `server`): its tests only read the registry.
READ_ONLY = True


def test_filtering_in_chinese_changes_count_and_rows(page):
    page.goto(f"{page.base}/partnerships?lang=zh")
    assert page.locator("#result-count").get_attribute("data-total") == "7"
    assert page.locator("table.partnerships tbody tr").count() == 7
    page.screenshot(path=str(SHOTS / "partnerships-zh.png"), full_page=True)
    # Choosing a China province applies at once (the select submits its form).
    with page.expect_navigation():
        page.select_option("select[name=province]", "510000")
    assert "province=510000" in page.url and "country=" not in page.url
    assert page.locator("#result-count").get_attribute("data-total") == "2"
    rows = page.locator("table.partnerships tbody tr")
    assert rows.count() == 2
    assert all("成都市" in rows.nth(i).inner_text() for i in range(2))
    page.fill("#q", "Houston")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.locator("#result-count").get_attribute("data-total") == "1"
    assert page.errors == []


def test_english_list_and_language_switch(page):
    page.goto(f"{page.base}/partnerships?lang=en")
    assert page.locator("h1").inner_text() == "Partnerships"
    page.screenshot(path=str(SHOTS / "partnerships-en.png"), full_page=True)
    page.click(".lang-switch a[lang=zh-Hans]")
    assert page.locator("h1").inner_text() == "友好关系"
    page.goto(f"{page.base}/about/data")
    assert page.locator("h1").inner_text() == "关于数据"  # the cookie remembers
    assert page.errors == []


def test_home_map_draws(page):
    page.goto(f"{page.base}/?lang=zh")
    page.wait_for_selector("#world-map[data-drawn=true] canvas", timeout=10000)
    drawn = page.evaluate(
        """() => {
        const c = document.querySelector('#world-map canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < d.length; i += 4 * 16) if (d[i] > 0) inked++;
        return inked;
    }"""
    )
    assert drawn > 1000
    page.wait_for_timeout(600)  # the map's entry animation
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    assert page.errors == []


def test_place_page_map(page, read_only_registry):
    page.goto(f"{page.base}/places/{read_only_registry['ids']['chengdu']}?lang=zh")
    page.wait_for_selector("#place-map[data-drawn=true] canvas", timeout=10000)
    assert page.locator("h1").inner_text().startswith("成都市")
    page.wait_for_timeout(600)
    page.screenshot(path=str(SHOTS / "place-zh.png"), full_page=True)
    assert page.errors == []

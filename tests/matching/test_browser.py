"""Recommendations in a real Chromium, in Chinese: search, pick, read the reasons."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.support.live import SHOTS, watched_page

from .conftest import served_network

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with served_network(tmp_path_factory.mktemp("matching")) as base:
        yield base


@pytest.fixture
def page(browser, server):
    with watched_page(browser, server, locale="zh-CN") as opened:
        yield opened


def _text_and_background(element) -> tuple[str, str]:
    """An element's text colour and the colour it is drawn on (its own, else its nearest
    ancestor's that is not transparent)."""
    return tuple(
        element.evaluate(
            """e => {
            const text = getComputedStyle(e).color;
            for (let n = e; n; n = n.parentElement) {
                const bg = getComputedStyle(n).backgroundColor;
                if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return [text, bg];
            }
            return [text, 'rgb(255, 255, 255)'];
        }"""
        )
    )


def test_recommendations_for_a_chinese_city_in_chinese(page):
    page.goto(f"{page.base}/recommend?lang=zh")
    assert page.locator("header nav a[href='/recommend']").inner_text() == "友城匹配"
    page.locator(".place-search-input").fill("西安")
    suggestion = page.locator(".place-suggestion", has_text="西安市")
    suggestion.wait_for()
    # The suggestions are readable: their text is not the colour behind it (it was white on white,
    # the accent buttons' white text inherited by the suggestion buttons), also under the pointer.
    assert _text_and_background(suggestion)[0] != _text_and_background(suggestion)[1]
    suggestion.hover()
    text, behind = _text_and_background(suggestion)
    assert text != behind and text != "rgb(255, 255, 255)"
    suggestion.click()
    page.wait_for_selector("#recommend-title")
    assert page.locator("#recommend-title").inner_text() == "为西安市推荐的友城"
    names = page.locator(".candidate-name").all_inner_texts()
    assert sorted(names) == ["京都", "内罗毕"]
    # The plain reasons, each after its sign; the factors' numbers folded under 详情 (details).
    plain = page.locator("ul.reasons li").all_inner_texts()
    assert "＋ “一带一路”合作国家；布局薄弱的大洲（非洲）" in plain
    assert all(r[0] in "＋−" for r in plain)
    assert not page.locator("table.factors").first.is_visible()
    for summary in page.locator("details.factor-details summary").all():
        assert summary.inner_text() == "详情"
        summary.click()
    reasons = " ".join(page.locator("td.reason").all_inner_texts())
    assert "共同友城 1 个" in reasons and "相距" in reasons and "公里" in reasons
    titles = page.locator("table.factors th").all_inner_texts()
    assert "共同友城" in titles and "距离" in titles
    # The small test network has too few ties per continent: the weights of all places score it.
    assert page.locator("p.weights").inner_text().startswith("权重学自所有城市的")
    excluded = page.locator("section.excluded").inner_text()
    assert "已是友城" in excluded and "巴黎" in excluded
    assert page.errors == []


def test_board_and_plan_pages_render_in_chinese(page):
    page.goto(f"{page.base}/plan?province=610000&new=2&lang=zh")
    assert page.locator("table.pairings tbody tr").count() == 2
    page.goto(f"{page.base}/board?lang=zh")
    assert page.locator("#note-count").get_attribute("data-total") == "0"
    # A visitor may not post a note, so the page shows no form to post one (issue 13).
    assert page.locator("h2#post").count() == 0
    assert page.locator("h1").inner_text() != ""
    assert page.errors == []


def test_the_priority_filters_of_the_form_in_chinese(page):
    page.goto(f"{page.base}/recommend?q=西安&lang=zh")
    form = page.locator("form.recommend-form")
    form.get_by_label("仅“一带一路”合作国家").check()
    form.get_by_label("地区").select_option(label="撒哈拉以南非洲")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#recommend-title")
    assert page.locator(".candidate-name").all_inner_texts() == ["内罗毕"]
    # The form keeps what was asked, and its words are Chinese.
    assert page.get_by_label("仅“一带一路”合作国家").is_checked()
    assert "region=Sub-Saharan+Africa" in page.url and "belt_and_road=1" in page.url
    assert "仅布局薄弱的国家（与中国不足 10 对）" in form.inner_text()
    page.screenshot(path=str(SHOTS / "recommend-priorities-zh.png"), full_page=True)
    assert page.errors == []

"""The pages on a phone and the list's table, in Chromium in Chinese (issue 19): at 390 px the
navigation folds behind a Menu button (keyboard too, aria-expanded), the page never scrolls
sideways (a wide table scrolls in its own box); on a wide screen nothing of it shows. Column
headers sort and the "go to page" field jumps.

Screenshots go to AMITY_SCREENSHOTS (default /tmp/amity-screenshots): phone-zh.png (the menu
folded), phone-zh-menu.png (open), desktop-zh.png."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from tests.support.live import SHOTS

pytestmark = pytest.mark.browser
# One server for the module (tests/web/conftest.py's `server`): its tests only read the registry.
READ_ONLY = True

PHONE = {"width": 390, "height": 844}


@contextmanager
def sized_page(browser, base: str, viewport: dict) -> Iterator:
    """A page of this size in Chinese; fails the test on a script or console error."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page
        assert errors == []
    finally:
        context.close()


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_phone_menu_folds_and_the_page_never_scrolls_sideways(browser, server):
    with sized_page(browser, server, PHONE) as page:
        page.goto(server + "/partnerships?lang=zh")
        button = page.locator("button.nav-toggle")
        links = page.locator("#main-nav a")
        assert button.is_visible() and button.inner_text().strip() == "菜单"
        assert button.get_attribute("aria-expanded") == "false"
        assert links.count() >= 10
        assert all(not links.nth(i).is_visible() for i in range(links.count()))
        assert scroll_width(page) <= 390
        # The table is wider than the phone: it scrolls inside its own box.
        assert page.evaluate(
            "(() => { const t = document.querySelector('table.data');"
            " return t.scrollWidth > t.clientWidth; })()"
        )
        page.screenshot(path=str(SHOTS / "phone-zh.png"))

        # Opened from the keyboard, as a person without a mouse does.
        button.focus()
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        assert links.first.inner_text() == "友好关系"
        assert scroll_width(page) <= 390
        page.screenshot(path=str(SHOTS / "phone-zh-menu.png"))
        page.keyboard.press("Tab")  # into the menu's first link
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert not links.first.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
        button.click()
        links.nth(1).click()  # 交流
        page.wait_for_url("**/exchanges**")
        assert scroll_width(page) <= 390
        assert not page.locator("#main-nav a").first.is_visible()  # folded on the next page


def test_wide_screen_shows_the_links_and_no_button(browser, server):
    with sized_page(browser, server, {"width": 1280, "height": 900}) as page:
        page.goto(server + "/partnerships?lang=zh")
        assert not page.locator("button.nav-toggle").is_visible()
        links = page.locator("#main-nav a")
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        assert scroll_width(page) <= 1280
        page.screenshot(path=str(SHOTS / "desktop-zh.png"))


def test_headers_sort_and_the_page_field_jumps(browser, server):
    with sized_page(browser, server, {"width": 1280, "height": 900}) as page:
        page.goto(server + "/partnerships?lang=zh&per_page=2")
        since = page.locator("th.sortable", has=page.locator("a[data-sort='established']"))
        assert since.get_attribute("aria-sort") is None
        since.locator("a").click()
        page.wait_for_url("**sort=established**")
        assert "per_page=2" in page.url
        assert since.get_attribute("aria-sort") == "ascending"
        assert page.locator("tbody tr td:nth-child(8)").all_inner_texts() == ["1958", "1985"]
        since.locator("a").click()
        page.wait_for_url("**sort=-established**")
        assert since.get_attribute("aria-sort") == "descending"
        assert page.locator("tbody tr td:nth-child(8)").all_inner_texts() == ["2000", "1990"]

        jump = page.locator("form.page-jump")
        jump.locator("input[name=page]").fill("4")
        jump.locator("button").click()
        page.wait_for_url("**page=4**")
        assert "sort=-established" in page.url and "per_page=2" in page.url
        assert page.locator(".page-numbers [aria-current=page]").inner_text() == "4"
        assert page.locator("tbody tr td:nth-child(8)").all_inner_texts() == ["—"]

"""The case library in a real Chromium: search in Chinese, see the highlight, open the case."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(sqlite_library) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "AMITY_DATABASE_URL": str(sqlite_library["engine"].url)}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "amity.http.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # a busy machine may take a minute to import the app
            try:
                if httpx.get(f"{base}/cases", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_search_in_chinese_and_open_a_result(server, sqlite_library):
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{server}/cases?lang=zh")
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
        browser.close()
        assert errors == []

"""The sync page in a real headless Chromium, against a real uvicorn server and the local
SPARQL endpoint: check (dry run), read the diff in Chinese, confirm, see it written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from tests.auth.world import PASSWORD
from tests.sync.conftest import build_world
from tests.web.test_browser import ARGS, CHROMIUM, SHOTS, _free_port

from amity.auth import service
from amity.core.db import session_scope
from amity.partnerships.models import Partnership

pytestmark = pytest.mark.browser


@pytest.fixture
def server(sqlite_engine, endpoint, tmp_path) -> Iterator[str]:
    build_world(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        service.create_user(session, username="admin", password=PASSWORD, role="national_admin")
    port = _free_port()
    env = {**os.environ, "AMITY_DATABASE_URL": str(sqlite_engine.url),
           "AMITY_WIKIDATA_ENDPOINT": endpoint.url, "AMITY_SYNC_CACHE": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "amity.http.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def tab(server):
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: r.url.startswith(server) or page.errors.append(r.url))
        page.base = server
        yield page
        browser.close()


def _sign_in(tab, lang: str) -> None:
    tab.goto(f"{tab.base}/login?lang={lang}")
    tab.fill("input[name=username]", "admin")
    tab.fill("input[name=password]", PASSWORD)
    with tab.expect_navigation():
        tab.click("form button[type=submit]")


def test_check_review_and_confirm_in_chinese(tab, sqlite_engine):
    _sign_in(tab, "zh")
    tab.goto(f"{tab.base}/admin/sync?lang=zh")
    assert tab.locator("h1").inner_text() == "从维基数据同步"
    with tab.expect_navigation():
        tab.click("#sync-preview button[type=submit]")
    assert tab.locator("#sync-counts [data-key=new_pairs]").inner_text() == "3"
    assert "佛罗伦萨" in tab.locator("body").inner_text()
    conflicts = tab.locator("#sync-conflicts").inner_text()
    assert "已存有不同的值（并非来自同步）" in conflicts and "1991" in conflicts
    tab.screenshot(path=str(SHOTS / "sync-diff-zh.png"), full_page=True)
    with session_scope(sqlite_engine) as s:
        assert "1985-06" not in s.scalars(select(Partnership.established)).all()
    with tab.expect_navigation():
        tab.click("#sync-apply button[type=submit]")
    assert "已作为登记管理员的行为写入" in tab.locator("#sync-done").inner_text()
    tab.screenshot(path=str(SHOTS / "sync-done-zh.png"), full_page=True)
    with session_scope(sqlite_engine) as s:
        assert "1985-06" in s.scalars(select(Partnership.established)).all()
    assert tab.errors == []


def test_the_diff_in_english(tab):
    _sign_in(tab, "en")
    tab.goto(f"{tab.base}/admin/sync?lang=en")
    with tab.expect_navigation():
        tab.click("#sync-preview button[type=submit]")
    assert "Nanjing – Florence" in tab.locator("#sync-new-pairs").inner_text()
    tab.screenshot(path=str(SHOTS / "sync-diff-en.png"), full_page=True)
    assert tab.errors == []

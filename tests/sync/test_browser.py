"""The sync page in a real headless Chromium, against a real uvicorn server and the local
SPARQL endpoint: check (dry run), read the diff in Chinese, confirm, see it written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from tests.auth.world import PASSWORD
from tests.support.live import SHOTS, serve
from tests.sync.conftest import build_world

from amity.auth import service
from amity.core.db import session_scope
from amity.partnerships.models import Partnership

pytestmark = pytest.mark.browser


@pytest.fixture
def server(sqlite_engine, endpoint, tmp_path) -> Iterator[str]:
    build_world(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        service.create_user(session, username="admin", password=PASSWORD, role="national_admin")
    env = {"AMITY_WIKIDATA_ENDPOINT": endpoint.url, "AMITY_SYNC_CACHE": str(tmp_path / "cache")}
    with serve(sqlite_engine, env=env) as base:
        yield base


def _sign_in(page, lang: str) -> None:
    page.goto(f"{page.base}/login?lang={lang}")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def test_check_review_and_confirm_in_chinese(page, sqlite_engine):
    _sign_in(page, "zh")
    page.goto(f"{page.base}/admin/sync?lang=zh")
    assert page.locator("h1").inner_text() == "从维基数据同步"
    with page.expect_navigation():
        page.click("#sync-preview button[type=submit]")
    assert page.locator("#sync-counts [data-key=new_pairs]").inner_text() == "3"
    assert "佛罗伦萨" in page.locator("body").inner_text()
    conflicts = page.locator("#sync-conflicts").inner_text()
    assert "已存有不同的值（并非来自同步）" in conflicts and "1991" in conflicts
    page.screenshot(path=str(SHOTS / "sync-diff-zh.png"), full_page=True)
    with session_scope(sqlite_engine) as s:
        assert "1985-06" not in s.scalars(select(Partnership.established)).all()
    with page.expect_navigation():
        page.click("#sync-apply button[type=submit]")
    assert "已作为登记管理员的行为写入" in page.locator("#sync-done").inner_text()
    page.screenshot(path=str(SHOTS / "sync-done-zh.png"), full_page=True)
    with session_scope(sqlite_engine) as s:
        assert "1985-06" in s.scalars(select(Partnership.established)).all()
    assert page.errors == []


def test_the_diff_in_english(page):
    _sign_in(page, "en")
    page.goto(f"{page.base}/admin/sync?lang=en")
    with page.expect_navigation():
        page.click("#sync-preview button[type=submit]")
    assert "Nanjing – Florence" in page.locator("#sync-new-pairs").inner_text()
    page.screenshot(path=str(SHOTS / "sync-diff-en.png"), full_page=True)
    assert page.errors == []

"""The partnership page fills its health section in Chromium (the one script of this domain)."""

from __future__ import annotations

import pytest
from tests.web.conftest import server  # noqa: F401 (the fixture; `page` is tests/conftest.py's)

from amity.core.db import session_scope
from amity.exchanges.service import record_exchange

pytestmark = pytest.mark.browser


def test_partnership_page_loads_health_and_timeline(registry, page):
    ids = registry["ids"]
    with session_scope(registry["engine"]) as session:
        pid = record_exchange(
            session, place_a_id=ids["nanjing"], place_b_id=ids["paris"], mode="forum",
            start="2023", outcome="Forum on green ports",
        )["partnership_id"]  # fmt: skip
    page.goto(f"{page.base}/partnerships/{pid}?lang=zh")
    page.wait_for_selector("#activity[data-loaded='true']")
    assert "友好关系健康度" in page.locator("#activity").inner_text()
    assert "Forum on green ports" in page.locator("#activity table.exchanges").inner_text()
    assert page.errors == []

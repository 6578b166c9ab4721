"""The honeypot of the public's voice, in Chromium: out of sight, out of the accessibility tree
and the tab order, never filled by the browser, yet in the form for bots to fill."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.auth.world import build_world
from tests.support import live

from amity.core import schema
from amity.core.db import make_engine


@pytest.fixture
def server(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'voice.db'}")
    schema.upgrade(engine)
    pair = build_world(engine)["pairs"][0]
    engine.dispose()
    with live.serve(f"sqlite:///{tmp_path / 'voice.db'}", ready="/partnerships") as base:
        yield {"base": base, "pair": pair}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_honeypot_is_hidden_from_people(browser, server, lang):
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{server['base']}/voice/partnership/{server['pair']}?lang={lang}")
    trap = page.locator("label.hp")
    box = trap.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0  # off the page, not display:none
    assert box["width"] <= 1 and box["height"] <= 1
    field = page.locator("input[name=website]")
    assert field.get_attribute("tabindex") == "-1"
    assert field.get_attribute("autocomplete") == "off"
    tree = page.locator("form.edit").aria_snapshot()
    assert "此项请留空" not in tree and "Leave this empty" not in tree
    assert "您的留言" in tree or "Your message" in tree  # the tree is there: the form is read
    page.screenshot(path=f"/tmp/voice-{lang}.png")
    page.close()

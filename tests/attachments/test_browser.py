"""In a real Chromium, in Chinese: Nanjing's officer uploads a photo on a case page and sees its
thumbnail; a file that is not a photo is refused in Chinese; the exchange form finds the
partnership by typing 南京 and picking 巴黎.

Screenshots go to AMITY_SCREENSHOTS (default /tmp/amity-screenshots)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.attachments.conftest import HTML, png
from tests.places.form_world import build_form_world
from tests.support.live import SHOTS, choose_place, serve, sign_in_page, watched_page

from amity.cases.schemas import CaseCreate
from amity.cases.service import create_case
from amity.core import schema
from amity.core.db import make_engine, session_scope

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("attachments")
    engine = make_engine(f"sqlite:///{folder / 'amity.db'}")
    schema.upgrade(engine)
    world = build_form_world(engine)
    with session_scope(engine) as session:
        case = create_case(session, CaseCreate(
            title_zh="南京与巴黎：友城四十年", title_en="Nanjing and Paris", source="test",
            place_ids=[world["places"]["nanjing"]],
        ))  # fmt: skip
        world["case"] = case.id
    engine.dispose()
    files = folder / "files"
    env = {"AMITY_ATTACHMENTS_DIR": str(files)}
    with serve(f"sqlite:///{folder / 'amity.db'}", env=env) as base:
        yield {**world, "base": base, "files": files, "folder": folder}


@pytest.fixture
def tab(browser, site):
    with watched_page(browser, site["base"], locale="zh-CN") as opened:
        yield opened


def sign_in(tab, username: str) -> None:
    sign_in_page(tab, tab.base, username)


def test_an_officer_uploads_a_photo_and_sees_its_thumbnail(tab, site):
    sign_in(tab, "nj")
    tab.goto(f"{tab.base}/cases/{site['case']}?lang=zh")
    form = tab.locator("form.attachment-upload")
    assert "添加照片（JPEG、PNG、WebP）或 PDF 文件，不超过 10 MB" in form.inner_text()
    photo = site["folder"] / "合影.png"
    photo.write_bytes(png(600, 400, (30, 110, 190)))
    form.locator("input[type=file]").set_input_files(str(photo))
    form.locator("button[type=submit]").click()
    thumbnail = tab.locator(".attachment-photos img")
    thumbnail.wait_for()
    assert thumbnail.get_attribute("alt") == "合影.png"
    assert (thumbnail.get_attribute("width"), thumbnail.get_attribute("height")) == ("240", "160")
    assert thumbnail.get_attribute("loading") == "lazy"
    loaded = "() => document.querySelector('.attachment-photos img').naturalWidth === 600"
    tab.wait_for_function(loaded)
    assert tab.locator(".attachment-photos figcaption").inner_text().startswith("合影.png")
    tab.locator("#attachments").scroll_into_view_if_needed()
    tab.screenshot(path=str(SHOTS / "attachments-case-zh.png"), full_page=True)
    tab.goto(f"{tab.base}/cases/{site['case']}?lang=en")
    assert tab.locator("#attachments-heading").inner_text() == "Photos and documents"
    tab.screenshot(path=str(SHOTS / "attachments-case-en.png"), full_page=True)
    assert tab.errors == []


def test_a_page_named_photo_is_refused_in_chinese(tab, site):
    sign_in(tab, "nj")
    tab.goto(f"{tab.base}/cases/{site['case']}?lang=zh")
    before = sorted(p.name for p in site["files"].iterdir()) if site["files"].exists() else []
    fake = site["folder"] / "照片.jpg"
    fake.write_bytes(HTML)
    form = tab.locator("form.attachment-upload")
    form.locator("input[type=file]").set_input_files(str(fake))
    form.locator("button[type=submit]").click()
    status = form.locator(".attachment-status.field-error")
    status.wait_for()
    assert status.inner_text().startswith("只能上传照片（JPEG、PNG 或 WebP）和 PDF 文档")
    tab.screenshot(path=str(SHOTS / "attachments-refused-zh.png"), full_page=True)
    after = sorted(p.name for p in site["files"].iterdir()) if site["files"].exists() else []
    assert after == before
    # The refusal is the answer's status (415), which the browser reports in its console.
    assert all("415" in error for error in tab.errors)


def test_the_exchange_form_finds_the_partnership_by_names(tab, site):
    sign_in(tab, "nj")
    tab.goto(f"{tab.base}/exchanges/new?lang=zh")
    assert "编号" not in tab.locator("form.edit").inner_text()
    choose_place(tab, "partnership_place_id", "南京", "南京市")
    choice = tab.locator("#partnership-choice")
    tab.wait_for_function("() => document.querySelector('#partnership-choice').length === 2")
    assert choice.locator("option").nth(1).inner_text() == "巴黎 · 法国"
    assert choice.input_value() == str(site["pairs"][0])  # the one partner is chosen at once
    tab.fill("input[name=start]", "2024-05")
    tab.fill("input[name=title]", "南京–巴黎青年交流")
    tab.screenshot(path=str(SHOTS / "exchange-form-partnership-zh.png"), full_page=True)
    tab.click("form.edit button[type=submit]")
    tab.wait_for_url(f"**/partnerships/{site['pairs'][0]}?saved=1")
    assert tab.errors == []

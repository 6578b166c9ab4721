"""Places by name in a real Chromium, in Chinese (issue 19): Shaanxi's provincial officer drafts
a proposal for Xi'an by typing 西安 and 里昂 and choosing the suggestions, submits it, watches its
checks complete and is told that someone else decides it; the steward records a partnership by
name and tells the two Taizhous apart; a name left ambiguous is refused with its candidates to
choose from; the account page names the place.

Screenshots go to AMITY_SCREENSHOTS (default /tmp/amity-screenshots)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.support.live import SHOTS, choose_place, serve, sign_in_page, watched_page

from amity.core import schema
from amity.core.db import make_engine

from .form_world import build_form_world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    path = tmp_path_factory.mktemp("place-forms") / "amity.db"
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    world = build_form_world(engine)
    engine.dispose()
    with serve(f"sqlite:///{path}") as base:
        yield {**world, "base": base}


@pytest.fixture
def tab(browser, site):
    with watched_page(browser, site["base"], locale="zh-CN") as opened:
        yield opened


def sign_in(tab, username: str) -> None:
    sign_in_page(tab, tab.base, username)


def test_a_city_officer_finds_their_city_named_in_the_form(tab, site):
    sign_in(tab, "xa")
    tab.goto(f"{tab.base}/proposals/new?lang=zh")
    # The officer's own place is shown by name, never by its number.
    assert tab.input_value("input[name=place_name]") == "西安市"
    assert tab.locator("input[name=place_id]").get_attribute("type") == "hidden"
    assert tab.errors == []


def test_a_provincial_officer_drafts_a_proposal_by_typing_xian_and_lyon(tab, site):
    sign_in(tab, "sx")
    tab.goto(f"{tab.base}/proposals/new?lang=zh")
    assert tab.input_value("input[name=place_name]") == "陕西省"
    assert tab.locator("input[name=place_id]").get_attribute("type") == "hidden"
    choose_place(tab, "place_id", "西安", "西安市 陕西省 · 中国")
    tab.locator("input[name=partner_name]").press_sequentially("里昂", delay=30)
    suggestion = tab.locator(".place-search[data-field=partner_id] .place-suggestion")
    suggestion.first.wait_for()
    assert suggestion.all_inner_texts() == ["里昂 法国"]
    tab.screenshot(path=str(SHOTS / "place-forms-proposal-suggest-zh.png"), full_page=True)
    suggestion.first.click()
    assert tab.inner_text(".place-search[data-field=partner_id] .place-context") == "法国"
    tab.fill("textarea[name=rationale]", "丝绸之路起点与欧洲丝绸之都")
    tab.click("form[action='/proposals/new'] button[type=submit]")
    tab.wait_for_url("**/proposals/*")
    assert tab.inner_text("h1").endswith("西安市 – 里昂")
    assert tab.inner_text("#proposal-status") == "草稿"

    # Submitted, the page answers at once and shows each check as it completes.
    tab.click("form[action$='/submit'] button[type=submit]")
    tab.wait_for_selector("#proposal-status[data-status=provincial_review]")
    tab.wait_for_selector("ul.checks li[data-check=layout][data-state=done]")
    assert "省际基尼系数" in tab.inner_text("li[data-check=layout]")
    # Under a plain uvicorn nobody built the recommender: its score stays pending, said so
    # once the page's next ask has come back.
    tab.wait_for_selector("ul.checks[data-waiting=recommender]")
    score = tab.locator("li[data-check=score]")
    assert score.get_attribute("data-state") == "pending"
    assert "推荐模型正在启动后构建" in score.inner_text()
    assert tab.locator("li[data-check=score] .spinner").count() == 1
    # The province drafted it, so another person decides its provincial stage (four eyes).
    assert tab.inner_text("#four-eyes") == "四眼原则：您起草或提交了这份结好申请，须由他人审批。"
    assert tab.locator("select[name=decision]").count() == 0
    tab.screenshot(path=str(SHOTS / "place-forms-proposal-checks-zh.png"), full_page=True)
    assert tab.errors == []


def test_the_steward_tells_the_two_taizhous_apart(tab, site):
    sign_in(tab, "admin")
    tab.goto(f"{tab.base}/partnerships/new?lang=zh")
    tab.locator("input[name=place_a_name]").press_sequentially("Taizhou", delay=30)
    found = tab.locator(".place-search[data-field=place_a_id] .place-suggestion")
    found.nth(1).wait_for()
    assert sorted(found.all_inner_texts()) == ["台州市 浙江省 · 中国", "泰州市 江苏省 · 中国"]
    tab.screenshot(path=str(SHOTS / "place-forms-taizhou-zh.png"), full_page=True)
    found.filter(has_text="浙江省").click()
    assert tab.input_value("input[name=place_a_id]") == str(site["places"]["taizhou_zj"])
    choose_place(tab, "place_b_id", "大阪", "大阪")
    tab.fill("input[name=established]", "1995-04")
    tab.fill("input[name=evidence_document]", "友好城市协议书")
    tab.fill("input[name=evidence_source]", "台州市外办档案")
    tab.click("form[action='/partnerships/new'] button[type=submit]")
    tab.wait_for_url("**/partnerships/*?saved=1")
    assert "台州市" in tab.inner_text("h1") and "大阪" in tab.inner_text("h1")
    assert tab.errors == []


def test_an_ambiguous_name_is_refused_with_its_candidates(tab, site):
    sign_in(tab, "admin")
    tab.goto(f"{tab.base}/partnerships/new?lang=zh")
    box = tab.locator(".place-search[data-field=place_a_id]")
    box.locator(".place-search-input").press_sequentially("Taizhou", delay=30)
    box.locator(".place-suggestion").nth(1).wait_for()
    tab.locator("input[name=place_b_name]").focus()  # leaving the field without choosing
    tab.wait_for_function("() => document.querySelector('.place-note').textContent !== ''")
    assert box.locator(".place-note").inner_text() == "有多个地点同名，请从列表中选择其一。"
    choose_place(tab, "place_b_id", "Osaka", "大阪")
    tab.fill("input[name=established]", "2001")
    tab.fill("input[name=evidence_document]", "协议书")
    tab.fill("input[name=evidence_source]", "档案")
    tab.click("form[action='/partnerships/new'] button[type=submit]")
    # The server refuses the name and offers the candidates; the other fields are kept.
    tab.wait_for_selector(".place-choices")
    refusal = tab.inner_text(".field-error[role=alert]")
    assert "有多个地点名为“Taizhou”，请在下方选择其一。" in refusal
    assert tab.input_value("input[name=place_b_name]") == "大阪"
    tab.screenshot(path=str(SHOTS / "place-forms-ambiguous-zh.png"), full_page=True)
    tab.locator(".place-choices label", has_text="泰州市").click()
    tab.click("form[action='/partnerships/new'] button[type=submit]")
    tab.wait_for_url("**/partnerships/*?saved=1")
    assert "泰州市" in tab.inner_text("h1")
    # The refused form's answer is a 422, which Chromium logs; nothing else went wrong.
    assert [e for e in tab.errors if "status of 422" not in e] == []


def test_the_account_page_names_the_place(tab, site):
    sign_in(tab, "xa")
    assert tab.inner_text("#account-place") == "西安市 陕西省 · 中国"
    tab.screenshot(path=str(SHOTS / "place-forms-account-zh.png"), full_page=True)
    tab.goto(f"{tab.base}/account?lang=en")
    assert tab.inner_text("#account-place") == "Xi'an 西安市 · Shaanxi · China"
    assert tab.errors == []

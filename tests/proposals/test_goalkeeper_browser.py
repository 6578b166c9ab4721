"""The goalkeeper in a real browser: the steward records a historical agreement through the form
and the partnership says so; a city officer is sent to the proposal form; a reviewer who took
one stage is told why the decision form is missing (English and Chinese).

Set AMITY_SCREENSHOT_DIR to keep a screenshot of each page looked at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.auth.world import actor, build_world
from tests.support.live import choose_place, serve, sign_in_page

from amity.core import schema
from amity.core.db import make_engine, session_scope
from amity.proposals import service as proposals
from amity.proposals.schemas import Decision, ProposalDraft

pytestmark = pytest.mark.browser


def prepare(path: Path) -> dict:
    """The governance world with one proposal approved at the provincial stage by `admin`."""
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    world = build_world(engine)
    with session_scope(engine) as session:
        draft = proposals.create_proposal(session, ProposalDraft(
            place_id=world["places"]["nanjing"], partner_id=world["places"]["lyon"],
            rationale="Shared river ports", planned_signing="2027-05"),
            actor=actor(engine, "nj"))  # fmt: skip
        proposals.submit_proposal(session, draft["id"], version=1, actor=actor(engine, "nj"))
        proposals.decide(session, draft["id"], Decision(decision="approve", reason="Fits",
                                                        version=2),
                         actor=actor(engine, "admin"))  # fmt: skip
    engine.dispose()
    return {**world, "proposal": draft["id"]}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    path = tmp_path_factory.mktemp("goalkeeper") / "amity.db"
    world = prepare(path)
    with serve(f"sqlite:///{path}") as base:
        yield {**world, "base": base}


def sign_in(tab, base: str, username: str) -> None:
    sign_in_page(tab, base, username, lang="en")


def shot(tab, name: str) -> None:
    folder = os.environ.get("AMITY_SCREENSHOT_DIR")
    if folder:
        tab.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_steward_records_a_historical_agreement_and_the_page_says_so(site, browser):
    base, places = site["base"], site["places"]
    tab = browser.new_context().new_page()
    sign_in(tab, base, "admin")
    tab.goto(f"{base}/proposals?lang=en")
    tab.click("text=Record a historical agreement")
    choose_place(tab, "place_a_id", "Chengdu", "Chengdu")
    choose_place(tab, "place_b_id", "Nairobi", "Nairobi")
    assert tab.input_value("input[name=place_a_id]") == str(places["chengdu"])
    tab.fill("input[name=established]", "1988-05")
    tab.fill("input[name=evidence_document]", "Agreement of friendship No. 88-14")
    tab.fill("input[name=evidence_source]", "Chengdu Foreign Affairs Office archive")
    shot(tab, "steward-form-en")
    tab.click("form[action='/partnerships/new'] button[type=submit]")
    tab.wait_for_url("**/partnerships/*?saved=1")
    record = tab.inner_text("#steward-record")
    assert "Recorded by registry steward admin" in record and "No. 88-14" in record
    assert tab.locator("text=End this partnership").count() == 1  # the steward may change it
    shot(tab, "steward-record-en")
    tab.goto(tab.url.split("?")[0] + "?lang=zh")
    assert "由名录管理员 admin" in tab.inner_text("#steward-record")
    shot(tab, "steward-record-zh")
    tab.goto(f"{base}/partnerships/new?lang=zh")
    assert "登记历史协议" in tab.inner_text("h1")
    shot(tab, "steward-form-zh")
    # A visitor sees the record, not the forms.
    visitor = browser.new_context().new_page()
    visitor.goto(tab.url.replace("/partnerships/new", "/partnerships/3"))
    assert visitor.locator("text=End this partnership").count() == 0
    assert visitor.locator("summary", has_text="Edit").count() == 0


def test_a_city_officer_is_sent_to_the_proposal_form(site, browser):
    tab = browser.new_context().new_page()
    sign_in(tab, site["base"], "nj")
    answer = tab.goto(f"{site['base']}/partnerships/new?lang=en")
    assert answer.status == 403
    assert "through an approved proposal" in tab.inner_text("#refusal")
    shot(tab, "one-door-en")
    tab.goto(f"{site['base']}/partnerships/new?lang=zh")
    assert "须经批准的结好申请" in tab.inner_text("#refusal")
    shot(tab, "one-door-zh")
    tab.click("a.button[href='/proposals/new']")
    tab.wait_for_url("**/proposals/new")


def test_four_eyes_tells_the_reviewer_why_there_is_no_decision_form(site, browser):
    tab = browser.new_context().new_page()
    sign_in(tab, site["base"], "admin")
    for lang, words in (("en", "Four eyes: you decided this proposal at another stage"),
                        ("zh", "四眼原则：您已在另一审批阶段处理过这份结好申请")):  # fmt: skip
        tab.goto(f"{site['base']}/proposals/{site['proposal']}?lang={lang}")
        assert words in tab.inner_text("#four-eyes")
        assert tab.locator("form[action$='/decide']").count() == 0
        shot(tab, f"four-eyes-{lang}")

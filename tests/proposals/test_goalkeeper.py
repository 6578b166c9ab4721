"""The goalkeeper holds (issue 13): one door into the registry, four eyes on every proposal, and
proposal input that cannot break a record. On both engines, through the API and the pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.auth.web import sign_in

from amity.auth import service as auth
from amity.auth.models import AuditEntry
from amity.core.db import session_scope
from amity.http.app import create_app
from amity.partnerships.models import Partnership, StewardRecord
from amity.proposals.models import Proposal


@pytest.fixture
def site(world):
    """The governance world behind the app, with an API token per user."""
    with session_scope(world["engine"]) as session:
        tokens = {u: auth.create_token(session, u, username=u) for u in world["users"]}
    return {**world, "app": create_app(world["engine"]), "tokens": tokens}


def _call(site, user, method, url, json=None, **headers):
    client = TestClient(site["app"])
    return client.request(method, url, json=json,
                          headers={"Authorization": f"Bearer {site['tokens'][user]}", **headers})


def _draft(site, user="nj", city="nanjing", partner="lyon", **extra) -> dict:
    body = {"place_id": site["places"][city], "partner_id": site["places"][partner],
            "rationale": "Shared river ports", **extra}  # fmt: skip
    answer = _call(site, user, "POST", "/api/v1/proposals", body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _step(site, user, proposal, step, **body):
    path = f"/api/v1/proposals/{proposal['id']}/{step}"
    return _call(site, user, "POST", path, {"version": proposal["version"], **body})


def _decide(site, user, proposal, decision="approve"):
    return _step(site, user, proposal, "decision", decision=decision, reason="Considered")


def _pairs(site) -> int:
    with session_scope(site["engine"]) as session:
        return session.query(Partnership).count()


# 1. One door into the registry.


def test_a_city_refused_at_national_review_cannot_create_the_pair_directly(site):
    """The issue's Xi'an–Tashkent: rejected at national review, then POST /partnerships → 201."""
    submitted = _step(site, "nj", _draft(site), "submit").json()
    national = _decide(site, "js", submitted).json()
    rejected = _decide(site, "admin", national, "reject").json()
    assert rejected["status"] == "rejected"
    pair = {"place_a_id": site["places"]["nanjing"], "place_b_id": site["places"]["lyon"]}
    before = _pairs(site)
    for officer in ("nj", "js"):
        answer = _call(site, officer, "POST", "/api/v1/partnerships", pair)
        assert answer.status_code == 403, answer.text
        assert "/proposals/new" in answer.json()["error"]["message"]
    zh = _call(site, "nj", "POST", "/api/v1/partnerships", pair, **{"Accept-Language": "zh"})
    assert zh.status_code == 403
    assert "请在 /proposals/new 起草结好申请" in zh.json()["error"]["message"]
    assert _pairs(site) == before


def test_the_new_partnership_form_sends_officers_to_the_proposal_form(site):
    client = TestClient(site["app"])
    assert client.get("/partnerships/new", follow_redirects=False).status_code == 303  # sign in
    token = sign_in(client, username="nj")
    for lang, words in (("en", "through an approved proposal"), ("zh", "须经批准的结好申请")):
        page = client.get("/partnerships/new", params={"lang": lang})
        assert page.status_code == 403 and words in page.text
        assert 'href="/proposals/new"' in page.text
    posted = client.post("/partnerships/new", data={
        "place_a_id": site["places"]["nanjing"], "place_b_id": site["places"]["lyon"],
        "established": "1990", "evidence_document": "d", "evidence_source": "s",
        "csrf_token": token})  # fmt: skip
    assert posted.status_code == 403 and _pairs(site) == 2


def test_the_steward_records_a_historical_agreement_with_its_evidence(site):
    pair = {"place_a_id": site["places"]["chengdu"], "place_b_id": site["places"]["nairobi"],
            "kind": "sister_city", "established": "1988-05"}  # fmt: skip
    missing = _call(site, "admin", "POST", "/api/v1/partnerships", pair)
    assert missing.status_code == 422 and _pairs(site) == 2
    evidence = {"evidence_document": "Agreement of friendship No. 88-14",
                "evidence_source": "Chengdu Foreign Affairs Office archive"}  # fmt: skip
    done = _call(site, "admin", "POST", "/api/v1/partnerships", {**pair, **evidence})
    assert done.status_code == 201, done.text
    record = done.json()["steward_record"]
    assert (record["steward"], record["signed_on"]) == ("admin", "1988-05")
    assert record["document"] == evidence["evidence_document"]
    with session_scope(site["engine"]) as session:
        assert session.query(StewardRecord).count() == 1
        audited = session.query(AuditEntry).filter_by(action="steward_record").one()
        assert (audited.actor, audited.entity_id) == ("admin", str(done.json()["id"]))
    page = TestClient(site["app"]).get(f"/partnerships/{done.json()['id']}")
    assert "Recorded by registry steward admin" in page.text and "No. 88-14" in page.text
    zh = TestClient(site["app"]).get(f"/partnerships/{done.json()['id']}", params={"lang": "zh"})
    assert "由名录管理员 admin" in zh.text
    # An approved proposal's partnership says nothing of the kind.
    approved = _decide(site, "admin", _decide(site, "js", _step(
        site, "nj", _draft(site), "submit").json()).json()).json()  # fmt: skip
    made = TestClient(site["app"]).get(f"/api/v1/partnerships/{approved['partnership_id']}")
    assert made.json()["steward_record"] is None and made.json()["source"] == "proposal"


def test_an_edit_cannot_change_who_the_partners_are(site):
    pair = site["pairs"][0]
    for change in ({"place_a_id": site["places"]["chengdu"]},
                   {"place_b_id": site["places"]["osaka"]}):  # fmt: skip
        answer = _call(site, "admin", "PATCH", f"/api/v1/partnerships/{pair}", change)
        assert answer.status_code == 422
    with session_scope(site["engine"]) as session:
        stored = session.get(Partnership, pair)
        assert {stored.place_a_id, stored.place_b_id} == {
            site["places"]["nanjing"], site["places"]["paris"]}  # fmt: skip


# 2. Four eyes.


def test_one_administrator_cannot_draft_submit_and_approve_both_stages(site):
    """The issue's four calls by one national administrator."""
    draft = _draft(site, user="admin")
    submitted = _step(site, "admin", draft, "submit")
    assert submitted.status_code == 200
    provincial = _decide(site, "admin", submitted.json())
    assert provincial.status_code == 403, provincial.text
    assert provincial.json()["error"]["details"]["rule"] == "four_eyes"
    assert "drafted or submitted" in provincial.json()["error"]["message"]
    zh = _call(site, "admin", "POST", f"/api/v1/proposals/{draft['id']}/decision",
               {"decision": "approve", "reason": "r", "version": 2}, **{"Accept-Language": "zh"})
    assert zh.status_code == 403 and "四眼原则" in zh.json()["error"]["message"]
    with session_scope(site["engine"]) as session:
        assert session.get(Proposal, draft["id"]).status == "provincial_review"


def test_no_one_decides_two_stages_of_one_proposal(site):
    submitted = _step(site, "nj", _draft(site), "submit").json()
    national = _decide(site, "admin", submitted)  # the nation may take the provincial stage
    assert national.status_code == 200
    again = _decide(site, "admin", national.json())
    assert again.status_code == 403 and "another stage" in again.json()["error"]["message"]
    # A second decision at the same stage, after the proposal came back, is not a second stage.
    returned = _decide(site, "js", _step(site, "nj", _draft(site, partner="nairobi"),
                                        "submit").json(), "send_back").json()  # fmt: skip
    resubmitted = _step(site, "nj", returned, "submit").json()
    assert _decide(site, "js", resubmitted).status_code == 200


def test_the_proposal_page_says_why_the_reviewer_cannot_decide(site):
    submitted = _step(site, "nj", _draft(site), "submit").json()
    _decide(site, "admin", submitted)
    client = TestClient(site["app"])
    sign_in(client, username="admin")
    for lang, words in (("en", "Four eyes: you decided this proposal at another stage"),
                        ("zh", "四眼原则：您已在另一审批阶段")):  # fmt: skip
        page = client.get(f"/proposals/{submitted['id']}", params={"lang": lang})
        assert page.status_code == 200 and words in page.text
        assert f'action="/proposals/{submitted["id"]}/decide"' not in page.text


def test_a_one_person_installation_turns_four_eyes_off_and_the_pages_say_so(site, monkeypatch):
    monkeypatch.setenv("AMITY_FOUR_EYES", "0")
    draft = _draft(site, user="admin")
    submitted = _step(site, "admin", draft, "submit").json()
    national = _decide(site, "admin", submitted)
    assert national.status_code == 200
    approved = _decide(site, "admin", national.json())
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    client = TestClient(site["app"])
    sign_in(client, username="admin")
    for path in ("/proposals", f"/proposals/{draft['id']}"):
        english = client.get(path, params={"lang": "en"}).text
        assert "Four eyes is off on this installation" in english
        assert "本系统已关闭四眼原则" in client.get(path, params={"lang": "zh"}).text
    monkeypatch.setenv("AMITY_FOUR_EYES", "1")
    assert "Four eyes is off" not in client.get("/proposals", params={"lang": "en"}).text


# 3. Proposal input that cannot break a record.


@pytest.mark.parametrize("bad", ["2026-13-45", "2026-02-30", "2026-00", "26", "2026-1-5"])
def test_an_impossible_planned_signing_date_is_refused(site, bad):
    body = {"place_id": site["places"]["nanjing"], "partner_id": site["places"]["lyon"],
            "rationale": "r", "planned_signing": bad}  # fmt: skip
    assert _call(site, "nj", "POST", "/api/v1/proposals", body).status_code == 422
    draft = _draft(site)
    edit = _call(site, "nj", "PATCH", f"/api/v1/proposals/{draft['id']}",
                 {"planned_signing": bad, "version": 1})
    assert edit.status_code == 422
    with session_scope(site["engine"]) as session:
        assert session.query(Proposal).one().planned_signing is None


@pytest.mark.parametrize(("planned", "status", "established"), [
    ("2031", "proposed", None), ("2024-05", "active", "2024-05"), ("2020", "active", "2020"),
])  # fmt: skip
def test_partial_planned_signing_dates_go_through_final_approval(site, planned, status,
                                                                 established):  # fmt: skip
    submitted = _step(site, "nj", _draft(site, planned_signing=planned), "submit").json()
    approved = _decide(site, "admin", _decide(site, "js", submitted).json())
    assert approved.status_code == 200, approved.text
    made = TestClient(site["app"]).get(f"/api/v1/partnerships/{approved.json()['partnership_id']}")
    assert (made.json()["status"], made.json()["established"]) == (status, established)


@pytest.mark.parametrize("field", ["rationale", "kind", "planned_fields"])
def test_an_explicit_null_for_a_required_field_is_refused_and_not_stored(site, field):
    draft = _draft(site, planned_fields=["trade"])
    answer = _call(site, "nj", "PATCH", f"/api/v1/proposals/{draft['id']}",
                   {field: None, "version": 1})
    assert answer.status_code == 422, answer.text
    page = TestClient(site["app"])
    sign_in(page, username="nj")
    assert page.get(f"/proposals/{draft['id']}").status_code == 200
    with session_scope(site["engine"]) as session:
        stored = session.get(Proposal, draft["id"])
        assert (stored.version, stored.rationale, stored.kind, stored.planned_fields) == (
            1, "Shared river ports", "friendship_city", ["trade"])  # fmt: skip


def test_bad_values_written_around_the_api_do_not_break_the_proposal_pages(site):
    submitted = _step(site, "nj", _draft(site), "submit").json()
    national = _decide(site, "js", submitted).json()
    with site["engine"].begin() as connection:  # someone with database access, by hand
        connection.execute(text(
            "UPDATE proposals SET planned_fields = 'null', planned_signing = '2026-13-45', "
            "checks = '[1]' WHERE id = :id"), {"id": submitted["id"]})  # fmt: skip
    client = TestClient(site["app"])
    sign_in(client, username="admin")
    for path in (f"/proposals/{submitted['id']}", "/proposals"):
        assert client.get(path).status_code == 200
    read = _call(site, "admin", "GET", f"/api/v1/proposals/{submitted['id']}")
    assert read.status_code == 200 and read.json()["planned_fields"] == []
    # Final approval still works: an unreadable signing date counts as not signed yet.
    approved = _decide(site, "admin", national)
    assert approved.status_code == 200, approved.text
    made = _call(site, "admin", "GET", f"/api/v1/partnerships/{approved.json()['partnership_id']}")
    assert made.json()["status"] == "proposed"


# 4. Pages show only the actions the viewer may take.


def _viewer(site, username):
    client = TestClient(site["app"])
    if username:
        sign_in(client, username=username)
    return client


@pytest.mark.parametrize(("username", "allowed"), [(None, False), ("cd", False), ("res", False),
                                                  ("nj", True), ("js", True)])  # fmt: skip
def test_edit_and_end_forms_only_for_those_who_may(site, username, allowed):
    client = _viewer(site, username)
    pair = site["pairs"][0]  # Nanjing–Paris
    page = client.get(f"/partnerships/{pair}").text
    for words in ("End this partnership", 'name="action" value="edit"'):
        assert (words in page) is allowed, (username, words)
    activity = client.get(f"/partnerships/{pair}/activity", params={"fragment": "1"}).text
    assert ("Record an exchange" in activity) is allowed
    profile = client.get(f"/places/{site['places']['nanjing']}/profile").text
    assert ('action="/places/' in profile) is allowed
    health = client.get("/health", params={"office": site["places"]["nanjing"]}).text
    assert ('action="/health/' in health) is allowed or "No partnership is dormant" in health


@pytest.mark.parametrize(("username", "allowed"), [(None, False), ("res", False), ("cd", True)])
def test_record_and_post_links_only_for_officers(site, username, allowed):
    client = _viewer(site, username)
    assert ('href="/exchanges/new"' in client.get("/exchanges").text) is allowed
    assert ('class="edit note-form"' in client.get("/board").text) is allowed
    new = client.get("/exchanges/new", follow_redirects=False).status_code
    assert (new == 200) is allowed


@pytest.mark.parametrize(("username", "decide"), [("cd", None), ("sc", None), ("nj", False),
                                                 ("js", True)])  # fmt: skip
def test_review_buttons_only_for_the_reviewer_of_the_stage(site, username, decide):
    submitted = _step(site, "nj", _draft(site), "submit").json()
    page = _viewer(site, username).get(f"/proposals/{submitted['id']}")
    if decide is None:  # out of scope: not even the proposal
        assert page.status_code == 403 and "Decide" not in page.text
        return
    assert (f'action="/proposals/{submitted["id"]}/decide"' in page.text) is decide
    assert f'action="/proposals/{submitted["id"]}/submit"' not in page.text


def test_only_the_steward_sees_the_record_link_and_the_new_form(site):
    assert "Record a historical agreement" in _viewer(site, "admin").get("/proposals").text
    assert "Record a historical agreement" not in _viewer(site, "js").get("/proposals").text
    assert 'href="/partnerships/new"' not in TestClient(site["app"]).get("/partnerships").text
    assert _viewer(site, "admin").get("/partnerships/new").status_code == 200

"""Places are asked for by name in every form (issue 19): a typed name becomes its place, or a
clear refusal that lists the candidates (台州 and 泰州 told apart by their provinces) and changes
nothing; the autocomplete's JSON; the account page names the officer's place. Both engines,
through the pages as a browser without JavaScript posts them."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.auth.web import sign_in

from amity.auth import service as auth
from amity.auth.models import User
from amity.core.db import session_scope
from amity.exchanges.models import Exchange
from amity.http.app import create_app
from amity.matching.models import BoardNote
from amity.partnerships.models import Partnership
from amity.proposals.models import Proposal

from .form_world import build_form_world


@pytest.fixture
def site(engine) -> dict:
    world = build_form_world(engine)
    return {**world, "engine": engine, "app": create_app(engine)}


def _client(site, username: str) -> tuple[TestClient, str]:
    client = TestClient(site["app"])
    return client, sign_in(client, username=username)


def _count(site, model) -> int:
    with session_scope(site["engine"]) as session:
        return session.query(model).count()


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_suggestions_name_each_place_with_its_province_and_country(site):
    client = TestClient(site["app"])
    zh = client.get("/api/v1/places/suggest", params={"q": "Taizhou", "lang": "zh"}).json()
    assert zh["status"] == "ambiguous"
    shown = {(s["name"], s["context"]) for s in zh["suggestions"]}
    assert shown == {("台州市", "浙江省 · 中国"), ("泰州市", "江苏省 · 中国")}
    en = client.get("/api/v1/places/suggest", params={"q": "西安", "lang": "en"}).json()
    assert en["status"] == "resolved"
    assert en["suggestions"] == [{"id": site["places"]["xian"], "name": "Xi'an",
                                  "context": "西安市 · Shaanxi · China",
                                  "kind": "city"}]  # fmt: skip
    unknown = client.get("/api/v1/places/suggest", params={"q": "Atlantis"}).json()
    assert unknown["suggestions"] == []
    assert client.get("/api/v1/places/suggest", params={"q": ""}).status_code == 422
    # The report search takes the chosen place's id, or resolves the typed name.
    chosen = client.get("/reports", params={"place": "西安市", "place_id": site["places"]["xian"],
                                            "year": 2020}, follow_redirects=False)  # fmt: skip
    assert chosen.headers["location"] == f"/reports/{site['places']['xian']}/2020"
    typed = client.get("/reports", params={"place": "西安", "year": 2020}, follow_redirects=False)
    assert typed.headers["location"] == f"/reports/{site['places']['xian']}/2020"


def test_a_proposal_is_drafted_by_typing_names(site):
    client, token = _client(site, "xa")
    form = client.get("/proposals/new", params={"lang": "zh"}).text
    # The officer's own place is filled in by name; its id only in the hidden field.
    assert 'name="place_name" value="西安市"' in form and "陕西省 · 中国" in form
    assert f">{site['places']['xian']}<" not in form
    answer = client.post("/proposals/new", data={
        "csrf_token": token, "place_name": "西安", "partner_name": "里昂",
        "rationale": "丝绸之路", "kind": "friendship_city",
    }, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, _visible(answer.text)[:500]
    with session_scope(site["engine"]) as session:
        proposal = session.query(Proposal).one()
        assert (proposal.place_id, proposal.partner_id) == (
            site["places"]["xian"], site["places"]["lyon"])
    page = client.get(answer.headers["location"], params={"lang": "zh"}).text
    assert "西安市 – 里昂" in page


def test_an_ambiguous_name_lists_the_candidates_and_saves_nothing(site):
    client, token = _client(site, "admin")
    data = {"csrf_token": token, "place_a_name": "Taizhou", "place_b_name": "Osaka",
            "established": "1990", "evidence_document": "Agreement No. 1",
            "evidence_source": "Archive"}  # fmt: skip
    answer = client.post("/partnerships/new", params={"lang": "zh"}, data=data)
    assert answer.status_code == 422
    text = _visible(answer.text)
    assert "有多个地点名为“Taizhou”，请在下方选择其一。" in text
    assert "台州市  浙江省 · 中国" in text and "泰州市  江苏省 · 中国" in text
    # The candidates are offered as choices (no JavaScript needed); the other place stands.
    assert f'name="place_a_id" value="{site["places"]["taizhou_zj"]}"' in answer.text
    assert f'name="place_b_id" value="{site["places"]["osaka"]}"' in answer.text
    assert _count(site, Partnership) == 2
    # Choosing one of them saves the partnership with that place.
    chosen = client.post("/partnerships/new", data={
        **data, "place_a_id": site["places"]["taizhou_zj"],
        "place_b_id": site["places"]["osaka"]}, follow_redirects=False)  # fmt: skip
    assert chosen.status_code == 303, _visible(chosen.text)[:500]
    with session_scope(site["engine"]) as session:
        made = session.query(Partnership).order_by(Partnership.id.desc()).first()
        assert {made.place_a_id, made.place_b_id} == {
            site["places"]["taizhou_zj"], site["places"]["osaka"]}


def test_an_unknown_name_is_refused_in_either_language(site):
    client, token = _client(site, "admin")
    data = {"csrf_token": token, "place_a_name": "Atlantis", "place_b_name": "Osaka",
            "established": "1990", "evidence_document": "No. 1", "evidence_source": "Archive"}
    zh = client.post("/partnerships/new", params={"lang": "zh"}, data=data)
    assert zh.status_code == 422
    assert "没有名为“Atlantis”的地点。请换一种写法（中文、拼音或英文），并从提示中选择地点。" in (
        zh.text
    )
    en = client.post("/partnerships/new", params={"lang": "en"}, data=data)
    assert "No place is called “Atlantis”." in en.text
    assert _count(site, Partnership) == 2


def test_a_name_changed_after_choosing_is_resolved_again(site):
    """Without JavaScript the hidden id keeps the place first shown; the name typed over it wins."""
    client, token = _client(site, "xa")
    answer = client.post("/proposals/new", data={
        "csrf_token": token, "place_id": site["places"]["xian"], "place_name": "西安市",
        "partner_id": site["places"]["paris"], "partner_name": "里昂", "rationale": "River",
    }, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, _visible(answer.text)[:500]
    with session_scope(site["engine"]) as session:
        assert session.query(Proposal).one().partner_id == site["places"]["lyon"]


def test_accounts_board_and_exchanges_take_names(site):
    client, token = _client(site, "admin")
    answer = client.post("/admin/users", data={
        "csrf_token": token, "username": "tz", "password": "long-enough-1",
        "role": "city_officer", "place_name": "台州",
    }, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, _visible(answer.text)[:500]
    with session_scope(site["engine"]) as session:
        assert session.query(User).filter_by(username="tz").one().place_id == (
            site["places"]["taizhou_zj"])
    refused = client.post("/admin/users", params={"lang": "zh"}, data={
        "csrf_token": token, "username": "tz2", "password": "long-enough-1",
        "role": "city_officer", "place_name": "Taizhou"})  # fmt: skip
    assert refused.status_code == 422 and "有多个地点名为“Taizhou”" in refused.text
    with session_scope(site["engine"]) as session:
        assert session.query(User).filter_by(username="tz2").count() == 0

    note = client.post("/board", data={"csrf_token": token, "place_name": "Chengdu",
                                       "seeks_size": "any"}, follow_redirects=False)  # fmt: skip
    assert note.status_code == 303, _visible(note.text)[:500]
    with session_scope(site["engine"]) as session:
        assert session.query(BoardNote).one().place_id == site["places"]["chengdu"]

    exchange = client.post("/exchanges/new", data={
        "csrf_token": token, "place_a_name": "成都", "place_b_name": "内罗毕", "title": "Visit",
        "mode": "high_level_visit", "start": "2025-05", "direction": "a_to_b",
    }, follow_redirects=False)  # fmt: skip
    assert exchange.status_code == 303, re.findall(r"role=\"alert\">(.*?)</", exchange.text, re.S)
    with session_scope(site["engine"]) as session:
        made = session.query(Exchange).one()
        assert {made.place_a_id, made.place_b_id} == {
            site["places"]["chengdu"], site["places"]["nairobi"]}


def test_the_account_page_names_the_officers_place(site):
    client, _ = _client(site, "xa")
    zh = client.get("/account", params={"lang": "zh"}).text
    shown = _visible(zh[zh.index('id="account-place"'):])
    assert "西安市" in shown and "陕西省 · 中国" in shown
    assert str(site["places"]["xian"]) not in _visible(zh)
    en = client.get("/account", params={"lang": "en"}).text
    assert "Xi&#39;an" in en and "Shaanxi · China" in en


def test_the_checks_left_pending_at_submission_are_completed_when_asked(site):
    client, token = _client(site, "xa")
    client.post("/proposals/new", data={"csrf_token": token, "place_name": "西安",
                                        "partner_name": "Lyon", "rationale": "River"})
    with session_scope(site["engine"]) as session:
        proposal = session.query(Proposal).one()
    client.post(f"/proposals/{proposal.id}/submit", data={"csrf_token": token, "version": "1"})
    page = client.get(f"/proposals/{proposal.id}", params={"lang": "zh"}).text
    assert 'data-pending="layout score"' in page and "布局影响：正在计算…" in page
    part = client.get(f"/proposals/{proposal.id}/checks", params={"lang": "zh"}).text
    # One check per ask, so that the page shows each as it completes.
    assert "省际基尼系数" in part and 'data-pending="score"' in part
    assert "推荐评分：正在计算…" in part
    part = client.get(f"/proposals/{proposal.id}/checks", params={"lang": "zh"}).text
    # The score waits for the recommender, which `amity serve` builds at start (not here).
    assert "推荐评分：推荐模型正在启动后构建" in part and 'data-waiting="recommender"' in part
    with session_scope(site["engine"]) as session:
        key = auth.create_token(session, "xa-token", username="xa")
    twin = client.get(f"/api/v1/proposals/{proposal.id}/checks",
                      headers={"Authorization": f"Bearer {key}"}).json()  # fmt: skip
    assert twin["pending"] == ["score"] and twin["checks"]["results"]["layout"]["ok"]

# ruff: noqa: E501 (the rule table reads best one route per line)
"""The permission matrix: every write endpoint of the app, tried by every role.

Creating a partnership directly is the registry steward's act (national administrators): the
city's and the province's officers are refused and sent to the proposal form. Four eyes holds
across the roles: nobody decides a proposal they drafted, nor two stages of one.

The routes are read from the app itself: a write endpoint without a rule here fails
`test_every_write_endpoint_has_a_rule`, so none can be added unguarded. Each API route runs on a
fresh copy of one prepared database whose records all belong to Nanjing (a city of Jiangsu): the
officers of Chengdu and Sichuan try to change them by id and must be refused (403), like the
researcher; the public, without a token, gets 401. Refused roles go first, so a record is still
there when they try; allowed roles may then meet a 409 or a 404 (someone allowed acted first),
never a 401 or 403.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.attachments.conftest import png
from tests.auth.web import csrf, sign_in
from tests.auth.world import build_world

from amity.attachments import service as attachments
from amity.auth import service as auth
from amity.auth.permissions import LOCAL_ADMIN, PUBLIC_ACTOR
from amity.cases.schemas import CaseCreate
from amity.cases.service import create_case
from amity.core import schema, warm
from amity.core.db import make_engine, session_scope
from amity.events import awards
from amity.events.models import AwardType
from amity.events.schemas import EditionCreate, EventCreate, NominationCreate
from amity.events.service import create_event
from amity.exchanges.service import record_exchange
from amity.http.app import create_app
from amity.matching.board import post_note
from amity.matching.schemas import NoteWrite
from amity.participation import service as participation
from amity.proposals import service as proposals
from amity.proposals.schemas import ProposalDraft

ROLES = ("admin", "js", "sc", "nj", "cd", "res", "public")
OFFICERS = {"admin", "js", "nj"}  # Nanjing's records: the nation, Jiangsu, Nanjing
NATIONAL = {"admin"}
STEWARDS = {"admin"}  # registry.steward: recording an agreement signed outside Amity
DRAFTERS = {"admin", "js", "nj"}  # the city and its province
PROVINCIAL_REVIEW = {"admin", "js"}

# An upload's multipart body (the attachment routes), sent as files rather than JSON.
FILE = {"file": ("photo.png", png(), "image/png")}
# (method, path) -> (who may, path parameters, JSON body); names refer to the prepared records.
API_RULES = {
    ("POST", "/api/v1/partnerships"): (STEWARDS, {}, {"place_a_id": "nanjing", "place_b_id": "lyon", "established": "1985", "evidence_document": "Agreement 12", "evidence_source": "City archive"}),
    ("PATCH", "/api/v1/partnerships/{partnership_id}"): (OFFICERS, {"partnership_id": "pair"}, {"note": "n"}),
    ("POST", "/api/v1/partnerships/{partnership_id}/end"): (OFFICERS, {"partnership_id": "pair"}, {"ended_on": "2020-01-02"}),
    ("POST", "/api/v1/partnerships/{partnership_id}/review"): (OFFICERS, {"partnership_id": "pair"}, {"note": "n"}),
    ("POST", "/api/v1/partnerships/{partnership_id}/reactivate"): (OFFICERS, {"partnership_id": "pair"}, {"note": "n"}),
    ("POST", "/api/v1/partnerships/{partnership_id}/propose-ending"): (OFFICERS, {"partnership_id": "pair"}, {"note": "n"}),
    ("POST", "/api/v1/exchanges/taxonomy/{kind}"): (NATIONAL, {"kind": "mode"}, {"code": "new_mode", "label_en": "New", "label_zh": "新"}),
    ("POST", "/api/v1/exchanges"): (OFFICERS, {}, {"partnership_id": "pair", "mode": "forum", "start": "2020", "fields": ["culture"], "direction": "joint"}),
    ("PATCH", "/api/v1/exchanges/{exchange_id}"): (OFFICERS, {"exchange_id": "exchange"}, {"title": "t"}),
    ("DELETE", "/api/v1/exchanges/{exchange_id}"): (OFFICERS, {"exchange_id": "exchange"}, None),
    ("POST", "/api/v1/cases"): (OFFICERS, {}, {"title_en": "A case", "source": "s", "place_ids": ["nanjing"]}),
    ("PATCH", "/api/v1/cases/{case_id}"): (OFFICERS, {"case_id": "case"}, {"title_en": "Renamed"}),
    ("DELETE", "/api/v1/cases/{case_id}"): (OFFICERS, {"case_id": "case"}, None),
    ("POST", "/api/v1/events"): (OFFICERS, {}, {"name_en": "Forum", "source": "s", "place_id": "nanjing"}),
    ("PATCH", "/api/v1/events/{event_id}"): (OFFICERS, {"event_id": "event"}, {"venue": "Hall"}),
    ("DELETE", "/api/v1/events/{event_id}"): (OFFICERS, {"event_id": "event"}, None),
    ("POST", "/api/v1/awards"): (NATIONAL, {}, {"year": 2031, "source": "s"}),
    ("POST", "/api/v1/awards/{year}/nominations"): (NATIONAL, {"year": 2030}, {"award": "prize", "place_id": "nanjing"}),
    ("POST", "/api/v1/nominations/{nomination_id}/scores"): (NATIONAL, {"nomination_id": "nomination"}, {"judge": "j", "criterion": "c", "score": 5}),
    ("PUT", "/api/v1/profiles/{place_id}"): (OFFICERS, {"place_id": "nanjing"}, {"industries": ["ports"]}),
    ("POST", "/api/v1/board/notes"): (OFFICERS, {}, {"place_id": "nanjing"}),
    ("POST", "/api/v1/board/notes/{note_id}/close"): (OFFICERS, {"note_id": "note"}, None),
    ("POST", "/api/v1/proposals"): (DRAFTERS, {}, {"place_id": "nanjing", "partner_id": "osaka", "rationale": "r"}),
    ("PATCH", "/api/v1/proposals/{proposal_id}"): (DRAFTERS, {"proposal_id": "draft"}, {"rationale": "r2", "version": 1}),
    ("POST", "/api/v1/proposals/{proposal_id}/submit"): (DRAFTERS, {"proposal_id": "draft"}, {"version": 1}),
    ("POST", "/api/v1/proposals/{proposal_id}/decision"): (PROVINCIAL_REVIEW, {"proposal_id": "submitted"}, {"decision": "approve", "reason": "r", "version": 2}),
    ("POST", "/api/v1/participation/submissions/{submission_id}/moderation"): (OFFICERS, {"submission_id": "submission"}, {"decision": "publish"}),
    **{
        rule: value
        for owner in ("case", "event", "exchange")
        for rule, value in (
            (("POST", f"/api/v1/{owner}s/{{owner_id}}/attachments"), (OFFICERS, {"owner_id": owner}, FILE)),
            (("DELETE", f"/api/v1/{owner}s/{{owner_id}}/attachments/{{attachment_id}}"), (OFFICERS, {"owner_id": owner, "attachment_id": f"{owner}_attachment"}, None)),
        )
    },
}  # fmt: skip
# Page forms call the same services as the API routes named here (so the matrix above covers
# their permissions), or are open to everyone by design; the cross-city test below tries one.
PAGE_RULES = {
    ("POST", "/partnerships/new"): "POST /api/v1/partnerships (registry stewards only)",
    ("POST", "/partnerships/{partnership_id}"): "PATCH /api/v1/partnerships/{partnership_id}",
    ("POST", "/exchanges/new"): "POST /api/v1/exchanges",
    ("POST", "/health/{partnership_id}"): "POST /api/v1/partnerships/{partnership_id}/review",
    ("POST", "/attention/{partnership_id}"): "open: a 308 redirect to /health/{partnership_id}",
    ("POST", "/board"): "POST /api/v1/board/notes",
    ("POST", "/places/{place_id}/profile"): "PUT /api/v1/profiles/{place_id}",
    ("POST", "/proposals/new"): "POST /api/v1/proposals",
    ("POST", "/proposals/{proposal_id}/{step}"): "POST /api/v1/proposals/{proposal_id}/decision",
    ("POST", "/voice/moderation/{submission_id}"):
        "POST /api/v1/participation/submissions/{submission_id}/moderation",
    ("POST", "/admin/users"): "user.manage (national administrators)",
    ("POST", "/admin/users/{username}/disable"): "user.manage (national administrators)",
    # Tested in tests/sync/test_page.py (the sync needs a local SPARQL endpoint).
    ("POST", "/admin/sync/preview"): "registry.steward (national administrators)",
    ("POST", "/admin/sync/apply"): "registry.steward (national administrators)",
    ("POST", "/login"): "open: signing in",
    ("POST", "/logout"): "open: signing out",
    ("POST", "/voice/{topic}/{topic_id}"): "open: the public's voice (throttled, honeypot)",
    ("POST", "/voice/vote/{submission_id}"): "open: one vote per account or browser",
    **{
        rule: f"{rule[1].replace('{owner_id:int}', '{owner_id}').replace('/delete', '').replace('{attachment_id:int}', '{attachment_id}')} (the attachment service's rule)"
        for owner in ("cases", "events", "exchanges")
        for rule in (("POST", f"/{owner}/{{owner_id:int}}/attachments"),
                     ("POST", f"/{owner}/{{owner_id:int}}/attachments/{{attachment_id:int}}/delete"))
    },
}  # fmt: skip


def write_routes(app) -> set[tuple[str, str]]:
    """Every (method, path) of the app that is not a read, through nested routers."""
    found = set()
    pending = list(app.routes)
    while pending:
        route = pending.pop()
        if hasattr(route, "effective_candidates"):
            pending.extend(route.effective_candidates())
            continue
        for method in set(getattr(route, "methods", None) or ()) - {"GET", "HEAD"}:
            found.add((method, route.path))
    return found


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict:
    """A prepared database (a file copied for each test) and each user's API token."""
    path = tmp_path_factory.mktemp("matrix") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    world = build_world(engine)
    ids = dict(world["places"], pair=world["pairs"][0])
    with session_scope(engine) as session:
        tokens = {u: auth.create_token(session, u, username=u) for u in ROLES if u != "public"}
        ids["exchange"] = record_exchange(session, partnership_id=ids["pair"], mode="forum",
                                          start="2019", fields=["culture"], direction="joint",
                                          source="test")["id"]  # fmt: skip
        ids["case"] = create_case(
            session, CaseCreate(title_en="Ports", source="s", place_ids=[ids["nanjing"]])
        ).id
        ids["event"] = create_event(
            session, EventCreate(name_en="Expo", source="s", place_id=ids["nanjing"])
        ).id
        session.add(AwardType(code="prize", name_zh="奖", name_en="Prize", source="s"))
        session.flush()
        awards.create_edition(session, EditionCreate(year=2030, source="s"))
        ids["nomination"] = awards.nominate(
            session, 2030, NominationCreate(award="prize", place_id=ids["nanjing"])
        ).id
        ids["note"] = post_note(session, NoteWrite(place_id=ids["nanjing"]))["id"]
        draft = ProposalDraft(place_id=ids["nanjing"], partner_id=ids["lyon"], rationale="r")
        ids["draft"] = proposals.create_proposal(session, draft, actor=LOCAL_ADMIN)["id"]
        other = ProposalDraft(place_id=ids["nanjing"], partner_id=ids["nairobi"], rationale="r")
        submitted = proposals.create_proposal(session, other, actor=LOCAL_ADMIN)
        proposals.submit_proposal(session, submitted["id"], version=1, actor=LOCAL_ADMIN)
        ids["submitted"] = submitted["id"]
        ids["submission"] = participation.submit(
            session, topic="partnership", topic_id=ids["pair"], kind="idea", body="more visits",
            address="192.0.2.1", actor=PUBLIC_ACTOR,
        )["id"]  # fmt: skip
        for owner in ("case", "event", "exchange"):
            ids[f"{owner}_attachment"] = attachments.add_attachment(
                session, owner, ids[owner], filename="a.png", content=png(), actor=LOCAL_ADMIN
            )["id"]
    # The submission above started the recommender's first build in the background: let it
    # end, so that its connection closes and the file copied below holds everything (WAL).
    warm.settle()
    engine.dispose()
    return {"path": path, "ids": ids, "tokens": tokens}


def _fresh_app(template: dict, tmp_path: Path):
    copy = tmp_path / "amity.db"
    shutil.copy(template["path"], copy)
    return create_app(make_engine(f"sqlite:///{copy}"))


def _resolve(value, ids: dict):
    if isinstance(value, str) and value in ids:
        return ids[value]
    if isinstance(value, list):
        return [_resolve(v, ids) for v in value]
    return value


def _order(role: str, allowed: set[str]) -> tuple[bool, bool]:
    """Refused roles first, then the allowed ones with the administrator last (its decisions
    move a proposal on to a stage the others could not act at)."""
    return role in allowed, role == "admin"


def test_every_write_endpoint_has_a_rule(template, tmp_path):
    routes = write_routes(_fresh_app(template, tmp_path))
    unruled = sorted(r for r in routes if r not in API_RULES and r not in PAGE_RULES)
    assert unruled == [], f"write endpoints without a permission rule: {unruled}"
    assert not set(API_RULES) - routes and not set(PAGE_RULES) - routes  # no stale rules


@pytest.mark.parametrize("route", sorted(API_RULES), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_role_on_each_write_endpoint(template, tmp_path, route):
    allowed, params, body = API_RULES[route]
    method, path = route
    ids = template["ids"]
    url = path.format(**{k: _resolve(v, ids) for k, v in params.items()})
    files = body if body is FILE else None
    json = {k: _resolve(v, ids) for k, v in body.items()} if body not in (None, FILE) else None
    client = TestClient(_fresh_app(template, tmp_path))
    # Refused roles first: the records are untouched when they try.
    outcomes = {}
    for role in sorted(ROLES, key=lambda r: _order(r, allowed)):
        headers = (
            {} if role == "public" else {"Authorization": f"Bearer {template['tokens'][role]}"}
        )
        answer = client.request(method, url, json=json, files=files, headers=headers)
        outcomes[role] = answer.status_code
    for role, status in outcomes.items():
        if role in allowed:
            assert status not in (401, 403), (role, status, outcomes)
            assert status < 500
        else:
            assert status == (401 if role == "public" else 403), (role, status, outcomes)
    first_allowed = next(r for r in sorted(ROLES, key=lambda r: _order(r, allowed)) if r in allowed)
    assert outcomes[first_allowed] < 300, outcomes  # the first allowed role really wrote


def test_one_city_cannot_edit_another_citys_partnership_through_the_page(template, tmp_path):
    app = _fresh_app(template, tmp_path)
    pair = template["ids"]["pair"]
    chengdu = TestClient(app)
    token = sign_in(chengdu, username="cd")
    answer = chengdu.post(f"/partnerships/{pair}", data={"action": "edit", "note": "mine now",
                                                        "csrf_token": token})  # fmt: skip
    assert answer.status_code == 422 and "Sign in with an account allowed" in answer.text
    nanjing = TestClient(app)
    token = sign_in(nanjing, username="nj")
    done = nanjing.post(f"/partnerships/{pair}", data={"action": "edit", "note": "ours",
                                                       "csrf_token": token},
                        follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert TestClient(app).get(f"/api/v1/partnerships/{pair}").json()["note"] == "ours"
    assert csrf(nanjing)


def _api(client, token, method, url, json=None):
    return client.request(method, url, json=json, headers={"Authorization": f"Bearer {token}"})


def test_officers_are_sent_to_the_proposal_form_and_a_steward_needs_evidence(template, tmp_path):
    client = TestClient(_fresh_app(template, tmp_path))
    ids, tokens = template["ids"], template["tokens"]
    pair = {"place_a_id": ids["nanjing"], "place_b_id": ids["osaka"]}
    for role in ("nj", "js"):  # both may change Nanjing's records, neither may create a pair
        refused = _api(client, tokens[role], "POST", "/api/v1/partnerships", pair)
        assert refused.status_code == 403, refused.text
        assert "/proposals/new" in refused.json()["error"]["message"]
    zh = client.post("/api/v1/partnerships", json=pair, headers={
        "Authorization": f"Bearer {tokens['nj']}", "Accept-Language": "zh"})  # fmt: skip
    assert zh.status_code == 403 and "/proposals/new" in zh.json()["error"]["message"]
    assert "结好申请" in zh.json()["error"]["message"]
    bare = _api(client, tokens["admin"], "POST", "/api/v1/partnerships", pair)
    assert bare.status_code == 422
    assert set(bare.json()["error"]["details"]["fields"]) == {
        "established", "evidence_document", "evidence_source"}  # fmt: skip
    assert client.get("/api/v1/partnerships").json()["total"] == 2  # nothing was written


def test_four_eyes_across_the_roles(template, tmp_path):
    client = TestClient(_fresh_app(template, tmp_path))
    ids, tokens = template["ids"], template["tokens"]
    url = f"/api/v1/proposals/{ids['submitted']}/decision"
    # The administrator approves at the provincial stage, then may not take the national one.
    first = _api(client, tokens["admin"], "POST", url,
                 {"decision": "approve", "reason": "r", "version": 2})  # fmt: skip
    assert first.status_code == 200, first.text
    second = _api(client, tokens["admin"], "POST", url,
                  {"decision": "approve", "reason": "r", "version": 3})  # fmt: skip
    assert second.status_code == 403
    assert second.json()["error"]["details"]["rule"] == "four_eyes"
    # The city drafts and submits its own proposal; the province decides, and the nation.
    draft = _api(client, tokens["nj"], "POST", "/api/v1/proposals",
                 {"place_id": ids["nanjing"], "partner_id": ids["osaka"], "rationale": "r"})
    proposal = draft.json()["id"]
    _api(client, tokens["nj"], "POST", f"/api/v1/proposals/{proposal}/submit", {"version": 1})
    step = f"/api/v1/proposals/{proposal}/decision"
    assert _api(client, tokens["js"], "POST", step,
                {"decision": "approve", "reason": "r", "version": 2}).status_code == 200
    done = _api(client, tokens["admin"], "POST", step,
                {"decision": "approve", "reason": "r", "version": 3})  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "approved", done.text

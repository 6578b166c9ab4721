"""Stored script payloads in every free-text field, shown in Chromium: none runs.

Each field people can write (partnership notes and sources, exchange texts, cases, events,
board notes and profiles, proposals and their reasons, the public's messages and names, account
names) holds `<script>` and `<img onerror>` payloads. Every page that shows them is opened in a
real Chromium with the app's Content-Security-Policy; the test listens for dialogs and script
errors, checks that no element came from a payload, and that the payload reads as text.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.auth.world import PASSWORD, build_world
from tests.support.live import serve, sign_in_page

from amity.auth import service as auth
from amity.auth.permissions import LOCAL_ADMIN, PUBLIC_ACTOR, as_actor
from amity.cases.schemas import CaseCreate
from amity.cases.service import create_case
from amity.core import schema
from amity.core.db import make_engine, session_scope
from amity.events.schemas import EventCreate
from amity.events.service import create_event
from amity.exchanges.schemas import ExchangeCreate
from amity.exchanges.service import create_exchange
from amity.matching.board import post_note
from amity.matching.profiles import save_profile
from amity.matching.schemas import NoteWrite, ProfileWrite
from amity.participation import service as participation
from amity.partnerships.schemas import PartnershipUpdate
from amity.partnerships.service import update_partnership
from amity.proposals import service as proposals
from amity.proposals.schemas import Decision, ProposalDraft

pytestmark = pytest.mark.browser

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert('xss')>"


def _store_payloads(engine) -> dict:
    """The world, with the payload in every free-text field; the pages that show them."""
    world = build_world(engine)
    ids = world["places"]
    pair = world["pairs"][0]
    with session_scope(engine) as session:
        auth.create_user(session, username="xss-admin", password=PASSWORD,
                         role="national_admin", display_name=PAYLOAD)  # fmt: skip
        update_partnership(session, pair, PartnershipUpdate(note=PAYLOAD, source=PAYLOAD,
                                                            signing_place=PAYLOAD),
                           actor=LOCAL_ADMIN)  # fmt: skip
        create_exchange(session, ExchangeCreate(
            partnership_id=pair, mode="forum", start="2020", fields=["culture"],
            direction="joint", title=PAYLOAD, participants=PAYLOAD, outcome=PAYLOAD,
            source=PAYLOAD,
        ), actor=LOCAL_ADMIN)  # fmt: skip
        case = create_case(session, CaseCreate(
            title_en=PAYLOAD, title_zh=PAYLOAD, summary_en=PAYLOAD, body_en=PAYLOAD,
            lessons_en=PAYLOAD, source=PAYLOAD, place_ids=[ids["nanjing"]],
        ))  # fmt: skip
        event = create_event(session, EventCreate(
            name_en=PAYLOAD, name_zh=PAYLOAD, venue=PAYLOAD, description_en=PAYLOAD,
            source=PAYLOAD, place_id=ids["nanjing"], starts="2024-05-01",
        ))  # fmt: skip
        note = post_note(
            session,
            NoteWrite(
                place_id=ids["nanjing"],
                description=PAYLOAD,
                contact=PAYLOAD,
                seeks_fields=[PAYLOAD],
            ),
        )
        save_profile(session, ids["nanjing"], ProfileWrite(industries=[PAYLOAD], note=PAYLOAD))
        draft = proposals.create_proposal(session, ProposalDraft(
            place_id=ids["nanjing"], partner_id=ids["lyon"], rationale=PAYLOAD,
            planned_fields=[PAYLOAD],
        ), actor=LOCAL_ADMIN)  # fmt: skip
        submitted = proposals.submit_proposal(session, draft["id"], version=1, actor=LOCAL_ADMIN)
        proposals.decide(session, draft["id"], Decision(decision="send_back", reason=PAYLOAD,
                                                        version=submitted["version"]),
                         actor=as_actor("reviewer"))  # four eyes: not the drafter  # fmt: skip
        voice = participation.submit(
            session, topic="partnership", topic_id=pair, kind="idea", body=PAYLOAD,
            author_name=PAYLOAD, address="192.0.2.1", actor=PUBLIC_ACTOR,
        )  # fmt: skip
        participation.moderate(session, voice["id"], decision="publish", reason=PAYLOAD,
                               actor=LOCAL_ADMIN)  # fmt: skip
        participation.submit(
            session,
            topic="partnership",
            topic_id=pair,
            kind="feedback",
            body=PAYLOAD,
            address="192.0.2.2",
            actor=PUBLIC_ACTOR,
        )
    return {
        "pages": [
            f"/partnerships/{pair}", f"/partnerships/{pair}/activity", "/exchanges",
            f"/places/{ids['nanjing']}/activity", f"/cases/{case.id}", "/cases?q=script",
            f"/events/{event.id}", "/events", "/board", f"/board/{note['id']}",
            f"/places/{ids['nanjing']}/profile", f"/proposals/{draft['id']}", "/proposals",
            f"/voice/partnership/{pair}", "/voice/moderation", "/voice/summary",
            "/admin/users", "/admin/audit",
        ],
    }  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    path = tmp_path_factory.mktemp("xss") / "amity.db"
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    stored = _store_payloads(engine)
    engine.dispose()
    with serve(f"sqlite:///{path}") as base:
        yield {**stored, "base": base}


def test_no_payload_runs_on_any_page(site, browser):
    base = site["base"]
    tab = browser.new_context().new_page()
    dialogs, errors = [], []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
    sign_in_page(tab, base, "xss-admin", lang="en")
    shown = {}
    for path in site["pages"]:
        answer = tab.goto(f"{base}{path}")
        assert answer.status == 200, path
        tab.wait_for_load_state("networkidle")
        injected = tab.evaluate(
            "() => document.querySelectorAll('img[src=\"x\"], script:not([src])').length"
        )
        assert injected == 0, path
        shown[path] = "<script>alert('xss')</script>" in tab.evaluate(
            "() => document.body.innerText"
        )
    tab.context.close()
    assert dialogs == []
    assert [e for e in errors if "xss" in e or "Content Security Policy" in e] == []
    # Each page shows the payload as text, except: the summary (words, not whole messages),
    # the search (highlighted snippets), the profile form (the text sits in input values) and
    # the list of proposals (no free text).
    quiet = {"/voice/summary", "/cases?q=script", "/proposals", site["pages"][10]}
    assert {p for p, seen in shown.items() if not seen} <= quiet

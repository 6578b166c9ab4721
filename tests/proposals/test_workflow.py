"""The review workflow: states, checks, scopes, optimistic locking, and the partnership made."""

from __future__ import annotations

from datetime import date

import pytest
from tests.auth.world import actor

from amity.auth.models import AuditEntry
from amity.core.db import session_scope
from amity.core.errors import Conflict, Forbidden, InvalidInput
from amity.matching import service as matching
from amity.partnerships import service as partnerships
from amity.proposals import service
from amity.proposals.models import Proposal
from amity.proposals.schemas import Decision, ProposalDraft, ProposalEdit


def _draft(world, city="nanjing", partner="lyon", user="nj", **extra) -> dict:
    data = ProposalDraft(
        place_id=world["places"][city],
        partner_id=world["places"][partner],
        rationale="Shared river ports",
        planned_fields=["trade"],
        **extra,
    )
    with session_scope(world["engine"]) as session:  # fmt: skip
        return service.create_proposal(session, data, actor=actor(world["engine"], user))


def _submit(world, proposal, user="nj") -> dict:
    with session_scope(world["engine"]) as session:
        return service.submit_proposal(session, proposal["id"], version=proposal["version"],
                                       actor=actor(world["engine"], user))  # fmt: skip


def _decide(world, proposal, user, decision="approve", reason="Fits the plan") -> dict:
    with session_scope(world["engine"]) as session:
        return service.decide(
            session, proposal["id"],
            Decision(decision=decision, reason=reason, version=proposal["version"]),
            actor=actor(world["engine"], user),
        )  # fmt: skip


def _complete(world, proposal, user="nj") -> dict:
    """What the proposal's page asks for after a submission: the pending checks computed."""
    with session_scope(world["engine"]) as session:
        return service.complete_checks(session, proposal["id"],
                                       actor=actor(world["engine"], user))  # fmt: skip


def test_a_submission_does_not_wait_for_the_recommenders_first_build(world):
    draft = _draft(world, city="chengdu", user="cd")
    submitted = _submit(world, draft, user="cd")
    # The submission answers with the rules decided and the information checks pending.
    assert submitted["status"] == "provincial_review"
    results = submitted["checks"]["results"]
    assert results["duplicate"]["ok"] and results["one_partner"]["ok"]
    assert results["layout"] == {"ok": True, "pending": True}
    assert results["score"] == {"ok": True, "pending": True}
    # Completed afterwards: the layout at once, the score once the recommender is built.
    completed = _complete(world, submitted, user="cd")
    assert completed["pending"] == ["score"]
    assert completed["checks"]["results"]["layout"]["before"]["partner_hhi"] is not None
    assert completed["checks"]["results"]["score"] == {
        "ok": True, "score": None, "pending": True,
        "reason": "recommender being built after a start",
    }  # fmt: skip
    with session_scope(world["engine"]) as session:
        matching.warm(session)  # as `amity serve` does at start
    later = _complete(world, submitted, user="cd")
    assert later["pending"] == []
    assert isinstance(later["checks"]["results"]["score"]["score"], float)
    # Stored with the proposal: what reviewers read.
    with session_scope(world["engine"]) as session:
        stored = session.get(Proposal, submitted["id"]).checks["results"]
    assert isinstance(stored["score"]["score"], float) and "pending" not in stored["layout"]


def test_draft_submit_and_two_approvals_create_the_partnership(world):
    draft = _draft(world, city="chengdu", user="cd", planned_signing="2030-06-01")
    assert (draft["status"], draft["version"], draft["level"]) == ("draft", 1, "city_city")
    with session_scope(world["engine"]) as session:
        matching.warm(session)  # as `amity serve` does at start
    submitted = _submit(world, draft, user="cd")
    assert submitted["status"] == "provincial_review"
    checks = _complete(world, submitted, user="cd")["checks"]["results"]
    assert checks["duplicate"]["ok"] and checks["one_partner"]["ok"]
    # The recommender scores the pair (its advice; the review goes on without it).
    assert isinstance(checks["score"]["score"], float), checks["score"]
    # Sichuan had no foreign partner: the province Gini falls (one of 31 provinces had them
    # all: 30/31; now two of 31 share three pairs); France's second pair raises the HHI.
    layout = checks["layout"]
    assert layout["before"]["province_gini"] == pytest.approx(30 / 31, abs=1e-6)
    assert layout["after"]["province_gini"] < layout["before"]["province_gini"]
    assert layout["before"]["partner_hhi"] == pytest.approx(0.5)
    assert layout["after"]["partner_hhi"] == pytest.approx((4 + 1) / 9, abs=1e-6)
    national = _decide(world, submitted, "sc")
    assert national["status"] == "national_review"
    approved = _decide(world, national, "admin")
    assert approved["status"] == "approved" and approved["partnership_id"]
    with session_scope(world["engine"]) as session:
        made = partnerships.get_partnership(session, approved["partnership_id"])
        # Signing is planned for 2030: proposed until then, then active.
        assert made["status"] == "proposed" and made["established"] is None
        admin = actor(world["engine"], "admin")
        assert service.activate_signed(session, actor=admin) == []
        # Time passes: the signing day comes (moved here to yesterday).
        yesterday = date.fromordinal(date.today().toordinal() - 1).isoformat()
        session.get(Proposal, approved["id"]).planned_signing = yesterday
        assert service.activate_signed(session, actor=admin) == [made["id"]]
        activated = partnerships.get_partnership(session, made["id"])
        assert (activated["status"], activated["established"]) == ("active", yesterday)
        audited = session.query(AuditEntry).filter_by(entity="proposal").count()
    assert [(h["action"], h["to"]) for h in approved["history"]] == [
        ("draft", "draft"), ("submit", "provincial_review"), ("approve", "national_review"),
        ("approve", "approved"),
    ]  # fmt: skip
    assert approved["history"][-1]["reason"] == "Fits the plan"
    assert audited == 4


def test_a_past_signing_date_makes_the_partnership_active_at_once(world):
    submitted = _submit(world, _draft(world, planned_signing="2024-01-02"))
    done = _decide(world, _decide(world, submitted, "js"), "admin")
    with session_scope(world["engine"]) as session:
        assert partnerships.get_partnership(session, done["partnership_id"])["status"] == "active"


def test_send_back_edit_resubmit_and_reject(world):
    returned = _decide(world, _submit(world, _draft(world)), "js", "send_back", "Say more")
    # js's view: the province may edit it too (it drafts for its cities), but an edit would make
    # it an author, whom four eyes keeps from deciding.
    assert returned["status"] == "returned" and returned["can"]["edit"] is True
    with session_scope(world["engine"]) as session:
        edited = service.edit_proposal(
            session, returned["id"],
            ProposalEdit(rationale="Ports and universities", version=returned["version"]),
            actor=actor(world["engine"], "nj"),
        )  # fmt: skip
    assert edited["rationale"] == "Ports and universities"
    rejected = _decide(world, _decide(world, _submit(world, edited), "js"), "admin", "reject",
                       "Not now")  # fmt: skip
    assert rejected["status"] == "rejected" and rejected["partnership_id"] is None
    with pytest.raises(Conflict):
        _decide(world, rejected, "admin")


def test_duplicates_block_submission(world):
    # Nanjing–Paris is recorded already.
    with pytest.raises(Conflict) as caught:
        _submit(world, _draft(world, partner="paris"))
    assert caught.value.details["checks"] == ["duplicate"]
    # An open proposal for the same pair blocks the second one too.
    _submit(world, _draft(world))
    with pytest.raises(Conflict):
        _submit(world, _draft(world))


def test_the_one_partner_rule_and_the_excluded_list_warn_the_reviewers(world, tmp_path,
                                                                      monkeypatch):  # fmt: skip
    config = tmp_path / "matching.toml"
    config.write_text('excluded_countries = ["KE"]\n', encoding="utf-8")
    monkeypatch.setenv("AMITY_MATCHING_CONFIG", str(config))
    # Osaka already pairs with Suzhou, a city: Nanjing asking for Osaka breaks the rule.
    osaka = _submit(world, _draft(world, partner="osaka"))
    assert osaka["checks"]["warnings"] == ["one_partner"]
    assert [t["name"] for t in osaka["checks"]["results"]["one_partner"]["taken_by"]] == ["Suzhou"]
    nairobi = _submit(world, _draft(world, partner="nairobi"))
    assert nairobi["checks"]["warnings"] == ["excluded_country"]


@pytest.mark.parametrize(
    ("user", "city"), [("cd", "nanjing"), ("res", "nanjing"), ("sz", "nanjing"), ("sc", "nanjing")]
)
def test_only_the_city_and_its_province_draft(world, user, city):
    with pytest.raises(Forbidden):
        _draft(world, city=city, user=user)


def test_a_province_drafts_for_its_city_and_someone_else_decides(world):
    submitted = _submit(world, _draft(world, user="js"), user="js")
    assert submitted["status"] == "provincial_review"
    with pytest.raises(Forbidden) as caught:
        _decide(world, submitted, "js")  # four eyes: the drafter never decides
    assert caught.value.details["rule"] == "four_eyes"
    assert _decide(world, submitted, "admin")["status"] == "national_review"


def test_reviews_need_the_right_scope_and_stage(world):
    submitted = _submit(world, _draft(world))
    for user in ("sc", "nj", "res", "cd"):
        with pytest.raises(Forbidden):
            _decide(world, submitted, user)
    national = _decide(world, submitted, "js")
    with pytest.raises(Forbidden):
        _decide(world, national, "js")  # the province cannot take the national decision


def test_a_stale_version_loses(world):
    submitted = _submit(world, _draft(world))
    _decide(world, submitted, "js")
    with pytest.raises(Conflict) as caught:
        _decide(world, submitted, "admin", "reject")  # decided on what it saw before
    assert caught.value.details["status"] == "national_review"


def test_a_proposal_pairs_home_with_abroad(world):
    with pytest.raises(InvalidInput):
        _draft(world, partner="suzhou")

"""The review workflow: a city drafts, submits (checks run), the province then the nation decide.

Every change is an UPDATE ... WHERE version = the version the actor saw, so when two reviewers
decide at once exactly one wins and the other gets a Conflict (409) naming the newer state.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.permissions import Actor, can, require
from amity.core.conventions import home_members
from amity.core.errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from amity.core.settings import get_settings
from amity.participation import service as participation
from amity.partnerships import service as partnerships
from amity.partnerships.schemas import PartnershipCreate, PartnershipUpdate
from amity.partnerships.service import infer_level
from amity.places.models import Place
from amity.proposals.checks import complete_check, pending, run_checks
from amity.proposals.models import DECISIONS, Proposal, ProposalStep
from amity.proposals.schemas import Decision, ProposalDraft, ProposalEdit, planned_date

EDITABLE = ("draft", "returned")
# The permission each review stage needs, and where approval leads.
STAGES = {
    "provincial_review": ("proposal.review.provincial", "national_review"),
    "national_review": ("proposal.review.national", "approved"),
}


def _get(session: Session, proposal_id: int) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(f"No proposal {proposal_id}.", {"proposal_id": proposal_id})
    return proposal


def home_countries(session: Session) -> frozenset[str]:
    """The home country's codes (with its regions, as the naming conventions count them)."""
    from amity.analytics.service import resolve_home

    return frozenset(home_members(resolve_home(session, None)))


_home = home_countries


def create_proposal(session: Session, data: ProposalDraft, *, actor: Actor) -> dict[str, Any]:
    """A draft for a new pairing of a home place with a foreign partner."""
    place, partner = session.get(Place, data.place_id), session.get(Place, data.partner_id)
    if place is None or partner is None:
        missing = data.place_id if place is None else data.partner_id
        raise NotFound(f"No place {missing}.", {"place_id": missing})
    require(actor, "proposal.draft", [place])
    home = _home(session)
    if place.country_code not in home or partner.country_code in home:
        raise InvalidInput(
            N_("A proposal pairs a home place with a partner abroad."),
            {"place_id": place.id, "partner_id": partner.id},
        )
    now = datetime.now()
    proposal = Proposal(
        place_id=place.id,
        partner_id=partner.id,
        kind=data.kind,
        level=data.level or infer_level(place, partner),
        rationale=data.rationale,
        planned_fields=data.planned_fields,
        planned_signing=data.planned_signing,
        status="draft",
        version=1,
        checks={},
        created_by=actor.name,
        created_at=now,
        updated_at=now,
    )
    session.add(proposal)
    session.flush()
    _step(session, proposal, actor, "draft", None, "draft", None)
    audit.record(session, actor=actor, action="create", entity="proposal",
                 entity_id=proposal.id, after=_fields(proposal))  # fmt: skip
    return proposal_detail(session, proposal.id, actor=actor)


def edit_proposal(
    session: Session, proposal_id: int, data: ProposalEdit, *, actor: Actor
) -> dict[str, Any]:
    proposal = _get(session, proposal_id)
    require(actor, "proposal.draft", [proposal.place])
    if proposal.status not in EDITABLE:
        raise Conflict(N_("Only a draft or a returned proposal can be edited."),
                       {"status": proposal.status})  # fmt: skip
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    before = _fields(proposal)
    _advance(session, proposal, data.version, proposal.status, changes)
    # A step, so that four eyes knows the editor as one of the proposal's authors.
    _step(session, proposal, actor, "edit", proposal.status, proposal.status, None)
    audit.record(session, actor=actor, action="update", entity="proposal",
                 entity_id=proposal.id, before=before, after=_fields(proposal))  # fmt: skip
    return proposal_detail(session, proposal.id, actor=actor)


def submit_proposal(
    session: Session, proposal_id: int, *, version: int, actor: Actor
) -> dict[str, Any]:
    """Run the checks and send the proposal to provincial review (refused if a check blocks)."""
    proposal = _get(session, proposal_id)
    require(actor, "proposal.draft", [proposal.place])
    if proposal.status not in EDITABLE:
        raise Conflict(N_("This proposal has already been submitted."), {"status": proposal.status})
    # The rules decide now; the information checks are completed afterwards (complete_checks),
    # so that the submission answers at once even on a cold server.
    checks = run_checks(session, proposal.place, proposal.partner, proposal_id=proposal.id,
                        later=True)  # fmt: skip
    if checks["blocking"]:
        raise Conflict(
            N_("A check stops this proposal: the pair is already recorded or proposed."),
            {"checks": checks["blocking"], "results": checks["results"]},
        )
    before = proposal.status
    _advance(session, proposal, version, "provincial_review", {"checks": checks})
    _step(session, proposal, actor, "submit", before, "provincial_review", None)
    audit.record(session, actor=actor, action="submit", entity="proposal",
                 entity_id=proposal.id, before={"status": before},
                 after={"status": proposal.status, "checks": checks})  # fmt: skip
    return proposal_detail(session, proposal.id, actor=actor)


def complete_checks(
    session: Session, proposal_id: int, *, actor: Actor, limit: int | None = None
) -> dict[str, Any]:
    """Compute the proposal's pending information checks (at most `limit` of them: the page
    asks for one at a time, to show each as it completes), store them, and return the checks
    with the names still pending. Not a person's act: nothing is audited or versioned."""
    proposal = _get(session, proposal_id)
    require(actor, "proposal.read", [proposal.place])
    stored = proposal.checks if isinstance(proposal.checks, dict) else {}
    waiting = pending(stored)
    results = dict(stored.get("results") or {})
    for name in waiting[:limit]:
        results[name] = complete_check(session, name, proposal.place, proposal.partner)
    if waiting:
        proposal.checks = {**stored, "results": results}
        session.flush()
    return {"id": proposal.id, "status": proposal.status, "checks": proposal.checks or {},
            "pending": pending(proposal.checks or {})}  # fmt: skip


def decide(session: Session, proposal_id: int, data: Decision, *, actor: Actor) -> dict[str, Any]:
    """Approve, reject or send back at the proposal's current review stage, with a reason."""
    proposal = _get(session, proposal_id)
    if proposal.status not in STAGES:
        raise Conflict(N_("This proposal is not awaiting review."), {"status": proposal.status})
    permission, next_status = STAGES[proposal.status]
    require(actor, permission, [proposal.place])
    if reason := four_eyes_refusal(proposal, actor):
        raise Forbidden(reason, {"rule": "four_eyes", "actor": actor.name,
                                 "status": proposal.status})  # fmt: skip
    target = {"approve": next_status, "reject": "rejected", "send_back": "returned"}[data.decision]
    before = proposal.status
    _advance(session, proposal, data.version, target, {})
    _step(session, proposal, actor, data.decision, before, target, data.reason)
    if target == "approved":
        _create_partnership(session, proposal, actor)
    audit.record(session, actor=actor, action=data.decision, entity="proposal",
                 entity_id=proposal.id, before={"status": before},
                 after={"status": target, "reason": data.reason,
                        "partnership_id": proposal.partnership_id})  # fmt: skip
    return proposal_detail(session, proposal.id, actor=actor)


# Authors: whoever drafted, edited or submitted the proposal.
AUTHORING = ("draft", "edit", "submit")
FOUR_EYES_AUTHOR = "Four eyes: you drafted or submitted this proposal, so someone else decides it."
FOUR_EYES_STAGE = (
    "Four eyes: you decided this proposal at another stage, so someone else decides this one."
)


def four_eyes_refusal(proposal: Proposal, actor: Actor) -> str | None:
    """Why four eyes stops this actor deciding the proposal's current stage (None: it doesn't).

    Nobody decides a proposal they drafted, edited or submitted, nor two stages of one proposal
    (a second decision at the same stage, after it was sent back and submitted again, is fine).
    Off when the installation sets AMITY_FOUR_EYES=0.
    """
    if not get_settings().four_eyes:
        return None
    steps = list(proposal.steps)
    if actor.name == proposal.created_by or any(
        s.actor == actor.name and s.action in AUTHORING for s in steps
    ):
        return FOUR_EYES_AUTHOR
    if any(
        s.actor == actor.name and s.action in DECISIONS and s.from_status != proposal.status
        for s in steps
    ):
        return FOUR_EYES_STAGE
    return None


def _advance(
    session: Session, proposal: Proposal, version: int, status: str, values: dict[str, Any]
) -> None:
    """Move to `status` if nobody has changed the proposal since `version`; else 409."""
    result = session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.version == version)
        .values(status=status, version=version + 1, updated_at=datetime.now(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(proposal)
        raise Conflict(
            N_("Someone else changed this proposal first; reload it to see their decision."),
            {"version": proposal.version, "status": proposal.status},
        )
    session.refresh(proposal)


def signing_passed(signing: str | None, today: date) -> bool:
    """Whether a planned signing date ("2026", "2026-05", "2026-05-20") is over by `today`: a
    year or month counts once it has ended, so the registry never dates a signing too early.
    A stored value that is not a date (written around the API) counts as not signed yet."""
    try:
        planned_date(signing or "")
    except ValueError:
        return False
    year, month, day = (int(part) for part in (signing.split("-") + [0, 0])[:3])
    if not month:
        month, day = 12, 31
    elif not day:
        day = calendar.monthrange(year, month)[1]
    return date(year, month, day) <= today


def _create_partnership(session: Session, proposal: Proposal, actor: Actor) -> None:
    signing = proposal.planned_signing
    signed = signing_passed(signing, date.today())
    created = partnerships.create_from_proposal(
        session,
        PartnershipCreate(
            place_a_id=proposal.place_id,
            place_b_id=proposal.partner_id,
            kind=proposal.kind,
            level=proposal.level,
            status="active" if signed else "proposed",
            # The registry records dates that have happened; `activate_signed` fills it in.
            established=signing if signed else None,
            fields=_list(proposal.planned_fields) or None,
            source="proposal",
            source_ref=f"proposal:{proposal.id}",
        ),
        actor=actor,
        proposal_id=proposal.id,
    )
    proposal.partnership_id = created["id"]
    session.flush()


def activate_signed(session: Session, *, today: date | None = None, actor: Actor) -> list[int]:
    """Partnerships from approved proposals whose signing date has come: proposed → active."""
    today = today or date.today()
    activated = []
    for proposal in session.scalars(
        select(Proposal).where(Proposal.status == "approved", Proposal.partnership_id.is_not(None))
    ):
        if not signing_passed(proposal.planned_signing, today):
            continue
        item = partnerships.get_partnership(session, proposal.partnership_id)
        if item["status"] != "proposed":
            continue
        partnerships.update_partnership(
            session,
            proposal.partnership_id,
            PartnershipUpdate(status="active", established=proposal.planned_signing),
            actor=actor,
        )
        activated.append(proposal.partnership_id)
    return activated


def _step(session, proposal, actor, action, from_status, to_status, reason) -> None:
    session.add(
        ProposalStep(proposal_id=proposal.id, at=datetime.now(), actor=actor.name, action=action,
                     from_status=from_status, to_status=to_status, reason=reason)
    )  # fmt: skip
    session.flush()


def _list(value: Any) -> list[str]:
    # A stored value is read defensively: a null or a non-list written around the API (by hand
    # in the database) must not make the proposal's page fail for everyone.
    if not isinstance(value, list):
        return []
    return [str(v) for v in value]


def _fields(p: Proposal) -> dict[str, Any]:
    return {
        "place_id": p.place_id, "partner_id": p.partner_id, "kind": p.kind, "level": p.level,
        "rationale": p.rationale, "planned_fields": _list(p.planned_fields),
        "planned_signing": p.planned_signing, "status": p.status,
    }  # fmt: skip


def _place(place: Place) -> dict[str, Any]:
    return {"id": place.id, "name": place.name, "name_zh": place.name_zh,
            "country_code": place.country_code, "kind": place.kind}  # fmt: skip


def proposal_detail(session: Session, proposal_id: int, *, actor: Actor) -> dict[str, Any]:
    proposal = _get(session, proposal_id)
    require(actor, "proposal.read", [proposal.place])
    session.refresh(proposal, ["steps"])
    return {
        "id": proposal.id,
        **_fields(proposal),
        "version": proposal.version,
        "place": _place(proposal.place),
        "partner": _place(proposal.partner),
        "checks": proposal.checks if isinstance(proposal.checks, dict) else {},
        "created_by": proposal.created_by,
        "created_at": proposal.created_at,
        "updated_at": proposal.updated_at,
        "partnership_id": proposal.partnership_id,
        "history": [
            {
                "at": s.at,
                "actor": s.actor,
                "action": s.action,
                "from": s.from_status,
                "to": s.to_status,
                "reason": s.reason,
            }
            for s in proposal.steps
        ],  # fmt: skip
        "can": {
            "edit": proposal.status in EDITABLE
            and can(actor, "proposal.draft", places=[proposal.place]),
            "decide": proposal.status in STAGES
            and can(actor, STAGES[proposal.status][0], places=[proposal.place])
            and four_eyes_refusal(proposal, actor) is None,
        },
        # Why a reviewer who could decide may not (four eyes), for the page to say.
        "four_eyes": (
            four_eyes_refusal(proposal, actor)
            if proposal.status in STAGES
            and can(actor, STAGES[proposal.status][0], places=[proposal.place])
            else None
        ),
    }


def list_proposals(
    session: Session, *, actor: Actor, status: str | None = None
) -> list[dict[str, Any]]:
    """The proposals the actor may read, newest first."""
    query = select(Proposal).order_by(Proposal.id.desc())
    if status:
        query = query.where(Proposal.status == status)
    rows = []
    for p in session.scalars(query):
        if can(actor, "proposal.read", places=[p.place]):
            rows.append({"id": p.id, "status": p.status, "kind": p.kind, "place": _place(p.place),
                         "partner": _place(p.partner), "updated_at": p.updated_at,
                         "version": p.version})  # fmt: skip
    return rows


@participation.topic("proposal")
def _proposal_places(session: Session, topic_id: int) -> list[Place] | None:
    """The public may speak on a proposal: its officers (the proposing place's) moderate."""
    item = session.get(Proposal, topic_id)
    return [item.place] if item else None


class _ImportDoor:
    """How an import of partnerships drafts proposals (amity.partnerships.importer)."""

    @staticmethod
    def home_countries(session: Session) -> frozenset[str]:
        return home_countries(session)

    @staticmethod
    def open_pairs(session: Session) -> set[tuple[int, int]]:
        rows = session.execute(
            select(Proposal.place_id, Proposal.partner_id).where(Proposal.status != "rejected")
        )
        return {tuple(sorted(pair)) for pair in rows}

    @staticmethod
    def draft(session: Session, *, actor: Actor, **fields) -> None:
        create_proposal(session, ProposalDraft(**fields), actor=actor)


partnerships.proposal_door(_ImportDoor())

"""Proposals over the API: draft, edit, submit, decide (as the token's user), read."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor
from amity.auth.web import api_actor
from amity.core.bounds import Id
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS, WRITE_ERRORS, require_json
from amity.proposals import service
from amity.proposals.schemas import (
    Decision,
    ProposalChecks,
    ProposalDraft,
    ProposalEdit,
    ProposalItem,
    ProposalRead,
    Submit,
)

router = APIRouter(prefix="/api/v1/proposals", tags=["proposals"])
WRITE = {"responses": WRITE_ERRORS, "dependencies": [Depends(require_json)]}


@router.get("", response_model=list[ProposalItem], responses=READ_ERRORS)
def list_proposals(
    status: str | None = None, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> list[dict[str, Any]]:  # fmt: skip
    """The proposals the token's user may read."""
    return service.list_proposals(session, actor=actor, status=status)


@router.get("/{proposal_id}", response_model=ProposalRead, responses=READ_ERRORS)
def get_proposal(
    proposal_id: Id, session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """A proposal with its checks and its whole history."""
    return service.proposal_detail(session, proposal_id, actor=actor)


@router.get("/{proposal_id}/checks", response_model=ProposalChecks, responses=READ_ERRORS)
def get_checks(
    proposal_id: Id, session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """The checks, the information checks left pending at submission (layout, score) computed
    now; the score stays pending while the recommender is being built after a start."""
    return service.complete_checks(session, proposal_id, actor=actor)


@router.post("", response_model=ProposalRead, status_code=201, **WRITE)
def create_proposal(
    body: ProposalDraft, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:  # fmt: skip
    return service.create_proposal(session, body, actor=actor)


@router.patch("/{proposal_id}", response_model=ProposalRead, **WRITE)
def edit_proposal(
    proposal_id: Id, body: ProposalEdit, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:  # fmt: skip
    return service.edit_proposal(session, proposal_id, body, actor=actor)


@router.post("/{proposal_id}/submit", response_model=ProposalRead, **WRITE)
def submit_proposal(
    proposal_id: Id, body: Submit, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:  # fmt: skip
    """Run the checks and send to provincial review (409 if a check blocks)."""
    return service.submit_proposal(session, proposal_id, version=body.version, actor=actor)


@router.post("/{proposal_id}/decision", response_model=ProposalRead, **WRITE)
def decide_proposal(
    proposal_id: Id, body: Decision, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:  # fmt: skip
    """Approve, reject or send back, with a reason; 409 when someone else decided first."""
    return service.decide(session, proposal_id, body, actor=actor)

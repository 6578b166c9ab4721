"""The public's voice over the API: published submissions are public; moderation needs a token."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor, require
from amity.auth.web import api_actor
from amity.core.bounds import Id
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS, WRITE_ERRORS, require_json
from amity.participation import service

router = APIRouter(prefix="/api/v1/participation", tags=["participation"])


class Moderation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["publish", "reject"]
    reason: str | None = Field(None, max_length=2000)


@router.get("/{topic}/{topic_id}", responses=READ_ERRORS)
def published(
    topic: Literal["partnership", "proposal", "event"], topic_id: Id,
    session: Session = SESSION,
) -> list[dict[str, Any]]:  # fmt: skip
    """Published ideas and feedback on a topic, most supported first."""
    service.topic_places(session, topic, topic_id)
    return service.published(session, topic, topic_id)


@router.get("/queue", responses=READ_ERRORS)
def pending(
    session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> list[dict[str, Any]]:
    """Submissions awaiting the token user's moderation."""
    return service.queue(session, actor=actor)


@router.post("/submissions/{submission_id}/moderation", responses=WRITE_ERRORS,
             dependencies=[Depends(require_json)])  # fmt: skip
def moderate(
    submission_id: Id, body: Moderation, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:  # fmt: skip
    return service.moderate(session, submission_id, decision=body.decision, reason=body.reason,
                            actor=actor)  # fmt: skip


@router.get("/summary", responses=READ_ERRORS)
def summary(
    session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Submissions and votes by topic, field, kind and month; the most frequent terms."""
    require(actor, "data.export")
    return service.aggregate(session)

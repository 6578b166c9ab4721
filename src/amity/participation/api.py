"""The public's voice over the API: published submissions are public; moderation needs a token.

Each voice page /voice/P has its twin /api/v1/voice/P. The first paths, under
/api/v1/participation, stay for integrators and answer the same.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor, require
from amity.auth.web import api_actor
from amity.core.bounds import Id
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS, WRITE_ERRORS, require_json
from amity.participation import service
from amity.participation.schemas import Moderation, Submission, Summary, Topic

router = APIRouter(prefix="/api/v1", tags=["participation"])


@router.get("/voice/summary", response_model=Summary, responses=READ_ERRORS,
            operation_id="participation_summary_twin")
@router.get("/participation/summary", response_model=Summary, responses=READ_ERRORS)
def participation_summary(session: Session = SESSION, actor: Actor = Depends(api_actor)) -> dict:
    """Submissions and votes by topic, field, kind and month; the most frequent terms."""
    require(actor, "data.export")
    return service.aggregate(session)


@router.get("/voice/moderation", response_model=list[Submission], responses=READ_ERRORS,
            operation_id="moderation_queue_twin")
@router.get("/participation/queue", response_model=list[Submission], responses=READ_ERRORS)
def moderation_queue(session: Session = SESSION, actor: Actor = Depends(api_actor)) -> list[dict]:
    """Submissions awaiting the token user's moderation."""
    return service.queue(session, actor=actor)


@router.post("/participation/submissions/{submission_id}/moderation", response_model=Submission,
             responses=WRITE_ERRORS, dependencies=[Depends(require_json)])  # fmt: skip
def moderate_submission(
    submission_id: Id, body: Moderation, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:  # fmt: skip
    return service.moderate(session, submission_id, decision=body.decision, reason=body.reason,
                            actor=actor)  # fmt: skip


# Last: the fixed paths above must match before /voice/{topic}/{topic_id}.
@router.get("/voice/{topic}/{topic_id}", response_model=list[Submission], responses=READ_ERRORS,
            operation_id="published_submissions_twin")
@router.get("/participation/{topic}/{topic_id}", response_model=list[Submission],
            responses=READ_ERRORS)  # fmt: skip
def published_submissions(topic: Topic, topic_id: Id, session: Session = SESSION) -> list[dict]:
    """Published ideas and feedback on a topic, most supported first."""
    service.topic_places(session, topic, topic_id)
    return service.published(session, topic, topic_id)

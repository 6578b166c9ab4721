"""The public's voice: a topic's published ideas and feedback with votes, the form to add one,
the moderation queue, and the summary of what people ask for."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor, can
from amity.auth.web import current_actor, page, refuse, require_csrf, voter_key
from amity.core import i18n
from amity.core.bounds import Id
from amity.core.errors import AmityError, Conflict, NotFound, TooManyRequests
from amity.http.deps import SESSION
from amity.http.render import not_found_page
from amity.http.security import client_address
from amity.participation import service
from amity.participation.models import KINDS, TOPICS

router = APIRouter()
# The honeypot: a field people never see (hidden by CSS, skipped by keyboard), bots fill in.
HONEYPOT = "website"


def _voice_page(request, session, actor, topic, topic_id, status_code=200, **extra):
    try:
        service.topic_places(session, topic, topic_id)
    except (NotFound, AmityError) as exc:
        return not_found_page(request, exc.message)
    rows = service.published(session, topic, topic_id)
    return page(request, actor, "participation/voice.html", status_code, topic=topic,
                topic_id=topic_id, rows=rows, kinds=KINDS, fields=service.FIELDS,
                form=extra.pop("form", {}), sent=request.query_params.get("sent") == "1",
                **extra)  # fmt: skip


@router.post("/voice/vote/{submission_id}", dependencies=[Depends(require_csrf)])
def vote(
    submission_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    try:
        service.vote(
            session, submission_id, voter_key=voter_key(request, actor),
            address=client_address(request), actor=actor,
        )  # fmt: skip
        flag = "voted=1"
    except Conflict:
        session.rollback()
        flag = "voted=again"
    except TooManyRequests:
        session.rollback()
        flag = "voted=limit"
    except NotFound as exc:
        return not_found_page(request, exc.message)
    from amity.participation.models import Submission

    item = session.get(Submission, submission_id)
    return RedirectResponse(f"/voice/{item.topic}/{item.topic_id}?{flag}", status_code=303)


@router.get("/voice/moderation", response_class=HTMLResponse)
def moderation(
    request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "participation.read_pending"):
        return refuse(request, actor)
    return page(
        request,
        actor,
        "participation/voice_moderation.html",
        rows=service.queue(session, actor=actor),
    )


@router.post("/voice/moderation/{submission_id}", dependencies=[Depends(require_csrf)])
async def moderate(
    submission_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    form = await request.form()
    try:
        service.moderate(session, submission_id, decision=str(form.get("decision", "")),
                         reason=str(form.get("reason", "")), actor=actor)  # fmt: skip
    except AmityError as exc:
        if exc.status == 403:
            return refuse(request, actor)
        session.rollback()
    return RedirectResponse("/voice/moderation", status_code=303)


@router.get("/voice/summary", response_class=HTMLResponse)
def summary(
    request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "data.export"):
        return refuse(request, actor)
    return page(
        request, actor, "participation/voice_summary.html", summary=service.aggregate(session)
    )


# Last: the fixed paths above (/voice/vote/..., /voice/moderation/...) must match first.
@router.get("/voice/{topic}/{topic_id}", response_class=HTMLResponse)
def voice(
    topic: str, topic_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if topic not in TOPICS:
        return not_found_page(request)
    return _voice_page(request, session, actor, topic, topic_id)


@router.post("/voice/{topic}/{topic_id}", response_class=HTMLResponse,
             dependencies=[Depends(require_csrf)])  # fmt: skip
async def send(
    topic: str, topic_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if topic not in TOPICS:
        return not_found_page(request)
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    _ = i18n.translations(i18n.choose_locale(request)).gettext
    try:
        service.submit(
            session, topic=topic, topic_id=topic_id, kind=form.get("kind", ""),
            body=form.get("body", ""), field=form.get("field") or None,
            author_name=form.get("author_name"), honeypot=form.get(HONEYPOT),
            address=client_address(request), actor=actor,
        )  # fmt: skip
    except TooManyRequests:
        error, status = _("You have sent several submissions just now; please wait a while."), 429
    except AmityError as exc:
        error, status = i18n.error_text(exc, i18n.choose_locale(request)), 422
    else:
        return RedirectResponse(f"/voice/{topic}/{topic_id}?sent=1", status_code=303)
    session.rollback()
    return _voice_page(request, session, actor, topic, topic_id, status, error=error, form=form)

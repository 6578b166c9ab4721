"""Proposals for new pairings: the list, the draft form, and a proposal's page (checks, history,
decisions, the public's feedback)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor, can
from amity.auth.web import current_actor, page, refuse, require_csrf
from amity.core import i18n
from amity.core.bounds import Id
from amity.core.errors import AmityError, InvalidInput, NotFound
from amity.core.settings import get_settings
from amity.http.deps import SESSION
from amity.http.forms import field_errors
from amity.http.render import not_found_page
from amity.participation import service as participation
from amity.partnerships.models import KINDS, LEVELS
from amity.places import service as places
from amity.places.models import Place
from amity.proposals import service
from amity.proposals.checks import pending
from amity.proposals.models import STATES
from amity.proposals.schemas import Decision, ProposalDraft, Submit

router = APIRouter()
CHOICES = {"kinds": KINDS, "levels": LEVELS}
PLACES = ("place_id", "partner_id")


def _reader(actor: Actor) -> bool:
    return actor.signed_in and actor.role != "public"


@router.get("/proposals", response_class=HTMLResponse)
def proposals(
    request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not _reader(actor):
        return refuse(request, actor)
    status = request.query_params.get("status")
    rows = service.list_proposals(session, actor=actor, status=status if status in STATES else None)
    own = session.get(Place, actor.place_id) if actor.place_id else None
    return page(request, actor, "proposals/proposals.html", rows=rows, states=STATES, status=status,
                own_place=own, four_eyes=get_settings().four_eyes)  # fmt: skip


@router.get("/proposals/new", response_class=HTMLResponse)
def new_form(
    request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    own = session.get(Place, actor.place_id) if actor.place_id else None
    if not can(actor, "proposal.draft", places=[own]):
        return refuse(request, actor)
    form = {"place_id": actor.place_id or "", "partner_id": request.query_params.get("partner")}
    places.fill_place_names(session, form, PLACES, i18n.choose_locale(request))
    return page(
        request, actor, "proposals/proposal_new.html", form=form, errors={}, choices=CHOICES
    )


@router.post("/proposals/new", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
async def create(
    request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    raw = await request.form()
    form = {k: str(v).strip() for k, v in raw.items() if k != "csrf_token" and str(v).strip()}
    locale = i18n.choose_locale(request)
    # The places are typed by name: each becomes an id, or an error listing the candidates.
    place_errors = places.read_place_fields(session, form, PLACES, locale, required=PLACES)
    data = {k: v for k, v in form.items() if k in ProposalDraft.model_fields}
    data["planned_fields"] = [f.strip() for f in form.pop("planned_fields", "").split(",")
                              if f.strip()]  # fmt: skip
    try:
        draft = ProposalDraft.model_validate(data)
        if place_errors:  # the other fields were checked too, so every problem is shown at once
            raise InvalidInput("A place is not clear.", place_errors)
        created = service.create_proposal(session, draft, actor=actor)
    except ValidationError as exc:
        errors = {**field_errors(exc, locale), **place_errors}
        if "planned_signing" in errors:
            _ = i18n.translations(locale).gettext
            errors["planned_signing"] = _("Enter a real date as YYYY, YYYY-MM or YYYY-MM-DD.")
    except AmityError as exc:
        if exc.status == 403:
            return refuse(request, actor)
        errors = place_errors or {"form": i18n.error_text(exc, locale)}
    else:
        return RedirectResponse(f"/proposals/{created['id']}", status_code=303)
    session.rollback()
    form["planned_fields"] = ", ".join(data["planned_fields"])
    return page(request, actor, "proposals/proposal_new.html", 422, form=form, errors=errors,
                choices=CHOICES)  # fmt: skip


def _detail_page(request, session, actor, proposal_id, status_code=200, error=None):
    try:
        item = service.proposal_detail(session, proposal_id, actor=actor)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    except AmityError:
        return refuse(request, actor)
    item["pending"] = pending(item["checks"])  # shown with a spinner, asked for by the page
    voices = participation.published(session, "proposal", proposal_id)
    return page(request, actor, "proposals/proposal.html", status_code, item=item, error=error,
                voices=voices, topic="proposal", topic_id=proposal_id,
                four_eyes=get_settings().four_eyes)  # fmt: skip


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
def detail(
    proposal_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not actor.signed_in:
        return refuse(request, actor)
    return _detail_page(request, session, actor, proposal_id)


@router.get("/proposals/{proposal_id}/checks", response_class=HTMLResponse)
def checks(
    proposal_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    """The checks alone, after computing the next pending one: the proposal's page asks for
    this while a check is pending, and shows each as it completes."""
    if not actor.signed_in:
        return refuse(request, actor)
    try:
        item = service.complete_checks(session, proposal_id, actor=actor, limit=1)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    except AmityError:
        return refuse(request, actor)
    if not item["checks"].get("results"):
        return not_found_page(request)
    return page(request, actor, "proposals/checks.html", item=item)


@router.post("/proposals/{proposal_id}/{step}", response_class=HTMLResponse,
             dependencies=[Depends(require_csrf)])  # fmt: skip
async def act(
    proposal_id: Id, step: str, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not actor.signed_in:
        return refuse(request, actor)
    form = {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        if step == "submit":
            version = Submit.model_validate({"version": form.get("version", "0")}).version
            service.submit_proposal(session, proposal_id, version=version, actor=actor)
        elif step == "decide":
            service.decide(session, proposal_id, Decision.model_validate(form), actor=actor)
        else:
            return not_found_page(request)
    except ValidationError:
        _ = i18n.translations(i18n.choose_locale(request)).gettext
        error = _("Choose a decision and give a reason.")
    except AmityError as exc:
        error = i18n.error_text(exc, i18n.choose_locale(request))
    else:
        return RedirectResponse(f"/proposals/{proposal_id}", status_code=303)
    session.rollback()
    return _detail_page(request, session, actor, proposal_id, 422, error=error)

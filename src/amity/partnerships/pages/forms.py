"""A partnership's page, and the forms that create, edit and end one (as the signed-in user)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor, can
from amity.auth.web import current_actor, page, refuse, require_csrf
from amity.core import i18n
from amity.core.bounds import Id
from amity.core.errors import AmityError, Forbidden, InvalidInput, NotFound
from amity.http.deps import SESSION
from amity.http.forms import field_errors, service_errors
from amity.http.render import not_found_page, render
from amity.partnerships import service
from amity.partnerships.models import KINDS, LEVELS, STATUSES
from amity.partnerships.schemas import PartnershipCreate, PartnershipEnd, PartnershipUpdate
from amity.places import service as places
from amity.places.models import Place

router = APIRouter()
CHOICES = {"kinds": KINDS, "levels": LEVELS, "statuses": STATUSES}
# An edit cannot set "terminated": ending has its own form, with a date.
PLACES = ("place_a_id", "place_b_id")
EDIT_CHOICES = {**CHOICES, "statuses": tuple(s for s in STATUSES if s != "terminated")}


def _clean(form: dict[str, str | None]) -> dict[str, str]:
    """Form fields without the empty ones (an empty input means "not given")."""
    return {k: v.strip() for k, v in form.items() if v is not None and v.strip()}


def _failed(session: Session) -> None:
    # Whatever a refused write had flushed must not reach the commit.
    session.rollback()


def _one_door(request: Request, actor: Actor) -> HTMLResponse | None:
    """Only a registry steward records a partnership directly: visitors are sent to sign in,
    everyone else is refused (403) and pointed to the proposal form."""
    if not actor.signed_in:
        return refuse(request, actor)
    if can(actor, "registry.steward"):
        return None
    _ = i18n.translations(i18n.choose_locale(request)).gettext
    return page(request, actor, "forbidden.html", 403, message=_(service.ONE_DOOR),
                proposal_form=True)  # fmt: skip


@router.get("/partnerships/new", response_class=HTMLResponse)
def new_form(request: Request, actor: Actor = Depends(current_actor)) -> HTMLResponse:
    if refused := _one_door(request, actor):
        return refused
    # An agreement already signed: active unless the steward says otherwise.
    return page(request, actor, "partnerships/partnership_new.html", form={"status": "active"},
                errors={}, choices=CHOICES)  # fmt: skip


@router.post("/partnerships/new", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def create(
    request: Request,
    session: Session = SESSION,
    actor: Actor = Depends(current_actor),
    place_a_id: str | None = Form(None),
    place_b_id: str | None = Form(None),
    place_a_name: str | None = Form(None),
    place_b_name: str | None = Form(None),
    kind: str | None = Form(None),
    level: str | None = Form(None),
    status: str | None = Form(None),
    established: str | None = Form(None),
    source: str | None = Form(None),
    note: str | None = Form(None),
    evidence_document: str | None = Form(None),
    evidence_source: str | None = Form(None),
):
    if refused := _one_door(request, actor):
        return refused
    locale = i18n.choose_locale(request)
    form = _clean(
        {
            "place_a_id": place_a_id,
            "place_b_id": place_b_id,
            "place_a_name": place_a_name,
            "place_b_name": place_b_name,
            "kind": kind,
            "level": level,
            "status": status,
            "established": established,
            "source": source,
            "note": note,
            "evidence_document": evidence_document,
            "evidence_source": evidence_source,
        }
    )
    # The places are typed by name: each becomes an id, or an error listing the candidates.
    place_errors = places.read_place_fields(session, form, PLACES, locale, required=PLACES)
    try:
        data = PartnershipCreate.model_validate(
            {k: v for k, v in form.items() if k in PartnershipCreate.model_fields}
        )
        if place_errors:  # the other fields were checked too, so every problem is shown at once
            raise InvalidInput("A place is not clear.", place_errors)
        created = service.create_partnership(session, data, actor=actor)
    except ValidationError as exc:
        errors = {**field_errors(exc, locale), **place_errors}
    except AmityError as exc:
        errors = place_errors or service_errors(exc, tuple(form) + PLACES, locale)
        if not isinstance(exc, Forbidden) and exc.message == service.EVIDENCE_NEEDED:
            _ = i18n.translations(locale).gettext
            errors = {f: _("This is required.") for f in exc.details["fields"]}
            errors["form"] = _(service.EVIDENCE_NEEDED)
    else:
        return RedirectResponse(f"/partnerships/{created['id']}?saved=1", status_code=303)
    _failed(session)
    return page(request, actor, "partnerships/partnership_new.html", 422, form=form, errors=errors,
                choices=CHOICES)  # fmt: skip


def _may_change(session: Session, actor: Actor, item: dict) -> bool:
    """Whether the viewer may edit or end this partnership (the page shows the forms only then)."""
    places = [session.get(Place, item["a"]["id"]), session.get(Place, item["b"]["id"])]
    return can(actor, "partnership.write", places=places)


@router.get("/partnerships/{partnership_id}", response_class=HTMLResponse)
def detail(
    partnership_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> HTMLResponse:  # fmt: skip
    try:
        item = service.get_partnership(session, partnership_id)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    return render(
        request,
        "partnerships/partnership.html",
        item=item,
        form={},
        errors={},
        action=None,
        saved=request.query_params.get("saved") == "1",
        choices=EDIT_CHOICES,
        may_change=_may_change(session, actor, item),
    )


@router.post(
    "/partnerships/{partnership_id}", response_class=HTMLResponse,
    dependencies=[Depends(require_csrf)],
)  # fmt: skip
def change(
    partnership_id: Id,
    request: Request,
    session: Session = SESSION,
    actor: Actor = Depends(current_actor),
    action: str = Form("edit"),
    kind: str | None = Form(None),
    level: str | None = Form(None),
    status: str | None = Form(None),
    established: str | None = Form(None),
    note: str | None = Form(None),
    ended_on: str | None = Form(None),
):
    locale = i18n.choose_locale(request)
    try:
        item = service.get_partnership(session, partnership_id)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    if action == "end":
        form = _clean({"ended_on": ended_on})
    else:
        form = _clean({"kind": kind, "level": level, "status": status, "note": note})
        # Clearing the date or the note is a change too, so these two are sent even when empty.
        form["established"] = (established or "").strip() or None
        form["note"] = (note or "").strip() or None
    try:
        if action == "end":
            end = PartnershipEnd.model_validate(form)
            service.end_partnership(session, partnership_id, end.ended_on, actor=actor)
        else:
            update = PartnershipUpdate.model_validate(form)
            service.update_partnership(session, partnership_id, update, actor=actor)
    except ValidationError as exc:
        errors = field_errors(exc, locale)
    except AmityError as exc:
        errors = service_errors(exc, tuple(form), locale)
    else:
        return RedirectResponse(f"/partnerships/{partnership_id}?saved=1", status_code=303)
    _failed(session)
    return render(
        request,
        "partnerships/partnership.html",
        422,
        item=item,
        form={**item, **form},
        errors=errors,
        action=action,
        saved=False,
        choices=EDIT_CHOICES,
        may_change=_may_change(session, actor, item),
    )

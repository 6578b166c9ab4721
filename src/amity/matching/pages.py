"""Matchmaking pages: recommendations, the layout plan, the partner-seeking board, profiles."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor, can
from amity.auth.web import current_actor, may_somewhere, require_csrf
from amity.core import i18n
from amity.core.bounds import Count, Id, parse_id
from amity.core.conventions import home_country
from amity.core.errors import AmityError, InvalidInput, NotFound
from amity.http.deps import SESSION
from amity.http.forms import field_errors, service_errors
from amity.http.render import not_found_page, render
from amity.matching import service
from amity.matching.schemas import NoteWrite, ProfileWrite
from amity.places import service as places
from amity.places.service import country_choices, resolve

router = APIRouter()
PAGE_K = (10, 20, 50)


def _terms(text: str | None) -> list[str]:
    """A comma-separated field (Chinese or Latin commas) as a list."""
    return [t.strip() for t in (text or "").replace("，", ",").split(",") if t.strip()]


@router.get("/recommend", response_class=HTMLResponse)
def recommend_page(
    request: Request,
    session: Session = SESSION,
    place: str | None = None,
    q: str | None = None,
    k: Annotated[Count, Query()] = 10,
    country: str | None = None,
    continent: str | None = None,
    region: str | None = None,
    belt_and_road: bool = False,
    under_represented: bool = False,
) -> HTMLResponse:
    locale = i18n.choose_locale(request)
    chosen = parse_id(place)
    if chosen is None and place and place.strip().isdigit():  # an id past the range
        return not_found_page(request, f"No place with id {place.strip()[:20]}")
    ambiguous: list[dict] = []
    if chosen is None and q and q.strip():
        found = resolve(session, q.strip(), limit=8)
        if found.status == "resolved" and found.best is not None:
            chosen = found.best.id
        else:
            ambiguous = [m.to_dict() for m in found.matches]
    result, error = None, None
    k = k if k in PAGE_K else 10
    if chosen is not None:
        try:
            service.place(session, chosen)
        except NotFound as exc:
            return not_found_page(request, exc.message)
        try:
            result = service.recommend(
                session, chosen, k=k, country=country or None,
                continent=continent or None, region=region or None, belt_and_road=belt_and_road,
                under_represented=under_represented, explain_excluded=True,
            )  # fmt: skip
        except AmityError as exc:
            error = i18n.error_text(exc, locale)
    return render(
        request,
        "matching/recommend.html",
        status_code=422 if error else 200,
        query=q or "",
        result=result,
        error=error,
        ambiguous=ambiguous,
        form={"k": k, "country": (country or "").upper(), "continent": continent or "",
              "region": region or "", "belt_and_road": belt_and_road,
              "under_represented": under_represented},  # fmt: skip
        ks=PAGE_K,
        countries=country_choices(session, locale, home_country()),
        continents=service.continents(session),
        regions=service.REGIONS,
        under_represented_below=service.UNDER_REPRESENTED_BELOW,
        home_code=home_country(),
        titles=service.factor_titles(locale),
        figures=service.figures,
        export_query=_export_query(result, locale, country=(country or "").upper(),
                                   continent=continent, region=region, k=k,
                                   belt_and_road=belt_and_road,
                                   under_represented=under_represented),
    )  # fmt: skip


def _export_query(result: dict | None, locale: str, **query) -> str:
    """The exports' query string: the list's place and filters, the page's language."""
    if not result:
        return ""
    params = {"place": result["place"]["id"], "lang": locale}
    params.update({key: value for key, value in query.items() if value})  # defaults left out
    return urlencode({key: ("true" if value is True else value) for key, value in params.items()})


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    session: Session = SESSION,
    province: str | None = None,
    new: Annotated[Count, Query()] = 10,
) -> HTMLResponse:
    provinces = service.home_provinces(session)
    result, error = None, None
    if province:
        try:
            result = service.plan(session, new=max(1, min(new, service.MAX_NEW)), province=province)
        except AmityError as exc:
            error = i18n.error_text(exc, i18n.choose_locale(request))
    return render(
        request, "matching/plan.html", provinces=provinces, province=province or "", new=new,
        result=result, error=error, max_new=service.MAX_NEW,
    )  # fmt: skip


def _board_context(session: Session, actor: Actor, **values) -> dict[str, Any]:
    return {"sizes": service.SIZES, "continents": service.continents(session),
            "may_post": may_somewhere(actor, "matching.note.write"), **values}  # fmt: skip


@router.get("/board", response_class=HTMLResponse)
def board_page(
    request: Request,
    session: Session = SESSION,
    country: str | None = None,
    field: str | None = None,
    status: str = "open",
    actor: Actor = Depends(current_actor),
) -> HTMLResponse:
    status = status if status in ("open", "closed") else "open"
    notes = service.list_notes(session, country=country or None, field=field or None, status=status)
    filters = {"country": (country or "").upper(), "field": field or "", "status": status}
    return render(
        request, "matching/board.html",
        **_board_context(session, actor, notes=notes, filters=filters, form={}, errors={}),
    )  # fmt: skip


@router.post("/board", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def post_note(
    request: Request,
    session: Session = SESSION,
    actor: Actor = Depends(current_actor),
    place_id: str | None = Form(None),
    place_name: str | None = Form(None),
    seeks_countries: str | None = Form(None),
    seeks_continents: list[str] = Form(default_factory=list),
    seeks_size: str = Form("any"),
    seeks_fields: str | None = Form(None),
    offers_fields: str | None = Form(None),
    description: str | None = Form(None),
    contact: str | None = Form(None),
):
    locale = i18n.choose_locale(request)
    form = {
        "place_id": (place_id or "").strip(), "seeks_countries": seeks_countries or "",
        "seeks_continents": seeks_continents, "seeks_size": seeks_size,
        "seeks_fields": seeks_fields or "", "offers_fields": offers_fields or "",
        "description": description or "", "contact": contact or "",
        "place_name": (place_name or "").strip(),
    }  # fmt: skip
    # The place is typed by name: it becomes an id, or an error listing the candidates.
    place_errors = places.read_place_fields(session, form, ("place_id",), locale, ("place_id",))
    try:
        data = NoteWrite.model_validate(
            {**{k: v for k, v in form.items() if k in NoteWrite.model_fields},
             "place_id": form.get("place_id") or None,
             "seeks_countries": _terms(seeks_countries), "seeks_fields": _terms(seeks_fields),
             "offers_fields": _terms(offers_fields)}
        )  # fmt: skip
        if place_errors:  # the other fields were checked too, so every problem is shown at once
            raise InvalidInput("A place is not clear.", place_errors)
        note = service.post_note(session, data, actor=actor)
    except ValidationError as exc:
        errors = {**field_errors(exc, locale), **place_errors}
    except AmityError as exc:
        errors = place_errors or service_errors(exc, tuple(form), locale)
    else:
        return RedirectResponse(f"/board/{note['id']}?saved=1", status_code=303)
    session.rollback()
    notes = service.list_notes(session)
    filters = {"country": "", "field": "", "status": "open"}
    return render(
        request, "matching/board.html", 422,
        **_board_context(session, actor, notes=notes, filters=filters, form=form, errors=errors),
    )  # fmt: skip


@router.get("/board/{note_id}", response_class=HTMLResponse)
def note_page(
    note_id: Id, request: Request, session: Session = SESSION
) -> HTMLResponse:
    try:
        found = service.matches(session, note_id)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    return render(
        request, "matching/note.html", note=found["note"], matches=found["matches"],
        saved=request.query_params.get("saved") == "1",
    )  # fmt: skip


@router.get("/places/{place_id}/profile", response_class=HTMLResponse)
def profile_page(
    place_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> HTMLResponse:  # fmt: skip
    try:
        place = service.place(session, place_id)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    current = service.get_profile(session, place_id)
    form = {name: ", ".join(current[name]) for name in service.LISTS}
    return render(
        request, "matching/profile.html", place=place, form={**form, "note": current["note"]},
        errors={}, saved=request.query_params.get("saved") == "1",
        may_change=can(actor, "matching.profile.write", places=[place]),
    )  # fmt: skip


@router.post(
    "/places/{place_id}/profile", response_class=HTMLResponse,
    dependencies=[Depends(require_csrf)],
)  # fmt: skip
def save_profile(
    place_id: Id,
    request: Request,
    session: Session = SESSION,
    actor: Actor = Depends(current_actor),
    industries: str | None = Form(None),
    needs: str | None = Form(None),
    offers: str | None = Form(None),
    fields: str | None = Form(None),
    note: str | None = Form(None),
):
    try:
        place = service.place(session, place_id)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    locale = i18n.choose_locale(request)
    form = {"industries": industries or "", "needs": needs or "", "offers": offers or "",
            "fields": fields or "", "note": (note or "").strip() or None}  # fmt: skip
    try:
        data = ProfileWrite.model_validate(
            {**{name: _terms(form[name]) for name in service.LISTS}, "note": form["note"]}
        )
        service.save_profile(session, place_id, data, actor=actor)
    except ValidationError as exc:
        errors = field_errors(exc, locale)
    except AmityError as exc:
        errors = service_errors(exc, tuple(form), locale)
    else:
        return RedirectResponse(f"/places/{place_id}/profile?saved=1", status_code=303)
    session.rollback()
    return render(
        request, "matching/profile.html", 422, place=place, form=form, errors=errors, saved=False,
        may_change=can(actor, "matching.profile.write", places=[place]),
    )  # fmt: skip

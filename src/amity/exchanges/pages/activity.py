"""Exchange pages: the list with facets, the form, and the activity of a partnership or place."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.attachments import service as attachments
from amity.auth.permissions import Actor
from amity.auth.web import current_actor, may_over, may_somewhere, refuse, require_csrf
from amity.core import i18n
from amity.core.bounds import Id, parse_id
from amity.core.errors import AmityError, InvalidInput, NotFound
from amity.core.listing import page_count
from amity.core.settings import get_settings
from amity.exchanges import health_office, service, taxonomy
from amity.exchanges.models import DELEGATION_LEVELS, DIRECTIONS
from amity.exchanges.schemas import FACETS, ExchangeCreate, ExchangeQuery
from amity.http.deps import SESSION
from amity.http.forms import field_errors, service_errors
from amity.http.render import not_found_page, render
from amity.partnerships import service as partnerships
from amity.places import service as places

router = APIRouter()
_FORM_FIELDS = (
    "partnership_id", "place_a_id", "place_b_id", "title", "mode", "start", "end", "direction",
    "delegation_size", "delegation_level", "participants", "outcome", "budget_amount",
    "budget_currency", "link",
)  # fmt: skip
_PLACES = ("place_a_id", "place_b_id")
# The partnership is chosen by one of its places (typed by name), then by its partner.
_PARTNERSHIP_PLACE = "partnership_place_id"
_NAMES = ("place_a_name", "place_b_name", "partnership_place_name")


@router.get("/exchanges", response_class=HTMLResponse)
def exchange_list(
    request: Request, session: Session = SESSION, actor: Actor = Depends(current_actor)
) -> HTMLResponse:
    params = [(k, v) for k, v in request.query_params.multi_items() if v.strip()]
    error = None
    try:
        query = ExchangeQuery.from_params(params)
    except ValidationError as exc:
        error = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        query, params = ExchangeQuery(), []
    result = service.list_exchanges(session, query)
    selection = [(k, v) for k, v in params if k not in ("lang", "page")]
    pages = page_count(result["total"], result["per_page"])

    def sort_url(key: str) -> str:
        # The Date header: newest first unless the list is so already (the list's default).
        order = key if query.sort == f"-{key}" else f"-{key}"
        kept = [(k, v) for k, v in selection if k != "sort"]
        return "/exchanges?" + urlencode([*kept, ("sort", order)])
    return render(
        request,
        "exchanges/exchanges.html",
        result=result,
        facets=result["facets"],
        facet_names=FACETS,
        selected=dict(params),
        filtered=any(k not in ("lang", "sort", "page", "per_page") for k, _ in params),
        export_query="?" + urlencode(selection) if selection else "",
        page_url=lambda page: "/exchanges?" + urlencode([*selection, ("page", str(page))]),
        pages=pages,
        sort=query.sort,
        sort_url=sort_url,
        error=error,
        may_record=may_somewhere(actor, "exchange.write"),
        # A selection it cannot use (a page number past the range): shown, and a 422; a page
        # past the last one: said, with a link to the last one, and a 404.
        status_code=422 if error else 404 if query.page > pages else 200,
    )


def _choices(session: Session, form: dict, locale: str) -> dict:
    return {
        "modes": taxonomy.list_terms(session, "mode"),
        "fields": taxonomy.list_terms(session, "field"),
        "directions": DIRECTIONS,
        "levels": DELEGATION_LEVELS,
        "partners": _partners(session, form.get(_PARTNERSHIP_PLACE), locale),
    }


def _partners(session: Session, place_id: str | None, locale: str) -> list[dict]:
    """The partnerships of the place named in the form's partnership field, each labelled by
    its partner as js/exchange_form.js labels them ("巴黎 · 法国 · 1985")."""
    found = parse_id(str(place_id or ""))
    if found is None:
        return []
    try:
        rows = partnerships.place_partners(session, found)["partners"]
    except NotFound:
        return []
    return [{"id": row["partnership_id"], "label": partner_label(row, locale)} for row in rows]


def partner_label(row: dict, locale: str) -> str:
    partner = row["partner"]
    parts = [
        i18n.place_name(partner, locale),
        i18n.country_name(partner["country"], locale, name_en=partner["country_name"],
                          name_zh=partner["country_name_zh"]),  # fmt: skip
    ]
    if row.get("established"):
        parts.append(str(row["established"])[:4])
    return " · ".join(parts)


def _home_side(session: Session, form: dict) -> None:
    """A link's ?partnership_id= (from a partnership's page): its home-country place fills the
    partnership field, so the form shows the partnership by names."""
    found = parse_id(str(form.get("partnership_id") or ""))
    if found is None or form.get(_PARTNERSHIP_PLACE):
        return
    try:
        item = partnerships.get_partnership(session, found)
    except NotFound:
        form.pop("partnership_id", None)
        return
    home = get_settings().home_country
    side = item["b"] if item["b"]["country"] == home and item["a"]["country"] != home else item["a"]
    form[_PARTNERSHIP_PLACE] = str(side["id"])


@router.get("/exchanges/new", response_class=HTMLResponse)
def new_form(
    request: Request, session: Session = SESSION, actor: Actor = Depends(current_actor)
) -> HTMLResponse:
    if not may_somewhere(actor, "exchange.write"):
        return refuse(request, actor)
    locale = i18n.choose_locale(request)
    form = {k: v for k, v in request.query_params.items() if k in _FORM_FIELDS}
    _home_side(session, form)
    places.fill_place_names(session, form, (*_PLACES, _PARTNERSHIP_PLACE), locale)
    return render(request, "exchanges/exchange_new.html", form=form, errors={},
                  choices=_choices(session, form, locale))  # fmt: skip


@router.post("/exchanges/new", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
async def create(
    request: Request,
    session: Session = SESSION,
    actor: Actor = Depends(current_actor),
):
    locale = i18n.choose_locale(request)
    posted = await request.form()
    form = {k: str(v).strip() for k, v in posted.items()
            if k in (*_FORM_FIELDS, *_NAMES, _PARTNERSHIP_PLACE) and str(v).strip()}  # fmt: skip
    form["fields"] = [str(v) for v in posted.getlist("fields")]
    # The places are typed by name: each becomes an id, or an error listing the candidates.
    place_errors = places.read_place_fields(session, form, (*_PLACES, _PARTNERSHIP_PLACE), locale)
    both_places = form.get("place_a_id") and form.get("place_b_id")
    if form.get(_PARTNERSHIP_PLACE) and not form.get("partnership_id") and not both_places:
        _ = i18n.translations(locale).gettext
        place_errors["partnership_id"] = _("Choose the partner from this place's partnerships.")
    try:
        data = ExchangeCreate.model_validate(
            {k: v for k, v in form.items() if k in _FORM_FIELDS or k == "fields"}
        )
        if place_errors:  # the other fields were checked too, so every problem is shown at once
            raise InvalidInput("A place is not clear.", place_errors)
        created = service.create_exchange(session, data, actor=actor)
    except ValidationError as exc:
        errors = {**field_errors(exc, locale), **place_errors}
    except AmityError as exc:
        errors = place_errors or service_errors(exc, (*_FORM_FIELDS, "fields"), locale)
        if "place_id" in errors or (isinstance(exc.details, dict) and "place_id" in exc.details):
            errors.setdefault("place_a_id", errors.pop("place_id", i18n.error_text(exc, locale)))
    else:
        target = (
            f"/partnerships/{created['partnership_id']}"
            if created["partnership_id"]
            else f"/places/{created['a']['id']}"
        )
        return RedirectResponse(f"{target}?saved=1", status_code=303)
    session.rollback()
    return render(
        request,
        "exchanges/exchange_new.html",
        422,
        form=form,
        errors=errors,
        choices=_choices(session, form, locale),
    )


@router.get("/exchanges/{exchange_id:int}", response_class=HTMLResponse)
def exchange_page(
    exchange_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> HTMLResponse:  # fmt: skip
    """One exchange: what, when, who, and its photos and documents."""
    try:
        item = service.get_exchange(session, exchange_id)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    locale = i18n.choose_locale(request)
    files = attachments.section(session, actor, "exchange", exchange_id, locale,
                                request.query_params.get("attachment_error"))  # fmt: skip
    return render(request, "exchanges/exchange.html", item=item, attachments=files)


def _activity(request: Request, template: str, heading: str, back: str, **context):
    if request.query_params.get("fragment") == "1":
        return render(request, template, **context)
    return render(
        request,
        "exchanges/activity_page.html",
        fragment=template,
        heading=heading,
        back=back,
        **context,
    )


@router.get("/partnerships/{partnership_id}/activity", response_class=HTMLResponse)
def partnership_activity(
    partnership_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> HTMLResponse:  # fmt: skip
    """A partnership's health, exchanges and status history (a fragment with ?fragment=1)."""
    try:
        item = partnerships.get_partnership(session, partnership_id)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    locale = i18n.choose_locale(request)
    heading = f"{i18n.place_name(item['a'], locale)} – {i18n.place_name(item['b'], locale)}"
    return _activity(
        request,
        "exchanges/activity_partnership.html",
        heading,
        f"/partnerships/{partnership_id}",
        partnership_id=partnership_id,
        health=health_office.partnership_health(session, partnership_id),
        timeline=service.partnership_timeline(session, partnership_id),
        may_record=may_over(session, actor, "exchange.write", (item["a"]["id"], item["b"]["id"])),
    )


@router.get("/places/{place_id}/activity", response_class=HTMLResponse)
def place_activity(place_id: Id, request: Request, session: Session = SESSION) -> HTMLResponse:
    """A place's exchanges with any partner (a fragment with ?fragment=1)."""
    try:
        place = places.get_place(session, place_id)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    return _activity(
        request,
        "exchanges/activity_place.html",
        i18n.place_name(place, i18n.choose_locale(request)),
        f"/places/{place_id}",
        result=service.place_exchanges(session, place_id),
    )

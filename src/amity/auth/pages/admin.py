"""The administrator's pages: accounts (add, disable) and the audit log (filters, CSV, chain)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from amity.auth import audit, service
from amity.auth.permissions import ROLES, Actor, can
from amity.auth.web import current_actor, page, refuse, require_csrf
from amity.core import i18n
from amity.core.bounds import parse_id
from amity.core.errors import AmityError
from amity.core.spreadsheets import encode_csv
from amity.http.deps import SESSION
from amity.places import service as places

router = APIRouter()
ACCOUNT_ROLES = tuple(r for r in ROLES if r != "public")
AUDIT_FILTERS = ("actor", "entity", "action", "since", "until")


@router.get("/admin/users", response_class=HTMLResponse)
def users(
    request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "user.manage"):
        return refuse(request, actor)
    return _users_page(request, session, actor, {}, None)


def _users_page(request, session, actor, form, error, status_code=200, errors=None):
    rows = [service.user_row(u) for u in service.list_users(session)]
    return page(request, actor, "auth/admin_users.html", status_code, users=rows,
                roles=ACCOUNT_ROLES, form=form, error=error, errors=errors or {})  # fmt: skip


@router.post("/admin/users", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
async def add_user(
    request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "user.manage"):
        return refuse(request, actor)
    form = {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrf_token"}
    locale = i18n.choose_locale(request)
    # The place is typed by name (an officer's province or city); optional for other roles.
    errors = places.read_place_fields(session, form, ("place_id",), locale)
    if errors:
        form.pop("password", None)
        _ = i18n.translations(locale).gettext
        return _users_page(request, session, actor, form,
                           _("Nothing was saved. Please correct the fields marked below."),
                           422, errors)  # fmt: skip
    try:
        service.create_user(
            session, username=form.get("username", ""), password=form.get("password", ""),
            role=form.get("role", ""), place_id=parse_id(form.get("place_id")),
            display_name=form.get("display_name"), actor=actor,
        )  # fmt: skip
    except AmityError as exc:
        session.rollback()
        form.pop("password", None)
        return _users_page(request, session, actor, form, i18n.error_text(exc, locale), 422)
    return RedirectResponse("/admin/users?saved=1", status_code=303)


@router.post("/admin/users/{username}/disable", dependencies=[Depends(require_csrf)])
def disable(
    username: str, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "user.manage"):
        return refuse(request, actor)
    service.disable_user(session, username, actor=actor)
    return RedirectResponse("/admin/users?saved=1", status_code=303)


def _filters(request: Request) -> dict:
    values = {k: request.query_params.get(k, "").strip() for k in AUDIT_FILTERS}
    parsed = {}
    for key in ("since", "until"):
        try:
            parsed[key] = datetime.fromisoformat(values[key]) if values[key] else None
        except ValueError:
            parsed[key] = None
            values[key] = ""
    return {"values": values, "query": {
        "actor": values["actor"] or None, "entity": values["entity"] or None,
        "action": values["action"] or None, **parsed}}  # fmt: skip


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_log(
    request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "audit.read"):
        return refuse(request, actor)
    filters = _filters(request)
    rows = audit.entries(session, **filters["query"], limit=500)
    return page(request, actor, "auth/admin_audit.html", rows=rows, filters=filters["values"],
                chain=audit.verify(session), csv_query=request.url.query)  # fmt: skip


@router.get("/admin/audit.csv")
def audit_csv(
    request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "audit.read"):
        return refuse(request, actor)
    rows = audit.entries(session, **_filters(request)["query"], limit=None)
    return StreamingResponse(
        encode_csv(audit.to_csv(rows)), media_type="text/csv; charset=utf-8",  # with a BOM
        headers={"Content-Disposition": 'attachment; filename="amity-audit.csv"'},
    )  # fmt: skip

"""The relationship-health page of an office, and its actions (as the signed-in officer).

The page was /attention before; that address answers with a permanent redirect to /health.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor
from amity.auth.web import current_actor, may_over, require_csrf
from amity.core import i18n
from amity.core.bounds import Id, parse_id
from amity.core.errors import AmityError, NotFound
from amity.exchanges import health_office
from amity.http.deps import SESSION
from amity.http.render import render

router = APIRouter()


def _page(request: Request, session: Session, actor: Actor, office: str | None, status: int = 200,
          **extra):  # fmt: skip
    result, error = None, extra.pop("error", None)
    if office:
        try:
            office_id = parse_id(office)
            if office_id is None:
                raise NotFound("No place with this id.")
            result = health_office.unhealthy_list(session, office_id)
        except NotFound:
            _ = i18n.translations(i18n.choose_locale(request)).gettext
            error, status = _("No place with this id."), 404
    # Each row's actions only for a viewer who may change that partnership.
    writable = {
        item["partnership_id"] for item in (result or {}).get("items", [])
        if may_over(session, actor, "partnership.write", (item["a"]["id"], item["b"]["id"]))
    }  # fmt: skip
    return render(request, "exchanges/health.html", status, result=result, office=office,
                  error=error, writable=writable, **extra)  # fmt: skip


@router.get("/health", response_class=HTMLResponse)
def health_page(
    request: Request, session: Session = SESSION, actor: Actor = Depends(current_actor)
) -> HTMLResponse:
    office = request.query_params.get("office", "").strip() or None
    return _page(request, session, actor, office, saved=request.query_params.get("saved") == "1")


@router.post(
    "/health/{partnership_id}", response_class=HTMLResponse,
    dependencies=[Depends(require_csrf)],
)  # fmt: skip
def act(
    partnership_id: Id,
    request: Request,
    session: Session = SESSION,
    actor: Actor = Depends(current_actor),
    action: str = Form("review"),
    note: str = Form(""),
    office: str = Form(""),
):
    _ = i18n.translations(i18n.choose_locale(request)).gettext
    if action not in health_office.ACTIONS or not note.strip():
        message = _("Choose an action and write a note.")
        return _page(request, session, actor, office, 422, error=message)
    try:
        health_office.ACTIONS[action](session, partnership_id, note=note.strip(), actor=actor)
    except AmityError as exc:
        session.rollback()
        message = (
            i18n.error_text(exc, i18n.choose_locale(request))
            if exc.code != "forbidden"
            else _("Sign in with an account allowed to change this place's records.")
        )
        return _page(request, session, actor, office, exc.status, error=message)
    return RedirectResponse(f"/health?office={office}&saved=1", status_code=303)


# Bookmarks and forms of the old address keep working: 308 keeps the method, body and query.
@router.get("/attention", include_in_schema=False)
@router.post("/attention/{partnership_id}", include_in_schema=False)
def old_address(request: Request) -> RedirectResponse:
    url = request.url
    target = "/health" + url.path.removeprefix("/attention")
    return RedirectResponse(f"{target}?{url.query}" if url.query else target, status_code=308)

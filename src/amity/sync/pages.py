"""The administrator's Wikidata sync: a dry run shows the diff, a confirm step writes it.

The confirm form carries the diff's fingerprint: the write recomputes the plan (from the answers
the dry run cached, so Wikidata is not asked again) and writes only if it is still the diff that
was shown; otherwise the new diff is shown for another look.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor, can
from amity.auth.web import current_actor, page, refuse, require_csrf
from amity.core import i18n
from amity.core.conventions import home_country
from amity.core.errors import AmityError
from amity.http.deps import SESSION
from amity.partnerships.models import ImportBatch
from amity.sync.service import Scope, apply_sync, plan_sync
from amity.sync.wikidata import Client

router = APIRouter()
ROWS_SHOWN = 200


def _form_scope(form) -> tuple[dict, Scope]:
    values = {"country": str(form.get("country", "")).strip().upper()[:2],
              "places": str(form.get("places", "")).strip()[:500]}  # fmt: skip
    places = tuple(p for p in values["places"].replace(",", " ").split() if p)
    return values, Scope(country=values["country"] or None, places=places)


def _message(request: Request, error: AmityError) -> str:
    """The error in the page's language: a sync error's template is translated, then filled."""
    return i18n.error_text(error, i18n.choose_locale(request))


def _sync_page(request, session, actor, *, form=None, plan=None, error=None, notice=None,
               status_code=200) -> Response:  # fmt: skip
    runs = session.scalars(
        select(ImportBatch).where(ImportBatch.kind == "wikidata_sync")
        .order_by(ImportBatch.id.desc()).limit(10)
    ).all()  # fmt: skip
    return page(request, actor, "sync/admin.html", status_code, form=form or {}, plan=plan,
                error=error, notice=notice, runs=runs, rows_shown=ROWS_SHOWN)  # fmt: skip


@router.get("/admin/sync", response_class=HTMLResponse)
def sync_page(
    request: Request, session: Session = SESSION, actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "registry.steward"):
        return refuse(request, actor)
    return _sync_page(request, session, actor, form={"country": home_country()})


@router.post("/admin/sync/preview", response_class=HTMLResponse,
             dependencies=[Depends(require_csrf)])  # fmt: skip
async def preview(
    request: Request, session: Session = SESSION, actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "registry.steward"):
        return refuse(request, actor)
    form, scope = _form_scope(await request.form())
    try:
        plan = plan_sync(session, scope, Client())
    except AmityError as error:
        return _sync_page(request, session, actor, form=form, error=_message(request, error),
                          status_code=error.status)  # fmt: skip
    return _sync_page(request, session, actor, form=form, plan=plan)


@router.post("/admin/sync/apply", response_class=HTMLResponse,
             dependencies=[Depends(require_csrf)])  # fmt: skip
async def apply(
    request: Request, session: Session = SESSION, actor: Actor = Depends(current_actor),
) -> Response:  # fmt: skip
    if not can(actor, "registry.steward"):
        return refuse(request, actor)
    data = await request.form()
    form, scope = _form_scope(data)
    try:
        plan = plan_sync(session, scope, Client())
        if plan.fingerprint() != str(data.get("fingerprint", "")):
            _ = i18n.translations(i18n.choose_locale(request)).gettext
            notice = _("The diff changed since you looked at it (the registry or Wikidata "
                       "changed). Nothing was written: review it again.")  # fmt: skip
            return _sync_page(request, session, actor, form=form, plan=plan, notice=notice,
                              status_code=409)  # fmt: skip
        if plan.empty:
            return RedirectResponse("/admin/sync?nothing=1", status_code=303)
        apply_sync(session, plan, actor=actor)
    except AmityError as error:
        session.rollback()
        return _sync_page(request, session, actor, form=form, error=_message(request, error),
                          status_code=error.status)  # fmt: skip
    return RedirectResponse(f"/admin/sync?done={plan.batch_id}", status_code=303)

"""The attachment forms of the case, event and exchange pages (as the signed-in user).

An upload sent by the page's script (static/js/attachments.js, which shows its progress) is
answered in JSON, its refusal in the page's language; a form sent without the script is
answered with a redirect back to the record's page, which shows the refusal by its reason.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from amity.attachments import service
from amity.attachments.upload import read_upload
from amity.auth.permissions import Actor
from amity.auth.web import current_actor, require_csrf
from amity.core import i18n
from amity.core.bounds import Id
from amity.core.errors import AmityError, Forbidden, NotFound
from amity.http.deps import SESSION
from amity.http.render import not_found_page

router = APIRouter()


def _by_script(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _answer(request: Request, found: service.Owner, exc: AmityError | None) -> Response:
    if _by_script(request):
        if exc is None:
            return JSONResponse({"ok": True, "page": found.page}, status_code=201)
        return JSONResponse({"ok": False, "message": _said(request, exc)}, status_code=exc.status)
    reason = "" if exc is None else f"?attachment_error={getattr(exc, 'reason', exc.code)}"
    return RedirectResponse(f"{found.page}{reason}#attachments", status_code=303)


def _said(request: Request, exc: AmityError) -> str:
    locale = i18n.choose_locale(request)
    if isinstance(exc, service.FileRefused):
        return exc.said(locale)
    _ = i18n.translations(locale).gettext
    if isinstance(exc, Forbidden):
        return _("Sign in with an account allowed to change this place's records.")
    return _("The file could not be attached.")


def _routes(owner_type: str) -> None:
    segment = service.SEGMENTS[owner_type]

    async def upload(
        owner_id: Id, request: Request, session: Session = SESSION,
        actor: Actor = Depends(current_actor),
    ) -> Response:  # fmt: skip
        try:
            found = service.owner(session, owner_type, owner_id)
        except NotFound as exc:
            return not_found_page(request, exc.message)
        try:
            service.check_may_attach(session, owner_type, owner_id, actor)
            # The length is checked before the form is read (require_csrf reads it).
            filename, content = await read_upload(request)
            await require_csrf(request, session)
            service.add_attachment(
                session, owner_type, owner_id, filename=filename, content=content, actor=actor
            )
        except AmityError as exc:
            session.rollback()
            return _answer(request, found, exc)
        return _answer(request, found, None)

    async def delete(
        owner_id: Id, attachment_id: Id, request: Request, session: Session = SESSION,
        actor: Actor = Depends(current_actor),
    ) -> Response:  # fmt: skip
        try:
            found = service.owner(session, owner_type, owner_id)
            await require_csrf(request, session)
            service.delete_attachment(session, owner_type, owner_id, attachment_id, actor=actor)
        except NotFound as exc:
            return not_found_page(request, exc.message)
        return RedirectResponse(f"{found.page}#attachments", status_code=303)

    upload.__name__ = f"upload_{owner_type}_attachment_page"
    delete.__name__ = f"delete_{owner_type}_attachment_page"
    router.post(f"/{segment}/{{owner_id:int}}/attachments")(upload)
    router.post(f"/{segment}/{{owner_id:int}}/attachments/{{attachment_id:int}}/delete")(delete)


for _owner_type in service.SEGMENTS:
    _routes(_owner_type)

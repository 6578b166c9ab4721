"""Signing in and out, and the account page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from amity.auth import service
from amity.auth.permissions import Actor
from amity.auth.web import SESSION_COOKIE, current_actor, page, refuse, require_csrf
from amity.core import i18n
from amity.core.errors import TooManyRequests, Unauthorized
from amity.http.deps import SESSION
from amity.http.security import client_address, is_https
from amity.places import service as places
from amity.places.models import Place

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never //host or an absolute URL (an open redirect).
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/account"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, actor: Actor = Depends(current_actor)) -> HTMLResponse:
    return page(request, actor, "auth/login.html", next=request.query_params.get("next", ""),
                error=None, username="")  # fmt: skip


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
async def login(
    request: Request,
    session: Session = SESSION,
    actor: Actor = Depends(current_actor),
) -> Response:
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    target = str(form.get("next", ""))
    _ = i18n.translations(i18n.choose_locale(request)).gettext
    try:
        user = service.authenticate(session, username, password, address=client_address(request))
    except TooManyRequests as exc:
        minutes = exc.details["retry_after_minutes"]
        error = _("Too many failed sign-ins from here. Try again in %(minutes)s min.") % {
            "minutes": minutes
        }
        status = 429
    except Unauthorized:
        error, status = _("Wrong username or password."), 401
    else:
        raw = service.start_session(session, user)
        response = RedirectResponse(_safe_next(target), status_code=303)
        response.set_cookie(
            SESSION_COOKIE, raw, max_age=service.SESSION_HOURS * 3600, httponly=True,
            samesite="lax", secure=is_https(request), path="/",
        )  # fmt: skip
        return response
    return page(request, actor, "auth/login.html", status, next=target, error=error,
                username=username)  # fmt: skip


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request, session: Session = SESSION) -> Response:
    service.end_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account", response_class=HTMLResponse)
def account(
    request: Request, session: Session = SESSION, actor: Actor = Depends(current_actor)
) -> Response:
    if not actor.signed_in:
        return refuse(request, actor)
    # The place an officer is responsible for, by name and where it is (never by its id).
    own = session.get(Place, actor.place_id) if actor.place_id else None
    place = places.describe(session, [own], i18n.choose_locale(request))[0] if own else None
    return page(request, actor, "auth/account.html", place=place)




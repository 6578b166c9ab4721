"""Who is asking, for the pages and the API; CSRF tokens for every form; the browser id.

A signed-in browser carries `amity_session` (HttpOnly, SameSite=Lax, Secure over HTTPS); its
CSRF token lives with the server-side session. An anonymous browser carries `amity_browser`, a
random id signed with the server's secret (set by `amity.http.security`); its CSRF token is an
HMAC of that id, and the same id (hashed differently) counts its votes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from amity.auth.permissions import PUBLIC_ACTOR, TABLE, Actor, actor_for, can
from amity.auth.service import session_for, token_actor, verify_token
from amity.core import i18n
from amity.core.db import session_scope
from amity.core.errors import Forbidden
from amity.core.secrets import mac, server_secret, signing_key
from amity.http.deps import SESSION
from amity.http.render import render, template_global
from amity.http.security import browser_id
from amity.places.models import Place

SESSION_COOKIE = "amity_session"
CSRF_FIELD = "csrf_token"

bearer = HTTPBearer(auto_error=False, description="An API token from `amity token create`.")


def address_key(session: Session, address: str) -> str:
    """A keyed hash of an address: enough to throttle by, not to recover it."""
    return hmac.new(signing_key(session), address.encode(), hashlib.sha256).hexdigest()


def voter_key(request: Request, actor: Actor) -> str:
    """One vote per account, or per browser for visitors who are not signed in."""
    if actor.user_id is not None:
        return f"user:{actor.user_id}"
    secret = server_secret(request.app.state.engine)
    return "browser:" + mac(secret, "vote", browser_id(request) or "none")[:40]


def _web_session(request: Request, session: Session):
    if "amity.web_session" not in request.scope:
        request.scope["amity.web_session"] = session_for(
            session, request.cookies.get(SESSION_COOKIE)
        )
    return request.scope["amity.web_session"]


def current_actor(request: Request, session: Session = SESSION) -> Actor:
    """The signed-in user of a page request, else the public."""
    web = _web_session(request, session)
    return actor_for(web.user) if web is not None else PUBLIC_ACTOR


def api_actor(
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    session: Session = SESSION,
) -> Actor:
    """The user of an API request's token (401 without a live one)."""
    return token_actor(verify_token(session, credentials.credentials if credentials else None))


def csrf_token(request: Request, session: Session | None = None) -> str:
    """The CSRF token forms on this page must carry back."""
    if session is not None:
        web = _web_session(request, session)
    elif "amity.web_session" in request.scope:
        web = request.scope["amity.web_session"]
    else:
        with session_scope(request.app.state.engine) as own:
            web = _web_session(request, own)
    if web is not None:
        return web.csrf_token
    secret = server_secret(request.app.state.engine)
    return mac(secret, "csrf", browser_id(request) or "none")


@template_global
def csrf_field(request: Request) -> Markup:
    """The hidden input every form includes: `{{ csrf_field(request) }}` in a template."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, escape(csrf_token(request))
    )


async def require_csrf(request: Request, session: Session = SESSION) -> None:
    """A dependency for every form POST: the hidden token must match this browser's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = csrf_token(request, session)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise Forbidden(
            "This form has expired or did not come from this site. Reload the page and try again.",
            {"csrf": "mismatch"},
        )


# What pages show the viewer: forms and buttons only to those who may use them (the services
# refuse everyone else anyway; a button that can only fail misleads).


def page(request: Request, actor: Actor, template: str, status_code: int = 200, **context):
    """Render a governance page with the actor, the permission check and the form CSRF field."""
    return render(
        request,
        template,
        status_code,
        actor=actor,
        can=lambda action, places=(): can(actor, action, places=places),
        **context,
    )


def refuse(request: Request, actor: Actor) -> Response:
    """Visitors are sent to sign in; signed-in users without the right see a 403 page."""
    if not actor.signed_in:
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    _ = i18n.translations(i18n.choose_locale(request)).gettext
    return page(request, actor, "forbidden.html", 403,
                message=_("Your role does not allow this here."))  # fmt: skip


def may_somewhere(actor: Actor, action: str) -> bool:
    """Whether the actor's role may do `action` over some place (its own scope, at least)."""
    return actor.signed_in and actor.role in TABLE[action]


def may_over(session: Session, actor: Actor, action: str, place_ids: Iterable[int]) -> bool:
    """Whether the actor may do `action` over these places (any of them, as the services ask)."""
    return can(actor, action, places=[session.get(Place, pid) for pid in place_ids])

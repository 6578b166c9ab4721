"""Who is asking, for the pages and the API; CSRF tokens for every form; the browser id.

A signed-in browser carries `amity_session` (HttpOnly, SameSite=Lax, Secure over HTTPS); its
CSRF token lives with the server-side session. An anonymous browser carries `amity_browser`, a
random id signed with the server's secret (set by `amity.web.security`); its CSRF token is an
HMAC of that id, and the same id (hashed differently) counts its votes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from markupsafe import Markup, escape
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from amity.auth.errors import Forbidden
from amity.auth.models import ServerSecret
from amity.auth.permissions import PUBLIC_ACTOR, Actor, actor_for
from amity.auth.service import session_for, token_actor, verify_token
from amity.db import session_scope
from amity.web.deps import SESSION

SESSION_COOKIE = "amity_session"
BROWSER_COOKIE = "amity_browser"
CSRF_FIELD = "csrf_token"
SCOPE_BROWSER = "amity.browser_id"

bearer = HTTPBearer(auto_error=False, description="An API token from `amity token create`.")


def signing_key(session: Session) -> bytes:
    """The key that signs browser ids and hashes addresses, kept in the database so every
    worker shares it (made on first use)."""
    row = session.get(ServerSecret, "signing")
    if row is None:
        row = ServerSecret(name="signing", value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return bytes.fromhex(row.value)


@lru_cache(maxsize=8)
def _secret_for(url: str, engine: Engine) -> bytes:
    with session_scope(engine) as session:
        return signing_key(session)


def server_secret(engine: Engine) -> bytes:
    """`signing_key` read once per engine (the middleware needs it on every first visit)."""
    return _secret_for(engine.url.render_as_string(hide_password=False), engine)


def address_key(session: Session, address: str) -> str:
    """A keyed hash of an address: enough to throttle by, not to recover it."""
    return hmac.new(signing_key(session), address.encode(), hashlib.sha256).hexdigest()


def _mac(key: bytes, purpose: str, value: str) -> str:
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def sign_browser_id(engine: Engine, browser_id: str) -> str:
    return f"{browser_id}.{_mac(server_secret(engine), 'browser', browser_id)[:32]}"


def unsign_browser_id(engine: Engine, cookie: str | None) -> str | None:
    """The browser id of a cookie whose signature holds, else None."""
    if not cookie or "." not in cookie:
        return None
    browser_id, signature = cookie.rsplit(".", 1)
    expected = _mac(server_secret(engine), "browser", browser_id)[:32]
    return browser_id if hmac.compare_digest(signature, expected) else None


def browser_id(request: Request) -> str | None:
    """This browser's id (the middleware sets one on the first visit)."""
    return request.scope.get(SCOPE_BROWSER)


def voter_key(request: Request, actor: Actor) -> str:
    """One vote per account, or per browser for visitors who are not signed in."""
    if actor.user_id is not None:
        return f"user:{actor.user_id}"
    secret = server_secret(request.app.state.engine)
    return "browser:" + _mac(secret, "vote", browser_id(request) or "none")[:40]


def client_address(request: Request) -> str:
    """The caller's address: the peer, or the client a trusted proxy names.

    Forwarded headers are read only by the proxy middleware (amity.web.app), and only from
    AMITY_TRUSTED_PROXIES: a header the client wrote itself never counts.
    """
    return (request.client.host if request.client else "unknown")[:64]


def is_https(request: Request) -> bool:
    """HTTPS directly, or behind a trusted proxy that says so (the middleware sets the scheme)."""
    return request.url.scheme == "https"


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
    return _mac(secret, "csrf", browser_id(request) or "none")


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

"""Security headers on every response, and the signed browser id cookie for anonymous visitors.

The Content-Security-Policy allows scripts, styles and images only from this site (no inline
scripts, no eval), so an injected `<script>` or `onerror=` attribute cannot run even if escaping
ever failed. HSTS is sent only over HTTPS (directly, or behind a trusted proxy that says so).
"""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from amity.core.secrets import mac, server_secret

BROWSER_COOKIE = "amity_browser"
SCOPE_BROWSER = "amity.browser_id"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    # ECharts writes style attributes into its tooltips, and three index templates size their
    # charts with one: attributes only (no <style> elements), and CSS cannot run scripts.
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
CSP_HEADER = b"content-security-policy"
HEADERS = [
    (CSP_HEADER, CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
ONE_YEAR = 365 * 24 * 3600


def sign_browser_id(engine: Engine, browser_id: str) -> str:
    return f"{browser_id}.{mac(server_secret(engine), 'browser', browser_id)[:32]}"


def unsign_browser_id(engine: Engine, cookie: str | None) -> str | None:
    """The browser id of a cookie whose signature holds, else None."""
    if not cookie or "." not in cookie:
        return None
    browser_id, signature = cookie.rsplit(".", 1)
    expected = mac(server_secret(engine), "browser", browser_id)[:32]
    return browser_id if hmac.compare_digest(signature, expected) else None


def browser_id(request: Request) -> str | None:
    """This browser's id (the middleware below sets one on the first visit)."""
    return request.scope.get(SCOPE_BROWSER)


def client_address(request: Request) -> str:
    """The caller's address: the peer, or the client a trusted proxy names.

    Forwarded headers are read only by the proxy middleware (amity.http.app), and only from
    AMITY_TRUSTED_PROXIES: a header the client wrote itself never counts.
    """
    return (request.client.host if request.client else "unknown")[:64]


def is_https(request: Request) -> bool:
    """HTTPS directly, or behind a trusted proxy that says so (the middleware sets the scheme)."""
    return request.url.scheme == "https"


def _https(scope: Scope) -> bool:
    # X-Forwarded-Proto counts only from a trusted proxy, whose middleware already put it into
    # the scope's scheme; read from the headers here, any client could claim HTTPS.
    return scope.get("scheme") == "https"


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name:
                    return v
    return None


class SecurityHeaders:
    """Add the headers above to every HTTP response; give new browsers a signed id."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = _https(scope)
        new_cookie = None
        # No browser id (and no database read for its key) where no person browses: files,
        # the API, and the health checks (which must answer while the database is down).
        if not scope["path"].startswith(("/static/", "/api/", "/healthz", "/readyz")):
            engine = scope["app"].state.engine
            browser = unsign_browser_id(engine, _cookie(scope, BROWSER_COOKIE))
            if browser is None:
                browser = secrets.token_urlsafe(16)
                new_cookie = sign_browser_id(engine, browser)
            scope[SCOPE_BROWSER] = browser

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = message.get("headers", [])
                # A response that sets its own policy keeps it: only a stricter one is ever set
                # (an attached file's `default-src 'none'`, amity.attachments.api).
                keep = {CSP_HEADER} & {name for name, _ in own}
                headers = [h for h in own if h[0] not in dict(HEADERS) or h[0] in keep]
                headers.extend(h for h in HEADERS if h[0] not in keep)
                if https:
                    headers.append(HSTS)
                if new_cookie:
                    attributes = f"; Path=/; Max-Age={ONE_YEAR}; HttpOnly; SameSite=Lax"
                    secure = "; Secure" if https else ""
                    cookie = f"{BROWSER_COOKIE}={new_cookie}{attributes}{secure}"
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

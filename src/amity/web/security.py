"""Security headers on every response, and the signed browser id cookie for anonymous visitors.

The Content-Security-Policy allows scripts, styles and images only from this site (no inline
scripts, no eval), so an injected `<script>` or `onerror=` attribute cannot run even if escaping
ever failed. HSTS is sent only over HTTPS (directly, or behind a trusted proxy that says so).
"""

from __future__ import annotations

import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from amity.auth.web import BROWSER_COOKIE, SCOPE_BROWSER, sign_browser_id, unsign_browser_id

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    # ECharts writes style attributes into its tooltips, and three index templates size their
    # charts with one: attributes only (no <style> elements), and CSS cannot run scripts.
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
ONE_YEAR = 365 * 24 * 3600


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
        if not scope["path"].startswith(("/static/", "/api/")):
            engine = scope["app"].state.engine
            browser = unsign_browser_id(engine, _cookie(scope, BROWSER_COOKIE))
            if browser is None:
                browser = secrets.token_urlsafe(16)
                new_cookie = sign_browser_id(engine, browser)
            scope[SCOPE_BROWSER] = browser

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] not in dict(HEADERS)]
                headers.extend(HEADERS)
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

"""A request id for every request: the caller's X-Request-ID when it is a sane token (a proxy or
a client tracing a call), else a new one; sent back in the answer's X-Request-ID and put on every
log line written while the request is answered (amity.core.logs)."""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from amity.core.logs import REQUEST_ID

HEADER = b"x-request-id"
# Letters, digits and a few separators, at most 128: what tracing systems send (UUIDs, hex,
# "trace-span"), and nothing that could forge or break a log line (no spaces, quotes, newlines).
VALID = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")


def request_id_of(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == HEADER and VALID.fullmatch(value):
            return value.decode("ascii")
    return uuid.uuid4().hex


class RequestId:
    """Outermost layer: sets the id before anything logs, adds it to the answer's headers."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token = REQUEST_ID.set(request_id)
        header = (b"x-request-id", request_id.encode("ascii"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != HEADER]
                message = {**message, "headers": [*headers, header]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(token)

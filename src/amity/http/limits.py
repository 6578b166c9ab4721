"""A cap on API request bodies, answered with 413 in the API's error shape."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from amity.http.errors import PayloadTooLarge, error_body

MAX_API_BODY = 1024 * 1024


class BodySizeLimit:
    """Refuse API bodies over `limit` bytes, by their Content-Length or as they stream in.

    File uploads (multipart/form-data) are left to the routes that take them: an import
    spreadsheet may rightly be larger than any JSON body.
    """

    def __init__(self, app: ASGIApp, *, limit: int = MAX_API_BODY, prefix: str = "/api/"):
        self.app = app
        self.limit = limit
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if headers.get(b"content-type", b"").startswith(b"multipart/form-data"):
            await self.app(scope, receive, send)
            return
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                # Raised inside the route's body read; FastAPI passes HTTPException through
                # (anything else becomes a 400), and the app's handler answers in our shape.
                raise HTTPException(413, self._message()[0])
            return message

        await self.app(scope, counting_receive, send)

    def _message(self) -> tuple[str, dict]:
        return f"The body is larger than {self.limit:,} bytes.", {"limit": self.limit}

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(error_body(PayloadTooLarge.code, *self._message())).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

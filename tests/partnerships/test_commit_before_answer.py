"""A write is committed before its answer starts: a client told 201 must find the row even if
the app dies the next moment (bench/bench_kill.py kills it under writes to check the same)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from amity.http.app import create_app

from .test_api_write import new_pair


def test_the_commit_comes_before_the_response_starts(engine, small_registry, auth_headers):
    happened: list[str] = []
    app = create_app(engine)

    async def watched(scope, receive, send):
        async def send_and_note(message):
            if message["type"] == "http.response.start":
                happened.append(f"response {message['status']}")
            await send(message)

        await app(scope, receive, send_and_note)

    def note_commit(session: Session) -> None:
        happened.append("commit")

    event.listen(Session, "after_commit", note_commit)
    try:
        with TestClient(watched) as client:
            response = client.post(
                "/api/v1/partnerships", json=new_pair(small_registry), headers=auth_headers
            )
    finally:
        event.remove(Session, "after_commit", note_commit)
    assert response.status_code == 201, response.text
    assert happened.index("commit") < happened.index("response 201"), happened

"""The public's voice over the API: each voice page /voice/P has its JSON twin /api/v1/voice/P,
and the first paths under /api/v1/participation answer the same."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.participation.test_voice import _moderate, _send

from amity.auth.service import create_token
from amity.core.db import session_scope
from amity.http.app import create_app


def _token(world, username: str) -> dict:
    with session_scope(world["engine"]) as session:
        return {"Authorization": f"Bearer {create_token(session, 'test', username=username)}"}


def test_the_voice_pages_have_their_json_twins(world):
    client = TestClient(create_app(world["engine"]))
    pair = world["pairs"][0]
    shown = _send(world, body="多开展青年交流", field="youth")
    waiting = _send(world, body="Student exchanges", address="192.0.2.1")
    _moderate(world, shown["id"], "admin")

    published = client.get(f"/api/v1/voice/partnership/{pair}")
    assert published.status_code == 200
    assert [(r["id"], r["body"], r["votes"]) for r in published.json()] == [
        (shown["id"], "多开展青年交流", 0)
    ]
    assert client.get(f"/api/v1/participation/partnership/{pair}").json() == published.json()
    assert client.get(f"/api/v1/voice/club/{pair}").status_code == 422

    # Moderation and the summary stay token-only, on both paths.
    for path in ("/api/v1/voice/moderation", "/api/v1/voice/summary"):
        assert client.get(path).status_code == 401, path
    queue = client.get("/api/v1/voice/moderation", headers=_token(world, "nj"))
    assert [r["id"] for r in queue.json()] == [waiting["id"]]
    old = client.get("/api/v1/participation/queue", headers=_token(world, "nj"))
    assert old.json() == queue.json()
    summary = client.get("/api/v1/voice/summary", headers=_token(world, "admin")).json()
    assert summary["submissions"] == 2 and summary["dropped"] == 0
    assert {r["key"] for r in summary["by"]["field"]} == {"youth", "none"}
    assert summary["terms"]
    old = client.get("/api/v1/participation/summary", headers=_token(world, "admin")).json()
    assert old == summary

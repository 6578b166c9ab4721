"""The account and administration pages' JSON twins: a token of the right role, else a refusal."""

from __future__ import annotations

from fastapi.testclient import TestClient

from amity.auth.service import create_token
from amity.core.db import session_scope
from amity.http.app import create_app


def _client(world) -> tuple[TestClient, dict[str, dict]]:
    with session_scope(world["engine"]) as session:
        tokens = {u: create_token(session, f"twin-{u}", username=u) for u in ("admin", "nj")}
    headers = {u: {"Authorization": f"Bearer {t}"} for u, t in tokens.items()}
    return TestClient(create_app(world["engine"])), headers


def test_account_says_who_the_token_acts_as(world):
    client, headers = _client(world)
    me = client.get("/api/v1/account", headers=headers["nj"]).json()
    assert me["name"] == "nj" and me["role"] == "city_officer" and me["place_id"] is not None
    assert client.get("/api/v1/account").status_code == 401


def test_users_and_audit_need_a_national_administrator(world):
    client, headers = _client(world)
    for path in ("/api/v1/admin/users", "/api/v1/admin/audit"):
        assert client.get(path, headers=headers["nj"]).status_code == 403
        assert client.get(path).status_code == 401
    users = client.get("/api/v1/admin/users", headers=headers["admin"]).json()
    assert users["count"] == len(users["users"]) >= 7
    assert {"admin", "nj", "res"} <= {u["username"] for u in users["users"]}
    assert all("password" not in str(u) for u in users["users"])
    log = client.get("/api/v1/admin/audit", headers=headers["admin"]).json()
    assert log["chain"]["ok"] is True and log["chain"]["rows"] >= len(log["entries"]) > 0
    # newest first, and the filters narrow as on the page
    ids = [e["id"] for e in log["entries"]]
    assert ids == sorted(ids, reverse=True)
    action = log["entries"][-1]["action"]
    only = client.get("/api/v1/admin/audit", params={"action": action}, headers=headers["admin"])
    assert only.status_code == 200
    assert {e["action"] for e in only.json()["entries"]} == {action}

"""Fail closed: a credential whose user is missing, disabled or out of scope acts as nobody.

Every way in is walked (an API token, a browser session and its CSRF-protected forms, signing in
with a password, the command line naming a user) with the credential made while the user was
fine, then the user deleted behind the application's back (foreign keys bypassed, as a manual
fix or a partial restore could), disabled, given an unknown role, or stripped of their place.
Before the fix a token whose user row was gone acted as a national administrator.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from tests.auth.world import PASSWORD
from typer.testing import CliRunner

from amity.auth import service
from amity.auth.models import ApiToken, WebSession
from amity.auth.permissions import PUBLIC_ACTOR
from amity.auth.web import SESSION_COOKIE
from amity.cli import app as cli
from amity.core.db import clear_engines, session_scope
from amity.http.app import create_app
from amity.participation import service as voice
from amity.participation.models import Submission

BROKEN = ["deleted", "disabled", "unknown_role", "no_place"]


def _delete_behind_the_back(engine, user_id: int) -> None:
    """Delete a user row although tokens and sessions still point at it."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.execute(text("DELETE FROM users WHERE id = :id"), {"id": user_id})
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        else:
            connection.exec_driver_sql("SET session_replication_role = replica")
            connection.execute(text("DELETE FROM users WHERE id = :id"), {"id": user_id})
            connection.commit()
            connection.exec_driver_sql("SET session_replication_role = DEFAULT")
            connection.commit()


def _break(engine, how: str, user_id: int) -> None:
    if how == "deleted":
        _delete_behind_the_back(engine, user_id)
        return
    if how == "disabled":
        with session_scope(engine) as session:
            service.disable_user(session, "victim")
        return
    change = {"unknown_role": "role = 'superuser'", "no_place": "place_id = NULL"}[how]
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE users SET {change} WHERE id = :id"), {"id": user_id})


@pytest.fixture(params=BROKEN)
def broken(request, world) -> dict:
    """A Chengdu city officer's token, session and CSRF token; then the user broken."""
    engine = world["engine"]
    with session_scope(engine) as session:
        user = service.create_user(
            session, username="victim", password=PASSWORD, role="city_officer",
            place_id=world["places"]["chengdu"],
        )  # fmt: skip
        user_id = user.id
        token = service.create_token(session, "victim-bot", username="victim")
        cookie = service.start_session(session, user)
        csrf = session.scalar(select(WebSession.csrf_token).where(WebSession.user_id == user_id))
    # Something on Nanjing's partnership waiting for moderation: not Chengdu's to decide, and
    # anybody taken for a national administrator could.
    with session_scope(engine) as session:
        sent = voice.submit(session, topic="partnership", topic_id=world["pairs"][0],
                            kind="idea", body="more student exchanges", address="192.0.2.9",
                            actor=PUBLIC_ACTOR)  # fmt: skip
    _break(engine, request.param, user_id)
    return {**world, "how": request.param, "token": token, "cookie": cookie, "csrf": csrf,
            "submission": sent["id"], "app": create_app(engine)}  # fmt: skip


def _still_pending(broken) -> None:
    with session_scope(broken["engine"]) as session:
        assert session.get(Submission, broken["submission"]).status == "pending"


def test_an_api_token_of_a_broken_user_is_refused(broken):
    client = TestClient(broken["app"])
    bearer = {"Authorization": f"Bearer {broken['token']}"}
    for path in ("/api/v1/participation/queue", "/api/v1/proposals"):
        answer = client.get(path, headers=bearer)
        assert answer.status_code == 401, (path, answer.status_code, answer.text[:200])
    answer = client.post(
        f"/api/v1/participation/submissions/{broken['submission']}/moderation",
        json={"decision": "publish"}, headers=bearer,
    )  # fmt: skip
    assert answer.status_code == 401, answer.text[:300]
    assert answer.json()["error"]["code"] == "unauthorized"
    _still_pending(broken)
    with session_scope(broken["engine"]) as session:
        token = session.scalar(select(ApiToken).where(ApiToken.name == "victim-bot"))
        with pytest.raises(service.Unauthorized):
            service.token_actor(token)


def test_a_session_of_a_broken_user_is_signed_out_and_its_forms_refused(broken):
    client = TestClient(broken["app"], cookies={SESSION_COOKIE: broken["cookie"]})
    for path in ("/account", "/voice/moderation", "/proposals"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), (
            path, answer.status_code
        )  # fmt: skip
    # The form token the session had: refused, because the session no longer counts.
    answer = client.post(f"/voice/moderation/{broken['submission']}",
                         data={"csrf_token": broken["csrf"], "decision": "publish"},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 403
    _still_pending(broken)
    page = client.get("/login")
    assert page.status_code == 200 and 'action="/logout"' not in page.text


def test_signing_in_as_a_broken_user_is_refused(broken):
    client = TestClient(broken["app"])
    page = client.get("/login").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", data={"username": "victim", "password": PASSWORD,
                                         "csrf_token": csrf}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 401 and SESSION_COOKIE not in answer.cookies


def test_the_command_line_will_not_give_a_broken_user_a_token(broken, monkeypatch):
    url = broken["engine"].url.render_as_string(hide_password=False)
    monkeypatch.setenv("AMITY_DATABASE_URL", url)
    clear_engines()
    try:
        runner = CliRunner()
        made = runner.invoke(cli, ["token", "create", "again", "--user", "victim"])
        assert made.exit_code == 1, made.output
        listed = runner.invoke(cli, ["token", "list", "--json"])
        assert listed.exit_code == 0, listed.output
        # A token whose user is gone is not shown as the local administrator's.
        assert '"user": null' not in listed.output
    finally:
        clear_engines()

"""Accounts: argon2 hashes, sign-in with throttling, disabling, tokens acting as their user."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from tests.auth.world import PASSWORD
from typer.testing import CliRunner

from amity.auth import service
from amity.auth.models import LoginAttempt, User
from amity.auth.permissions import PUBLIC_ACTOR, actor_for
from amity.cli import app
from amity.core.db import clear_engines, session_scope
from amity.core.errors import Conflict, Forbidden, InvalidInput, TooManyRequests, Unauthorized


def test_passwords_are_stored_as_argon2id_and_verify(world):
    with session_scope(world["engine"]) as session:
        user = session.scalar(select(User).where(User.username == "nj"))
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert service.authenticate(session, "nj", PASSWORD, address="1.1.1.1").id == user.id
        with pytest.raises(Unauthorized):
            service.authenticate(session, "nj", PASSWORD + "x", address="1.1.1.1")
        with pytest.raises(Unauthorized):
            service.authenticate(session, "nobody", PASSWORD, address="1.1.1.1")


@pytest.mark.parametrize(
    ("role", "place", "problem"),
    [("city_officer", None, "place_id"), ("city_officer", "jiangsu", "place_id"),
     ("provincial_officer", "nanjing", "place_id"), ("researcher", "nanjing", "place_id"),
     ("mayor", None, "role")],
)  # fmt: skip
def test_an_officer_needs_a_place_of_the_right_kind(world, role, place, problem):
    place_id = world["places"][place] if place else None
    with session_scope(world["engine"]) as session, pytest.raises(InvalidInput) as caught:
        service.create_user(session, username="new", password=PASSWORD, role=role,
                            place_id=place_id)  # fmt: skip
    assert problem in caught.value.details


def test_usernames_are_unique_and_passwords_long_enough(world):
    with session_scope(world["engine"]) as session:
        with pytest.raises(Conflict):
            service.create_user(session, username="nj", password=PASSWORD, role="researcher")
        with pytest.raises(InvalidInput):
            service.create_user(session, username="short", password="123", role="researcher")


def test_only_a_national_administrator_manages_accounts(world):
    with session_scope(world["engine"]) as session:
        officer = actor_for(service.find_user(session, "js"))
        for who in (officer, PUBLIC_ACTOR):
            with pytest.raises(Forbidden):
                service.create_user(session, username="x1", password=PASSWORD,
                                    role="researcher", actor=who)  # fmt: skip


def _fail(engine, username: str, address: str, times: int = 1) -> None:
    for _ in range(times):
        with session_scope(engine) as session, pytest.raises(Unauthorized):
            service.authenticate(session, username, "wrong", address=address)


def _age_attempts(engine, minutes: float) -> None:
    """Move every recorded sign-in attempt `minutes` into the past (time passing)."""
    with engine.begin() as connection:
        for row in connection.execute(select(LoginAttempt.id, LoginAttempt.at)).all():
            connection.execute(
                update(LoginAttempt).where(LoginAttempt.id == row.id)
                .values(at=row.at - timedelta(minutes=minutes))
            )  # fmt: skip


def test_a_stranger_cannot_lock_the_owner_out(world):
    """Failures count per (account, address): wrong passwords from elsewhere slow only there."""
    engine = world["engine"]
    _fail(engine, "nj", "203.0.113.66", times=service.FREE_FAILS)
    with session_scope(engine) as session, pytest.raises(TooManyRequests) as caught:
        service.authenticate(session, "nj", PASSWORD, address="203.0.113.66")
    assert "Try again in" in caught.value.message
    with session_scope(engine) as session:
        assert service.authenticate(session, "nj", PASSWORD, address="10.0.0.2").username == "nj"


def test_the_pair_waits_longer_after_each_failure(world):
    engine = world["engine"]
    address = "198.51.100.4"
    _fail(engine, "sz", address, times=service.FREE_FAILS)
    waits = []
    for _ in range(4):
        with session_scope(engine) as session, pytest.raises(TooManyRequests) as caught:
            service.authenticate(session, "sz", "wrong", address=address)
        waits.append(caught.value.details["retry_after_minutes"])
        _age_attempts(engine, waits[-1])  # wait it out, then fail once more
        _fail(engine, "sz", address)
    assert waits == [1, 2, 4, 8]
    assert service.pair_delay(100) == service.MAX_DELAY
    # A success starts the count again.
    _age_attempts(engine, 16)
    with session_scope(engine) as session:
        assert service.authenticate(session, "sz", PASSWORD, address=address)
    _fail(engine, "sz", address, times=service.FREE_FAILS - 1)
    with session_scope(engine) as session:
        assert service.authenticate(session, "sz", PASSWORD, address=address)


def test_failed_sign_ins_are_throttled_per_address(world):
    engine = world["engine"]
    for n in range(service.MAX_FAILS_PER_ADDRESS):
        _fail(engine, f"guess{n}", "10.9.9.9")
    with session_scope(engine) as session, pytest.raises(TooManyRequests):
        service.authenticate(session, "sz", PASSWORD, address="10.9.9.9")
    with session_scope(engine) as session:
        assert service.authenticate(session, "sz", PASSWORD, address="10.9.9.8")


def test_disabling_ends_sessions_and_tokens(world):
    engine = world["engine"]
    with session_scope(engine) as session:
        user = service.find_user(session, "cd")
        cookie = service.start_session(session, user)
        raw = service.create_token(session, "cd-bot", username="cd")
        assert service.session_for(session, cookie) is not None
        assert service.token_actor(service.verify_token(session, raw)).role == "city_officer"
    with session_scope(engine) as session:
        service.disable_user(session, "cd")
    with session_scope(engine) as session:
        assert service.session_for(session, cookie) is None
        with pytest.raises(Unauthorized):
            service.verify_token(session, raw)
        with pytest.raises(Unauthorized):
            service.authenticate(session, "cd", PASSWORD, address="1.2.3.4")


def test_a_token_acts_as_its_user_and_one_without_a_user_as_the_administrator(world):
    with session_scope(world["engine"]) as session:
        scoped = service.create_token(session, "nj-bot", username="nj")
        local = service.create_token(session, "loader")
        nj = service.token_actor(service.verify_token(session, scoped))
        admin = service.token_actor(service.verify_token(session, local))
    assert (nj.name, nj.role, nj.place_id) == ("nj", "city_officer", world["places"]["nanjing"])
    assert admin.role == "national_admin" and admin.user_id is None


def test_ending_a_session_revokes_it(world):
    with session_scope(world["engine"]) as session:
        cookie = service.start_session(session, service.find_user(session, "res"))
        service.end_session(session, cookie)
        assert service.session_for(session, cookie) is None


def test_user_and_token_commands(world, monkeypatch):
    engine = world["engine"]
    monkeypatch.setenv("AMITY_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("AMITY_NEW_PASSWORD", PASSWORD)
    clear_engines()
    runner = CliRunner()
    added = runner.invoke(app, ["user", "add", "sc2", "--role", "provincial_officer",
                                "--place", str(world["places"]["sichuan"])])  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = json.loads(runner.invoke(app, ["user", "list", "--json"]).output)
    assert {"username": "sc2", "role": "provincial_officer"}.items() <= {
        k: v for k, v in next(u for u in listed if u["username"] == "sc2").items()
    }.items()
    token = runner.invoke(app, ["token", "create", "bot", "--user", "sc2"])
    assert token.exit_code == 0 and token.output.startswith("amity_")
    assert runner.invoke(app, ["token", "create", "bot", "--user", "ghost"]).exit_code == 1
    # The place is typed by name, as in the forms; an unknown name or id adds nobody.
    by_name = runner.invoke(app, ["user", "add", "cd2", "--role", "city_officer",
                                  "--place", "成都"])  # fmt: skip
    assert by_name.exit_code == 0, by_name.output
    listed = json.loads(runner.invoke(app, ["user", "list", "--json"]).output)
    assert next(u for u in listed if u["username"] == "cd2")["place"] in ("Chengdu", "成都市")
    for unknown in ("Atlantis", "99999999"):
        refused = runner.invoke(app, ["user", "add", "x", "--role", "city_officer",
                                      "--place", unknown])  # fmt: skip
        assert refused.exit_code == 1
        assert ("No place is called" in refused.output) or ("No place with id" in refused.output)
    assert "x" not in {u["username"] for u in json.loads(
        runner.invoke(app, ["user", "list", "--json"]).output)}  # fmt: skip
    assert runner.invoke(app, ["user", "disable", "sc2"]).exit_code == 0
    assert runner.invoke(app, ["user", "disable", "sc2"]).exit_code == 1
    tokens = json.loads(runner.invoke(app, ["token", "list", "--json"]).output)
    assert tokens[-1]["user"] == "sc2"
    clear_engines()

"""API tokens: the secret is shown once, stored as a hash, and revocation is final."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from amity.auth.models import ApiToken
from amity.auth.service import create_token, list_tokens, revoke_token, verify_token
from amity.cli import app
from amity.core.db import clear_engines, session_scope
from amity.core.errors import Conflict, InvalidInput, NotFound, Unauthorized


def test_only_a_hash_is_stored_and_it_verifies(engine):
    with session_scope(engine) as session:
        raw = create_token(session, "loader")
        other = create_token(session, "loader")
    assert raw != other and raw.startswith("amity_")
    with session_scope(engine) as session:
        stored = session.scalars(select(ApiToken.token_hash)).all()
        assert raw not in stored
        assert hashlib.sha256(raw.encode()).hexdigest() in stored
        assert verify_token(session, raw).name == "loader"


@pytest.mark.parametrize("raw", [None, "", "amity_guess"])
def test_missing_or_unknown_tokens_are_refused(engine, raw):
    with session_scope(engine) as session, pytest.raises(Unauthorized):
        verify_token(session, raw)


def test_revoked_tokens_are_refused_and_stay_listed(engine):
    with session_scope(engine) as session:
        raw = create_token(session, "old")
        token_id = verify_token(session, raw).id
        revoke_token(session, token_id)
    with session_scope(engine) as session:
        with pytest.raises(Unauthorized):
            verify_token(session, raw)
        with pytest.raises(Conflict):
            revoke_token(session, token_id)
        with pytest.raises(NotFound):
            revoke_token(session, 999)
        assert [(t.name, t.revoked_at is not None) for t in list_tokens(session)] == [("old", True)]


def test_a_token_needs_a_name(engine):
    with session_scope(engine) as session, pytest.raises(InvalidInput):
        create_token(session, "  ")


def test_token_commands(sqlite_engine, monkeypatch):
    monkeypatch.setenv("AMITY_DATABASE_URL", sqlite_engine.url.render_as_string())
    clear_engines()
    runner = CliRunner()
    try:
        created = runner.invoke(app, ["token", "create", "harvester"])
        assert created.exit_code == 0, created.output
        raw = created.output.strip()
        with session_scope(sqlite_engine) as session:
            assert verify_token(session, raw).name == "harvester"
        listed = json.loads(runner.invoke(app, ["token", "list", "--json"]).output)
        assert [(t["id"], t["name"], t["revoked_at"]) for t in listed] == [(1, "harvester", None)]
        assert raw not in runner.invoke(app, ["token", "list"]).output
        assert runner.invoke(app, ["token", "revoke", "1"]).exit_code == 0
        again = runner.invoke(app, ["token", "revoke", "1"])
        assert again.exit_code == 1 and "already revoked" in again.output
        with session_scope(sqlite_engine) as session, pytest.raises(Unauthorized):
            verify_token(session, raw)
    finally:
        clear_engines()

"""The audit log: keyed chained hashes, append-only triggers, tampering found by `verify`,
truncation found with a checkpoint, and the chain from before keying."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from tests.conftest import create_postgres_database, drop_postgres_database
from typer.testing import CliRunner

from amity.auth import audit, audit_key
from amity.auth.models import AuditEntry
from amity.cli import app
from amity.core import schema
from amity.core.db import clear_engines, make_engine, session_scope


def _write(engine, n: int = 3) -> list[int]:
    ids = []
    with session_scope(engine) as session:
        for i in range(n):
            entry = audit.record(
                session,
                actor="tester",
                action="update",
                entity="thing",
                entity_id=i,
                before={"v": i},
                after={"v": i + 1, "名": "值"},
            )
            ids.append(entry.id)  # fmt: skip
    return ids


def _untrigger(connection) -> None:
    """What someone with the owner's rights could do: lift the append-only guard."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
    else:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_each_row_chains_to_the_one_before(engine):
    ids = _write(engine)
    with session_scope(engine) as session:
        rows = [session.get(AuditEntry, i) for i in ids]
        assert rows[0].prev_hash == audit.GENESIS
        assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
        result = audit.verify(session)
        assert (result["ok"], result["rows"], result["unkeyed"], result["first_bad"]) == (
            True, 3, 0, None
        )  # fmt: skip
        assert result["head"] == {"id": ids[-1], "hash": rows[-1].hash}


def test_the_table_refuses_updates_and_deletes(engine):
    _write(engine, 1)
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), engine.begin() as connection:
            connection.execute(text(statement))


@pytest.mark.parametrize("tamper", ["content", "delete"])
def test_tampering_is_found_at_the_first_bad_row(engine, tamper):
    ids = _write(engine, 4)
    with engine.begin() as connection:
        _untrigger(connection)
        if tamper == "content":
            connection.execute(
                text("UPDATE audit_log SET actor = 'someone else' WHERE id = :id"), {"id": ids[1]}
            )
        else:
            connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    with session_scope(engine) as session:
        result = audit.verify(session)
    assert result["ok"] is False
    assert result["first_bad"]["id"] == (ids[1] if tamper == "content" else ids[2])


def test_verify_command_exits_1_on_a_broken_chain(engine, monkeypatch):
    ids = _write(engine, 2)
    monkeypatch.setenv("AMITY_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    clear_engines()
    runner = CliRunner()
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    with engine.begin() as connection:
        _untrigger(connection)
        connection.execute(
            text("UPDATE audit_log SET actor = 'nobody' WHERE id = :id"), {"id": ids[0]}
        )
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert f"entry {ids[0]}" in broken.output
    clear_engines()


def test_csv_export_neutralises_formulas(engine):
    with session_scope(engine) as session:
        audit.record(session, actor="=HYPERLINK(1)", action="create", entity="x", entity_id=1)
        text_csv = "".join(audit.to_csv(audit.entries(session)))
    assert ",'=HYPERLINK(1)," in text_csv


# --- keyed chain, checkpoints, the chain from before migration 0009 ------------------------------


def _rechain(connection, key: bytes | None, keyed: bool) -> None:
    """What someone with write access but without the audit key can do after editing rows:
    recompute every hash (plain sha256, as before 0009, or HMAC under a key of their own)."""
    prev = audit.GENESIS
    rows = connection.execute(text("SELECT id FROM audit_log ORDER BY id")).scalars().all()
    with Session(bind=connection) as session:
        for row_id in rows:
            entry = session.get(AuditEntry, row_id)
            entry.prev_hash, entry.keyed = prev, keyed
            entry.hash = audit.chain_hash(prev, entry, key)
            prev = entry.hash
            session.flush()


@pytest.mark.parametrize("key", [None, b"a key the attacker made up " * 2])
def test_recomputed_hashes_without_the_key_are_found(engine, key):
    ids = _write(engine, 3)
    with engine.begin() as connection:
        _untrigger(connection)
        connection.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE id = :id"),
                           {"id": ids[1]})  # fmt: skip
        _rechain(connection, key, keyed=True)
    with session_scope(engine) as session:
        result = audit.verify(session)
    assert result["ok"] is False and result["first_bad"]["id"] == ids[0]


def test_relabelling_keyed_rows_as_old_ones_needs_a_checkpoint_to_be_seen(engine, tmp_path):
    """Marking every row as from before 0009 and rechaining with sha256 leaves a whole chain:
    only a checkpoint (whose hash is keyed) shows it."""
    _write(engine, 3)
    with session_scope(engine) as session:
        mark = audit.checkpoint(session)
    with engine.begin() as connection:
        _untrigger(connection)
        connection.execute(text("UPDATE audit_log SET actor = 'someone else'"))
        _rechain(connection, None, keyed=False)
    with session_scope(engine) as session:
        assert audit.verify(session)["ok"] is True
        result = audit.verify(session, mark)
    assert result["ok"] is False and result["first_bad"]["problem"].startswith("rewritten")


def _retrigger(connection) -> None:
    """Put the append-only guard back, as it was (so nothing looks amiss in the schema)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    else:
        for name, verb in (("audit_log_no_update", "UPDATE"), ("audit_log_no_delete", "DELETE")):
            connection.execute(text(
                f"CREATE TRIGGER {name} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            ))  # fmt: skip


def test_a_checkpoint_shows_truncation_and_rewrites(engine, monkeypatch, tmp_path):
    ids = _write(engine, 4)
    monkeypatch.setenv("AMITY_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    clear_engines()
    runner = CliRunner()
    point = tmp_path / "head.json"
    made = runner.invoke(app, ["audit", "checkpoint", "--output", str(point)])
    assert made.exit_code == 0, made.output
    mark = json.loads(point.read_text())
    assert (mark["rows"], mark["id"]) == (4, ids[-1]) and len(mark["hash"]) == 64
    assert json.loads(made.output) == mark
    fine = runner.invoke(app, ["audit", "verify", "--checkpoint", str(point)])
    assert fine.exit_code == 0 and "still contains the checkpoint" in fine.output
    # Delete the newest two rows with the trigger dropped and put back: the rest still chains.
    with engine.begin() as connection:
        _untrigger(connection)
        connection.execute(text("DELETE FROM audit_log WHERE id >= :id"), {"id": ids[2]})
        _retrigger(connection)
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0  # the chain alone cannot tell
    cut = runner.invoke(app, ["audit", "verify", "--checkpoint", str(point)])
    assert cut.exit_code == 1 and "truncated" in cut.output and "only 2 remain" in cut.output
    # Writing new rows to make up the count does not help: the row at the count differs.
    _write(engine, 3)
    padded = runner.invoke(app, ["audit", "verify", "--checkpoint", str(point), "--json"])
    assert padded.exit_code == 1
    assert json.loads(padded.output)["first_bad"]["problem"].startswith("rewritten")
    # The triggers are back: the table refuses deletes again.
    with pytest.raises(DBAPIError), engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log"))
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    refused = runner.invoke(app, ["audit", "verify", "--checkpoint", str(bad)])
    assert refused.exit_code == 1 and "not a checkpoint" in " ".join(refused.output.split())
    clear_engines()


def test_a_broken_chain_gets_no_checkpoint(engine):
    ids = _write(engine, 2)
    with engine.begin() as connection:
        _untrigger(connection)
        connection.execute(text("UPDATE audit_log SET actor = 'x' WHERE id = :id"), {"id": ids[0]})
    with session_scope(engine) as session, pytest.raises(audit.ChainBroken):
        audit.checkpoint(session)


@pytest.fixture(params=["sqlite", "postgres"])
def engine_at_0007(request, tmp_path):
    """An empty database migrated only up to 0007 (before keyed chaining)."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield eng
        eng.dispose()
        return
    url = create_postgres_database()
    eng = make_engine(url)
    yield eng
    eng.dispose()
    drop_postgres_database(url)


def test_a_chain_from_before_keying_still_verifies_after_the_migration(engine_at_0007):
    engine = engine_at_0007
    config = schema.alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
    # Rows as the old code wrote them: plain sha256 over the previous hash and the row.
    prev = audit.GENESIS
    with engine.begin() as connection:
        for n in range(3):
            entry = AuditEntry(at=datetime(2026, 1, 1, 9, n), actor="local-admin",
                               action="create", entity="thing", entity_id=str(n),
                               before=None, after={"n": n, "名": "值"})  # fmt: skip
            entry.hash = audit.chain_hash(prev, entry, None)
            connection.execute(
                text("INSERT INTO audit_log (at, actor, action, entity, entity_id, before, "
                     "after, prev_hash, hash) VALUES (:at, :actor, :action, :entity, "
                     ":entity_id, :before, :after, :prev, :hash)"),
                {"at": entry.at, "actor": entry.actor, "action": entry.action,
                 "entity": entry.entity, "entity_id": entry.entity_id, "before": "null",
                 "after": json.dumps(entry.after, ensure_ascii=False), "prev": prev,
                 "hash": entry.hash},
            )  # fmt: skip
            prev = entry.hash
    schema.upgrade(engine)
    _write(engine, 2)
    with session_scope(engine) as session:
        result = audit.verify(session)
        assert (result["ok"], result["rows"], result["unkeyed"]) == (True, 5, 3), result
        keyed = [e.keyed for e in session.query(AuditEntry).order_by(AuditEntry.id)]
    assert keyed == [False, False, False, True, True]
    # The old rows are covered by the first keyed row: rewriting one and rechaining the old
    # part with sha256 breaks the link to it.
    with engine.begin() as connection:
        _untrigger(connection)
        connection.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE id = 1"))
        prev = audit.GENESIS
        with Session(bind=connection) as session:
            for entry in session.query(AuditEntry).order_by(AuditEntry.id).limit(3):
                entry.prev_hash, entry.hash = prev, audit.chain_hash(prev, entry, None)
                prev = entry.hash
                session.flush()
    with session_scope(engine) as session:
        result = audit.verify(session)
    assert result["ok"] is False and result["first_bad"]["id"] == 4


def test_an_unkeyed_row_after_keyed_ones_is_a_break(engine):
    ids = _write(engine, 3)
    with engine.begin() as connection:
        _untrigger(connection)
        connection.execute(text("UPDATE audit_log SET keyed = :no WHERE id = :id"),
                           {"no": False, "id": ids[2]})  # fmt: skip
    with session_scope(engine) as session:
        result = audit.verify(session)
    problem = "it is unkeyed but comes after keyed rows"
    assert result["first_bad"] == {"id": ids[2], "problem": problem}


def test_the_key_file_is_made_once_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("AMITY_AUDIT_KEY", raising=False)
    path = tmp_path / "data" / "audit.key"
    monkeypatch.setenv("AMITY_AUDIT_KEY_FILE", str(path))
    audit_key.forget()
    try:
        key = audit_key.audit_key()
        assert path.stat().st_mode & 0o777 == 0o600 and len(key) == 64
        audit_key.forget()
        assert audit_key.audit_key() == key  # read back, not made anew
        path.chmod(0o644)
        audit_key.forget()
        with pytest.raises(audit_key.AuditKeyError, match="chmod 600"):
            audit_key.audit_key()
        monkeypatch.setenv("AMITY_AUDIT_KEY", "too short")
        with pytest.raises(audit_key.AuditKeyError, match="at least 32"):
            audit_key.audit_key()
    finally:
        audit_key.forget()


def test_the_chain_needs_the_same_key_to_verify(engine, monkeypatch):
    ids = _write(engine, 2)
    monkeypatch.setenv("AMITY_AUDIT_KEY", "another server's key, not this one's " * 2)
    with session_scope(engine) as session:
        result = audit.verify(session)
    assert result["ok"] is False and result["first_bad"]["id"] == ids[0]
    assert "not the audit key the log was written with" in result["first_bad"]["problem"]

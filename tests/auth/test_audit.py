"""The audit log: chained hashes, append-only triggers, and tampering found by `verify`."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from amity.auth import audit
from amity.auth.models import AuditEntry
from amity.cli import app
from amity.db import clear_engines, session_scope


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

"""The log of a running server: one JSON object per line, each with the request id the answer
carries (uvicorn's access line included), and the audit event of a write."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from amity.auth.service import create_token
from amity.core import schema
from amity.core.db import make_engine, session_scope

from .conftest import launch, new_partnership, tiny_registry


def test_json_lines_carry_the_request_id_and_the_audit_event(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'amity.db'}")
    schema.upgrade(engine)
    places = tiny_registry(engine)
    with session_scope(engine) as session:
        token = create_token(session, "logging test")
    with launch(engine, tmp_path / "server.log") as server:
        given = httpx.get(server.base + "/api/v1/partnerships",
                          headers={"X-Request-ID": "trace-4711"})  # fmt: skip
        made = httpx.post(server.base + "/api/v1/partnerships", json=new_partnership(places),
                          headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        forged = httpx.get(server.base + "/healthz", headers={"X-Request-ID": "x\ty"})
        lines = server.lines()
    engine.dispose()
    assert given.status_code == 200 and given.headers["x-request-id"] == "trace-4711"
    assert made.status_code == 201, made.text
    made_id = made.headers["x-request-id"]
    assert len(made_id) == 32 and made_id != "trace-4711"  # generated
    assert forged.headers["x-request-id"] not in ("x\ty", "x y")  # not a token: replaced

    assert all({"time", "level", "logger", "request_id", "message"} <= set(line) for line in lines)
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    listing = [line for line in access if "GET /api/v1/partnerships" in line["message"]]
    assert [line["request_id"] for line in listing] == ["trace-4711"]
    posted = [line for line in access if "POST /api/v1/partnerships" in line["message"]]
    assert [line["request_id"] for line in posted] == [made_id]
    assert "201" in posted[0]["message"]
    audit = [line for line in lines if line["logger"] == "amity.audit"]
    assert len(audit) == 1
    assert audit[0]["request_id"] == made_id
    assert audit[0]["message"].startswith(f"partnership {made.json()['id']} created by")
    # Lines outside any request (start-up) say so.
    assert any(line["request_id"] == "-" and line["logger"] == "uvicorn.error" for line in lines)


def test_text_format_and_level(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'amity.db'}")
    schema.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    env = {"AMITY_LOG_FORMAT": "text", "AMITY_LOG_LEVEL": "WARNING"}
    log = tmp_path / "server.log"
    with launch(engine, log, env=env) as server:
        httpx.get(server.base + "/healthz", headers={"X-Request-ID": "quiet-1"})
    engine.dispose()
    written = log.read_text()
    assert "quiet-1" not in written  # access lines are INFO: left out at WARNING
    env = {"AMITY_LOG_FORMAT": "text"}
    log = tmp_path / "server2.log"
    with launch(f"sqlite:///{tmp_path / 'amity.db'}", log, env=env) as server:
        httpx.get(server.base + "/healthz", headers={"X-Request-ID": "loud-1"})
    line = next(line for line in log.read_text().splitlines() if "[loud-1]" in line)
    assert " INFO uvicorn.access [loud-1] " in line and "GET /healthz" in line

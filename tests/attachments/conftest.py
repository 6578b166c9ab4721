"""A case, an event and an exchange about Nanjing (the web tests' registry) on each engine, the
app over them, tokens of an officer of Nanjing and of Chengdu, and small real files to attach."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from tests.auth.world import PASSWORD
from tests.web.conftest import build_registry

from amity.auth import service as auth
from amity.cases.schemas import CaseCreate
from amity.cases.service import create_case
from amity.core.db import session_scope
from amity.events.schemas import EventCreate
from amity.events.service import create_event
from amity.exchanges.service import record_exchange
from amity.http.app import create_app


def png(width: int = 64, height: int = 40, colour: tuple[int, int, int] = (200, 30, 40)) -> bytes:
    """A real PNG of one colour (browsers show it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(colour) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def jpeg_header(width: int, height: int) -> bytes:
    """The start of a baseline JPEG: SOI, a JFIF APP0 segment, then the frame with its size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00" * 3
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def make_world(engine: Engine) -> dict:
    data = build_registry(engine)
    ids = data["ids"]
    with session_scope(engine) as session:
        case = create_case(session, CaseCreate(title_zh="南京与巴黎的友城故事", source="test",
                                               place_ids=[ids["nanjing"]]))  # fmt: skip
        event = create_event(session, EventCreate(name_zh="南京友城论坛", source="test",
                                                  place_id=ids["nanjing"]))  # fmt: skip
        exchange = record_exchange(session, place_a_id=ids["nanjing"], place_b_id=ids["paris"],
                                   mode="forum", start="2023")  # fmt: skip
        tokens = {}
        for username, place in (("nj", "nanjing"), ("cd", "chengdu")):
            auth.create_user(session, username=username, password=PASSWORD, role="city_officer",
                             place_id=ids[place])  # fmt: skip
            tokens[username] = auth.create_token(session, username, username=username)
    return {**data, "case": case.id, "event": event.id, "exchange": exchange["id"],
            "tokens": tokens}  # fmt: skip


@pytest.fixture
def files_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "attachments"
    monkeypatch.setenv("AMITY_ATTACHMENTS_DIR", str(folder))
    return folder


@pytest.fixture
def world(engine: Engine, files_dir: Path) -> dict:
    """The records on both engines, the app, and headers for each token."""
    made = make_world(engine)
    headers = {name: {"Authorization": f"Bearer {token}"} for name, token in made["tokens"].items()}
    headers["admin"] = {"Authorization": f"Bearer {made['token']}"}
    return {**made, "engine": engine, "client": TestClient(create_app(engine)),
            "headers": headers, "files": files_dir}  # fmt: skip

"""Attachments through the API on both engines: the round trip with its headers, refused files
that store nothing, who may attach and delete, and deletions that stay in the audit log."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest
from sqlalchemy import select
from tests.attachments.conftest import HTML, PDF, jpeg_header, png

from amity.attachments.models import Attachment
from amity.auth.models import AuditEntry
from amity.core.db import session_scope


def _upload(world, path: str, name: str, content: bytes, who: str = "nj", **headers):
    return world["client"].post(
        path, files={"file": (name, content, "application/octet-stream")},
        headers={**world["headers"][who], **headers},
    )  # fmt: skip


def _rows(world) -> list[Attachment]:
    with session_scope(world["engine"]) as session:
        rows = list(session.scalars(select(Attachment).order_by(Attachment.id)))
        session.expunge_all()
        return rows


def _stored(world) -> list[str]:
    folder = world["files"]
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_round_trip_with_the_headers(world):
    client, case = world["client"], world["case"]
    photo = png(320, 200)
    made = _upload(world, f"/api/v1/cases/{case}/attachments", "签约仪式.png", photo)
    assert made.status_code == 201, made.text
    item = made.json()
    assert item["media_type"] == "image/png" and item["image"] is True
    assert (item["width"], item["height"]) == (320, 200)
    assert item["sha256"] == hashlib.sha256(photo).hexdigest() and item["size"] == len(photo)
    assert item["name"] == "签约仪式.png" and item["uploaded_by"] == "nj"
    # Stored under a random name, never the uploader's.
    (stored,) = _stored(world)
    assert stored.endswith(".png") and "签约" not in stored and len(stored) == 36

    listed = client.get(f"/api/v1/cases/{case}/attachments").json()
    assert [i["id"] for i in listed["items"]] == [item["id"]]
    assert listed["max_bytes"] == 10_000_000

    served = client.get(item["url"])  # no token: whoever may see the case may download
    assert served.status_code == 200 and served.content == photo
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"].startswith("default-src 'none'")
    disposition = served.headers["content-disposition"]
    assert disposition.startswith("inline;")
    assert f"filename*=UTF-8''{quote('签约仪式.png')}" in disposition
    assert 'filename="____.png"' in disposition  # the ASCII fallback of old clients

    pdf = _upload(world, f"/api/v1/events/{world['event']}/attachments", "议程.pdf", PDF).json()
    answer = client.get(pdf["url"])
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment;")
    # The page's own policy stays on pages.
    assert "default-src 'self'" in client.get(f"/cases/{case}").headers["content-security-policy"]


def test_the_type_comes_from_the_bytes(world):
    case = world["case"]
    # A PNG named .pdf is a PNG, and is saved as one.
    item = _upload(world, f"/api/v1/cases/{case}/attachments", "scan.pdf", png()).json()
    assert item["media_type"] == "image/png" and item["download_name"] == "scan.png"
    served = world["client"].get(item["url"])
    assert served.headers["content-type"] == "image/png"
    assert 'filename="scan.png"' in served.headers["content-disposition"]
    jpeg = _upload(world, f"/api/v1/cases/{case}/attachments", "photo", jpeg_header(800, 600))
    assert jpeg.json()["media_type"] == "image/jpeg"
    assert (jpeg.json()["width"], jpeg.json()["height"]) == (800, 600)
    assert jpeg.json()["download_name"] == "photo.jpg"


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("photo.jpg", HTML, 415, "Only photos (JPEG, PNG or WebP) and PDF documents"),
        ("empty.png", b"", 422, "The file is empty."),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415, "Only photos"),
    ],
)
def test_refused_files_store_nothing(world, name, content, status, message):
    answer = _upload(world, f"/api/v1/cases/{world['case']}/attachments", name, content)
    assert answer.status_code == status and message in answer.json()["error"]["message"]
    assert _rows(world) == [] and _stored(world) == []


def test_an_oversized_file_is_refused_in_the_callers_language(world, monkeypatch):
    monkeypatch.setenv("AMITY_ATTACHMENT_MAX_MB", "0.01")  # 10,000 bytes
    path = f"/api/v1/cases/{world['case']}/attachments"
    big = png(200, 200, (1, 2, 3)) + b"\x00" * 10_000
    answer = _upload(world, path, "big.png", big, **{"Accept-Language": "zh"})
    assert answer.status_code == 413
    assert answer.json()["error"]["message"] == "文件超过 0.01 MB，这是附件的上限。"
    english = _upload(world, path, "big.png", big)
    assert "larger than 0.01 MB" in english.json()["error"]["message"]
    # Over the limit by its declared length: refused before the body is read.
    huge = _upload(world, path, "huge.png", png() + b"\x00" * 200_000)
    assert huge.status_code == 413
    assert _rows(world) == [] and _stored(world) == []


def test_who_may_attach_and_delete(world):
    client, exchange = world["client"], world["exchange"]
    path = f"/api/v1/exchanges/{exchange}/attachments"
    anonymous = client.post(path, files={"file": ("a.png", png(), "image/png")})
    assert anonymous.status_code == 401
    # An officer of Chengdu may not touch Nanjing's exchange; Nanjing's may, and the admin.
    assert _upload(world, path, "a.png", png(), who="cd").status_code == 403
    assert _rows(world) == [] and _stored(world) == []
    item = _upload(world, path, "a.png", png()).json()
    assert client.get(path).json()["items"][0]["id"] == item["id"]
    assert client.delete(item["url"], headers=world["headers"]["cd"]).status_code == 403
    assert client.delete(item["url"]).status_code == 401
    # Another record's attachment is not found under this one.
    other = f"/api/v1/cases/{world['case']}/attachments/{item['id']}"
    assert client.get(other).status_code == 404
    assert client.delete(item["url"], headers=world["headers"]["admin"]).status_code == 204


def test_deletion_is_audited_and_keeps_the_row(world):
    client, case = world["client"], world["case"]
    photo = png(10, 10)
    item = _upload(world, f"/api/v1/cases/{case}/attachments", "a.png", photo).json()
    assert client.delete(item["url"], headers=world["headers"]["nj"]).status_code == 204
    assert client.get(item["url"]).status_code == 410
    assert client.get(f"/api/v1/cases/{case}/attachments").json()["items"] == []
    assert client.delete(item["url"], headers=world["headers"]["nj"]).status_code == 410
    (row,) = _rows(world)
    assert row.deleted_by == "nj" and row.deleted_at is not None and row.sha256 == item["sha256"]
    assert _stored(world) == []  # the bytes are gone
    with session_scope(world["engine"]) as session:
        logged = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "attachment").order_by(AuditEntry.id)
        ).all()
        assert [(e.action, e.actor) for e in logged] == [("create", "nj"), ("delete", "nj")]
        assert logged[1].before["sha256"] == hashlib.sha256(photo).hexdigest()
        assert logged[1].before["owner_type"] == "case"


def test_deleting_the_record_deletes_its_files(world):
    client, event = world["client"], world["event"]
    _upload(world, f"/api/v1/events/{event}/attachments", "a.pdf", PDF)
    deleted = client.delete(f"/api/v1/events/{event}", headers=world["headers"]["nj"])
    assert deleted.status_code == 204
    (row,) = _rows(world)
    assert row.deleted_by == "nj" and _stored(world) == []
    assert client.get(f"/api/v1/events/{event}/attachments").status_code == 404


def test_a_missing_file_field_and_an_unknown_record(world):
    client = world["client"]
    path = f"/api/v1/cases/{world['case']}/attachments"
    wrong_field = client.post(path, files={"photo": ("a.png", png(), "image/png")},
                              headers=world["headers"]["nj"])  # fmt: skip
    assert wrong_field.status_code == 422
    assert wrong_field.json()["error"]["message"] == "Choose a file to attach."
    assert client.get("/api/v1/cases/9999/attachments").status_code == 404
    unknown = _upload(world, "/api/v1/cases/9999/attachments", "a.png", png(), who="admin")
    assert unknown.status_code == 404 and _stored(world) == []

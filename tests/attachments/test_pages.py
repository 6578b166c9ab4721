"""Attachments on the case, event and exchange pages: thumbnails and the PDF list, the upload
and delete forms for those who may use them, a refusal shown in Chinese."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.attachments.conftest import HTML, PDF, make_world, png
from tests.auth.web import sign_in

from amity.http.app import create_app


@pytest.fixture
def site(sqlite_engine, files_dir) -> dict:
    return {**make_world(sqlite_engine), "client": TestClient(create_app(sqlite_engine)),
            "files": files_dir}  # fmt: skip


def _post(client, path: str, name: str, content: bytes, token: str, **headers):
    return client.post(
        path, files={"file": (name, content, "image/jpeg")}, data={"csrf_token": token},
        headers=headers, follow_redirects=False,
    )  # fmt: skip


@pytest.mark.parametrize("owner", ["cases", "events", "exchanges"])
def test_upload_through_the_page_and_see_it(site, owner):
    client = site["client"]
    record = site[owner[:-1]]
    page = f"/{owner}/{record}"
    # A visitor sees the section, not the form.
    public = client.get(page, params={"lang": "zh"})
    assert "照片和文档" in public.text and "尚未上传照片或文档。" in public.text
    assert 'class="attachment-upload"' not in public.text
    token = sign_in(client, username="nj", role="city_officer", place_id=site["ids"]["nanjing"])
    assert 'class="attachment-upload"' in client.get(page).text
    sent = _post(client, f"{page}/attachments", "合影.png", png(480, 320), token)
    assert sent.status_code == 303 and sent.headers["location"] == f"{page}#attachments"
    sent = _post(client, f"{page}/attachments", "协议.pdf", PDF, token)
    shown = client.get(page, params={"lang": "zh"}).text
    image = re.search(r'<img src="(/api/v1/[^"]+)" alt="合影.png" width="(\d+)" height="(\d+)" '
                      r'loading="lazy"', shown)  # fmt: skip
    assert image, shown[shown.find('id="attachments"') :][:800]
    assert (image.group(2), image.group(3)) == ("240", "160")  # 480×320 fitted into 240×180
    assert client.get(image.group(1)).content == png(480, 320)
    assert re.search(r'<a href="/api/v1/[^"]+" download="协议.pdf">协议.pdf</a>', shown)


def test_a_refusal_in_chinese_with_and_without_the_script(site):
    client = site["client"]
    page = f"/cases/{site['case']}"
    token = sign_in(client, username="nj", role="city_officer", place_id=site["ids"]["nanjing"])
    by_script = _post(client, f"{page}/attachments?lang=zh", "照片.jpg", HTML, token,
                      Accept="application/json")  # fmt: skip
    assert by_script.status_code == 415
    assert by_script.json()["message"].startswith("只能上传照片（JPEG、PNG 或 WebP）和 PDF 文档")
    plain = _post(client, f"{page}/attachments", "照片.jpg", HTML, token)
    assert plain.status_code == 303
    assert plain.headers["location"] == f"{page}?attachment_error=type#attachments"
    shown = client.get(f"{page}?attachment_error=type&lang=zh").text
    assert 'id="attachment-refused"' in shown and "只能上传照片" in shown
    assert not site["files"].exists() or list(site["files"].iterdir()) == []


def test_an_officer_elsewhere_gets_no_form_and_is_refused(site):
    client = site["client"]
    page = f"/events/{site['event']}"
    token = sign_in(client, username="cd", role="city_officer", place_id=site["ids"]["chengdu"])
    assert 'class="attachment-upload"' not in client.get(page).text
    refused = _post(client, f"{page}/attachments", "a.png", png(), token, Accept="application/json")
    assert refused.status_code == 403
    assert not site["files"].exists() or list(site["files"].iterdir()) == []


def test_delete_through_the_page(site):
    client = site["client"]
    page = f"/exchanges/{site['exchange']}"
    token = sign_in(client, username="nj", role="city_officer", place_id=site["ids"]["nanjing"])
    _post(client, f"{page}/attachments", "a.png", png(), token)
    action = re.search(r'action="(/exchanges/\d+/attachments/\d+/delete)"', client.get(page).text)
    gone = client.post(action.group(1), data={"csrf_token": token}, follow_redirects=False)
    assert gone.status_code == 303
    assert "尚未上传照片或文档。" in client.get(page, params={"lang": "zh"}).text
    assert list(site["files"].iterdir()) == []

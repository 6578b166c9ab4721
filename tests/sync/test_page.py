"""The administrator's sync page: the dry-run diff, the confirm step, CSRF, permission, zh/en."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.auth.web import sign_in

from amity.core.db import session_scope
from amity.http.app import create_app
from amity.partnerships.models import Partnership


@pytest.fixture
def client(engine, world, endpoint, tmp_path, monkeypatch):
    monkeypatch.setenv("AMITY_WIKIDATA_ENDPOINT", endpoint.url)
    monkeypatch.setenv("AMITY_SYNC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("AMITY_WIKIDATA_TRIES", "2")
    monkeypatch.setenv("AMITY_WIKIDATA_BACKOFF", "0.01")
    return TestClient(create_app(engine))


def _dates(engine) -> list:
    with session_scope(engine) as s:
        return sorted(map(str, s.scalars(select(Partnership.established)).all()))


def _fingerprint(html: str) -> str:
    return re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)


def test_preview_then_confirm_writes(client, engine):
    token = sign_in(client, username="admin", role="national_admin")
    assert "/admin/sync" in client.get("/admin/users").text  # the governance nav links it
    before = _dates(engine)
    shown = client.post("/admin/sync/preview", data={"csrf_token": token, "country": "CN"})
    assert shown.status_code == 200
    assert 'data-key="new_pairs">3<' in shown.text and "Nanjing – Florence" in shown.text
    assert "a different value is stored (not from a sync)" in shown.text
    assert _dates(engine) == before  # the dry run wrote nothing
    stale = client.post("/admin/sync/apply", data={
        "csrf_token": token, "country": "CN", "fingerprint": "0" * 32})  # fmt: skip
    assert stale.status_code == 409 and "review it again" in stale.text
    assert _dates(engine) == before
    done = client.post("/admin/sync/apply", data={
        "csrf_token": token, "country": "CN", "fingerprint": _fingerprint(shown.text),
    }, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"].startswith("/admin/sync?done=")
    assert "1985-06" in _dates(engine)
    page = client.get(done.headers["location"])
    assert "Written as the registry steward's act" in page.text and 'id="sync-runs"' in page.text
    again = client.post("/admin/sync/preview", data={"csrf_token": token, "country": "CN"})
    assert 'id="sync-nothing"' in again.text and 'id="sync-apply"' not in again.text
    assert "the conflicts above are kept as stored" in again.text


def test_chinese_page_and_a_translated_failure(client, engine, endpoint):
    token = sign_in(client, username="admin", role="national_admin")
    shown = client.get("/admin/sync", params={"lang": "zh"})
    assert "从维基数据同步" in shown.text and "检查维基数据（试运行）" in shown.text
    endpoint.default = "malformed"
    failed = client.post("/admin/sync/preview", data={"csrf_token": token, "country": "CN"})
    assert failed.status_code == 502
    assert "维基数据的回答不是 SPARQL JSON 结果（第 1 批）" in failed.text
    assert "未写入任何内容" in failed.text


def test_only_a_steward_and_only_with_the_form_token(client, engine, world):
    before = _dates(engine)
    assert client.get("/admin/sync", follow_redirects=False).status_code == 303  # sign in first
    token = sign_in(client, username="nj", role="city_officer", place_id=world["nanjing"])
    assert client.get("/admin/sync").status_code == 403
    refused = client.post("/admin/sync/apply", data={"csrf_token": token, "country": "CN"})
    assert refused.status_code == 403
    token = sign_in(client, username="admin", role="national_admin")
    forged = client.post("/admin/sync/apply", data={"country": "CN", "fingerprint": "x"})
    assert forged.status_code == 403
    assert _dates(engine) == before

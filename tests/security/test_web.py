"""The web layer's defences: headers, session cookies, CSRF, sign-in throttling, redirects,
escaping, and the governance pages working end to end through forms."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.auth.world import PASSWORD, build_world

from amity.auth.web import SESSION_COOKIE
from amity.http.app import create_app
from amity.http.security import CSP

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def site(sqlite_engine):
    world = build_world(sqlite_engine)
    return {**world, "app": create_app(sqlite_engine)}


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return TOKEN.search(page.text).group(1)


def sign_in(app, username: str, **kwargs) -> TestClient:
    client = TestClient(app, **kwargs)
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": csrf(client, "/login"), "next": "/account"},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text[:300]
    return client


@pytest.mark.parametrize("path", ["/", "/partnerships", "/login", "/api/v1/partnerships"])
def test_every_response_carries_the_security_headers(site, path):
    answer = TestClient(site["app"]).get(path)
    assert answer.headers["content-security-policy"] == CSP
    assert "script-src 'self';" in CSP and "unsafe-eval" not in CSP
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in answer.headers


def test_hsts_and_secure_cookies_behind_an_https_proxy(site):
    https = {"x-forwarded-proto": "https"}
    # The test client's peer is "testclient": trusted here as the proxy.
    proxied = create_app(site["app"].state.engine, trusted_proxies=("testclient",))
    answer = TestClient(proxied).get("/login", headers=https)
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "Secure" in answer.headers["set-cookie"]
    client = TestClient(site["app"], base_url="https://testserver")
    signed = client.post("/login", data={"username": "nj", "password": PASSWORD,
                                         "csrf_token": csrf(client, "/login")},
                         follow_redirects=False)  # fmt: skip
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for flag in ("HttpOnly", "SameSite=lax", "Secure"):
        assert flag.lower() in cookie.lower()


def test_forms_without_the_right_csrf_token_are_refused(site):
    client = TestClient(site["app"])
    client.get("/login")
    for token in (None, "forged"):
        data = {"username": "nj", "password": PASSWORD}
        if token:
            data["csrf_token"] = token
        answer = client.post("/login", data=data, follow_redirects=False)
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
    # A signed-in browser's token is its session's, not the anonymous one it had before.
    officer = sign_in(site["app"], "nj")
    stale = TestClient(site["app"]).get("/login")
    answer = officer.post("/logout", data={"csrf_token": TOKEN.search(stale.text).group(1)})
    assert answer.status_code == 403


def test_sign_in_is_throttled_with_a_clear_message(site):
    client = TestClient(site["app"])
    token = csrf(client, "/login")
    for _ in range(5):
        wrong = client.post("/login", data={"username": "nj", "password": "nope",
                                            "csrf_token": token})  # fmt: skip
        assert wrong.status_code == 401
    blocked = client.post("/login", data={"username": "nj", "password": PASSWORD,
                                          "csrf_token": token})  # fmt: skip
    assert blocked.status_code == 429 and "Try again in 1 min." in blocked.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil"])
def test_sign_in_never_redirects_off_site(site, target):
    client = TestClient(site["app"])
    answer = client.post("/login", data={"username": "nj", "password": PASSWORD, "next": target,
                                         "csrf_token": csrf(client, "/login")},
                         follow_redirects=False)  # fmt: skip
    assert answer.headers["location"] == "/account"


def test_sign_out_revokes_the_session(site):
    client = sign_in(site["app"], "nj")
    cookie = client.cookies.get(SESSION_COOKIE)
    assert client.post("/logout", data={"csrf_token": csrf(client, "/account")},
                       follow_redirects=False).status_code == 303  # fmt: skip
    replay = TestClient(site["app"], cookies={SESSION_COOKIE: cookie})
    assert replay.get("/account", follow_redirects=False).status_code == 303  # to /login


def test_pages_refuse_by_role(site):
    assert TestClient(site["app"]).get("/admin/audit", follow_redirects=False).status_code == 303
    officer = sign_in(site["app"], "nj")
    assert officer.get("/admin/audit").status_code == 403
    assert officer.get("/admin/users").status_code == 403
    admin = sign_in(site["app"], "admin")
    assert admin.get("/admin/audit").status_code == 200
    audit_csv = admin.get("/admin/audit.csv")
    assert audit_csv.headers["content-type"].startswith("text/csv")
    assert audit_csv.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads Chinese


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_proposal_flow_through_the_pages_escapes_what_people_write(site):
    places = site["places"]
    nj = sign_in(site["app"], "nj")
    created = nj.post("/proposals/new", data={
        "csrf_token": csrf(nj, "/proposals/new"), "place_id": places["nanjing"],
        "partner_id": places["lyon"], "kind": "friendship_city", "rationale": PAYLOAD,
    }, follow_redirects=False)  # fmt: skip
    assert created.status_code == 303
    url = created.headers["location"]
    page = nj.get(url).text
    assert PAYLOAD not in page and "&lt;script&gt;" in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert nj.post(f"{url}/submit", data={"csrf_token": csrf(nj, url), "version": version},
                   follow_redirects=False).status_code == 303  # fmt: skip
    js = sign_in(site["app"], "js")
    page = js.get(url).text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    decided = js.post(f"{url}/decide", data={"csrf_token": csrf(js, url), "version": version,
                                             "decision": "send_back", "reason": PAYLOAD},
                      follow_redirects=False)  # fmt: skip
    assert decided.status_code == 303
    page = js.get(url).text
    assert 'data-status="returned"' in page and PAYLOAD not in page


def test_the_public_voice_through_the_pages(site):
    pair = site["pairs"][0]
    visitor = TestClient(site["app"])
    url = f"/voice/partnership/{pair}"
    sent = visitor.post(url, data={"csrf_token": csrf(visitor, url), "kind": "idea",
                                   "body": PAYLOAD, "author_name": PAYLOAD},
                        follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    admin = sign_in(site["app"], "admin")
    queue = admin.get("/voice/moderation").text
    assert PAYLOAD not in queue and "&lt;img src=x onerror=alert(1)&gt;" in queue
    sid = re.search(r"/voice/moderation/(\d+)", queue).group(1)
    admin.post(f"/voice/moderation/{sid}", data={"csrf_token": csrf(admin, "/voice/moderation"),
                                                  "decision": "publish"})  # fmt: skip
    token = csrf(visitor, url)
    first = visitor.post(f"/voice/vote/{sid}", data={"csrf_token": token}, follow_redirects=False)
    again = visitor.post(f"/voice/vote/{sid}", data={"csrf_token": token}, follow_redirects=False)
    assert first.headers["location"].endswith("voted=1")
    assert again.headers["location"].endswith("voted=again")
    page = visitor.get(url).text
    assert "1 votes" in page and PAYLOAD not in page

"""Client addresses: X-Forwarded-For and X-Forwarded-Proto count only from a trusted proxy.

Through a real `amity serve` (uvicorn) on 127.0.0.1. Without AMITY_TRUSTED_PROXIES a client's
own headers change nothing: a new forged address per request neither escapes the sign-in or
submission throttles nor claims HTTPS. With the proxy trusted, the client is the right-most
address the proxy did not add itself (nginx appends the peer to whatever the client sent).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from tests.auth.world import PASSWORD, build_world
from tests.support.live import serve

from amity.auth import service
from amity.auth.models import LoginAttempt
from amity.core.db import make_engine, session_scope
from amity.participation import service as voice

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Iterator[dict]:
    path = tmp_path_factory.mktemp("addresses") / "amity.db"
    engine = make_engine(f"sqlite:///{path}")
    from amity.core import schema

    schema.upgrade(engine)
    world = build_world(engine)
    yield {**world, "engine": engine, "url": f"sqlite:///{path}"}
    engine.dispose()


def serving(url: str, proxies: str | None):
    """`amity serve` as deployed, trusting `proxies` (None: AMITY_TRUSTED_PROXIES unset)."""
    return serve(url, cli=True, env={"AMITY_TRUSTED_PROXIES": proxies or None})


def _clear_attempts(engine) -> None:
    with engine.begin() as connection:
        connection.execute(LoginAttempt.__table__.delete())


def _sign_in(client: httpx.Client, username: str, password: str, forwarded: str) -> int:
    csrf = TOKEN.search(client.get("/login").text).group(1)
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": csrf},
                         headers={"X-Forwarded-For": forwarded})  # fmt: skip
    return answer.status_code


def test_without_trusted_proxies_forwarded_headers_change_nothing(database):
    engine = database["engine"]
    _clear_attempts(engine)
    with serving(database["url"], None) as base, httpx.Client(base_url=base) as client:
        codes = [_sign_in(client, "nj", "wrong", f"198.51.100.{n}")
                 for n in range(service.FREE_FAILS + 2)]  # fmt: skip
        # A new made-up address each time is still the same client: throttled.
        assert codes[: service.FREE_FAILS] == [401] * service.FREE_FAILS
        assert codes[service.FREE_FAILS :] == [429, 429]
        https = client.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in https.headers
        assert "secure" not in https.headers.get("set-cookie", "").lower()
        # The public-submission throttle counts the peer, not the header either.
        url = f"/voice/partnership/{database['pairs'][1]}"
        sent = []
        for n in range(voice.BURST[1] + 1):
            csrf = TOKEN.search(client.get(url).text).group(1)
            answer = client.post(url, data={"csrf_token": csrf, "kind": "idea",
                                            "body": f"idea {n}"},
                                 headers={"X-Forwarded-For": f"203.0.113.{n}"})  # fmt: skip
            sent.append(answer.status_code)
        assert sent[-1] == 429 and sent[:-1] == [303] * voice.BURST[1]
    with session_scope(engine) as session:
        addresses = set(session.scalars(select(LoginAttempt.address)))
    assert addresses == {"127.0.0.1"}


def test_behind_a_trusted_proxy_the_appended_address_counts(database):
    """nginx's $proxy_add_x_forwarded_for: what the client sent, then the address it saw."""
    engine = database["engine"]
    _clear_attempts(engine)
    stranger = "203.0.113.66"
    with serving(database["url"], "127.0.0.1, ::1") as base, httpx.Client(base_url=base) as client:
        codes = [_sign_in(client, "nj", "wrong", f"10.{n}.0.1, {stranger}")
                 for n in range(service.FREE_FAILS + 1)]  # fmt: skip
        assert codes == [401] * service.FREE_FAILS + [429]
        # The owner, at their own address, is not locked out by the stranger's failures.
        assert _sign_in(client, "nj", PASSWORD, "192.0.2.10") == 303
        https = client.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert https.headers["strict-transport-security"].startswith("max-age=")
    with session_scope(engine) as session:
        addresses = set(session.scalars(select(LoginAttempt.address)))
    assert addresses == {stranger, "192.0.2.10"}


@pytest.mark.parametrize("value", ["nginx", "10.0.0.0/33", "127.0.0.1;"])
def test_a_mistyped_trusted_proxy_is_an_error(value):
    from amity.core.settings import trusted_proxies

    with pytest.raises(ValueError, match="AMITY_TRUSTED_PROXIES"):
        trusted_proxies(value)
    assert trusted_proxies(" 127.0.0.1, 10.0.0.0/8 ,") == ("127.0.0.1", "10.0.0.0/8")


def test_the_shipped_nginx_and_systemd_samples_agree():
    """nginx forwards from 127.0.0.1, the unit trusts exactly that, and the header is set."""
    root = Path(__file__).resolve().parents[2] / "deploy"
    nginx = (root / "nginx-amity.conf").read_text()
    unit = (root / "amity.service").read_text()
    assert "server 127.0.0.1:8000;" in nginx and "Environment=AMITY_PORT=8000" in unit
    assert re.search(r"^\s*proxy_set_header X-Forwarded-For \$remote_addr;", nginx, re.M)
    assert re.search(r"^\s*proxy_set_header X-Forwarded-Proto \$scheme;", nginx, re.M)
    assert "Environment=AMITY_TRUSTED_PROXIES=127.0.0.1\n" in unit

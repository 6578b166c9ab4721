"""Signing a test client in through the real form, for the page tests that write."""

from __future__ import annotations

import re

from tests.auth.world import PASSWORD

from amity.auth import service
from amity.core.db import session_scope

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client, path: str = "/login") -> str:
    """The CSRF token the client's forms carry (from any page with a form)."""
    return _TOKEN.search(client.get(path).text).group(1)


def sign_in(client, *, username: str = "officer", role: str = "national_admin",
            place_id: int | None = None) -> str:  # fmt: skip
    """Make an account (if new), sign the client in; returns its session's CSRF token."""
    engine = client.app.state.engine
    with session_scope(engine) as session:
        if username not in {u.username for u in service.list_users(session)}:
            service.create_user(session, username=username, password=PASSWORD, role=role,
                                place_id=place_id)  # fmt: skip
    answer = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]  # fmt: skip
    return csrf(client, "/proposals" if role != "public" else "/login")

"""The server's signing key, shared by every worker through the database, and MACs made with it
(browser ids, anonymous CSRF tokens, keyed hashes of addresses and voters)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from sqlalchemy import String
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from amity.core.db import Base, session_scope


class ServerSecret(Base):
    """Keys the server signs with, shared by every worker through the database."""

    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


def signing_key(session: Session) -> bytes:
    """The key that signs browser ids and hashes addresses (made on first use)."""
    row = session.get(ServerSecret, "signing")
    if row is None:
        row = ServerSecret(name="signing", value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return bytes.fromhex(row.value)


@lru_cache(maxsize=8)
def _secret_for(url: str, engine: Engine) -> bytes:
    with session_scope(engine) as session:
        return signing_key(session)


def server_secret(engine: Engine) -> bytes:
    """`signing_key` read once per engine (the middleware needs it on every first visit)."""
    return _secret_for(engine.url.render_as_string(hide_password=False), engine)


def mac(key: bytes, purpose: str, value: str) -> str:
    """An HMAC of `value` for one purpose (a browser id's MAC is no vote key, and so on)."""
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

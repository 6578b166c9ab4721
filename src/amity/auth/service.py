"""API tokens: a random secret shown once, stored only as its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.auth.models import ApiToken
from amity.errors import Conflict, InvalidInput, NotFound, Unauthorized

# A recognisable prefix lets secret scanners and people tell an Amity token from other strings.
PREFIX = "amity_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(session: Session, name: str) -> str:
    """Create a token called `name` and return its secret (the only time it is visible)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("A token needs a name of 1 to 100 characters.", {"name": name})
    raw = PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=_digest(raw)))
    session.flush()
    return raw


def verify_token(session: Session, raw: str | None) -> ApiToken:
    """The live token whose secret this is; Unauthorized when missing, unknown or revoked."""
    if not raw:
        raise Unauthorized("This needs an API token: send Authorization: Bearer <token>.")
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(raw)))
    if token is None:
        raise Unauthorized("Unknown API token.")
    if token.revoked_at is not None:
        raise Unauthorized("This API token has been revoked.", {"token_id": token.id})
    return token


def revoke_token(session: Session, token_id: int) -> ApiToken:
    """Revoke a token for good; it stays listed with its revocation time."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No token {token_id}.", {"token_id": token_id})
    if token.revoked_at is not None:
        raise Conflict(f"Token {token_id} is already revoked.", {"token_id": token_id})
    token.revoked_at = datetime.now()
    session.flush()
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token, oldest first (secrets are never stored, so never shown)."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))

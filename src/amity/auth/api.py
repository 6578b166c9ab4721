"""Authentication for the API: writes need `Authorization: Bearer <token>`, reads are public."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.orm import Session

from amity.auth.models import ApiToken
from amity.auth.service import verify_token
from amity.auth.web import api_actor, bearer
from amity.http.deps import SESSION

router = APIRouter()

__all__ = ["api_actor", "require_token", "router"]


def require_token(
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    session: Session = SESSION,
) -> ApiToken:
    """The caller's live API token, or a 401 (`api_actor` gives the token's user and role)."""
    return verify_token(session, credentials.credentials if credentials else None)

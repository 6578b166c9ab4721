"""Authentication for the API: writes need `Authorization: Bearer <token>`, reads are public."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from amity.auth.models import ApiToken
from amity.auth.service import verify_token
from amity.web.deps import get_session

router = APIRouter()

# auto_error=False: a missing header reaches verify_token, which answers in the API's error shape.
bearer = HTTPBearer(auto_error=False, description="An API token from `amity token create`.")


def require_token(
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    session: Session = Depends(get_session),
) -> ApiToken:
    """The caller's live API token, or a 401."""
    return verify_token(session, credentials.credentials if credentials else None)

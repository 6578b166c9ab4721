"""Authentication for the API: writes need `Authorization: Bearer <token>`, reads are public;
and the JSON twins of the account and administration pages (a token of the right role)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.orm import Session

from amity.auth import audit, service
from amity.auth.models import ApiToken
from amity.auth.permissions import Actor, require
from amity.auth.schemas import Account, AuditLog, AuditRow, Users
from amity.auth.service import verify_token
from amity.auth.web import api_actor, bearer
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS

router = APIRouter()
twins = APIRouter(prefix="/api/v1", tags=["accounts"], responses=READ_ERRORS)

__all__ = ["api_actor", "require_token", "router"]


def require_token(
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    session: Session = SESSION,
) -> ApiToken:
    """The caller's live API token, or a 401 (`api_actor` gives the token's user and role)."""
    return verify_token(session, credentials.credentials if credentials else None)


@twins.get("/account", response_model=Account)
def account(actor: Actor = Depends(api_actor)) -> dict:
    """Who the token acts as: the page /account's twin."""
    return {"name": actor.name, "role": actor.role, "user_id": actor.user_id,
            "place_id": actor.place_id}  # fmt: skip


@twins.get("/admin/users", response_model=Users)
def users(session: Session = SESSION, actor: Actor = Depends(api_actor)) -> dict:
    """Every account (national administrators): the page /admin/users's twin."""
    require(actor, "user.manage")
    rows = [service.user_row(u) for u in service.list_users(session)]
    return {"count": len(rows), "users": rows}


@twins.get("/admin/audit", response_model=AuditLog)
def audit_log(
    actor_name: str | None = Query(None, alias="actor", max_length=100),
    entity: str | None = Query(None, max_length=50),
    action: str | None = Query(None, max_length=50),
    since: datetime | None = None,
    until: datetime | None = None,
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:
    """The newest 500 audit entries matching the filters, and the chain's check: the page
    /admin/audit's twin (national administrators)."""
    require(actor, "audit.read")
    rows = audit.entries(session, actor=actor_name, entity=entity, action=action, since=since,
                         until=until, limit=500)  # fmt: skip
    return {"entries": [AuditRow.model_validate(r, from_attributes=True) for r in rows],
            "chain": audit.verify(session)}  # fmt: skip


router.include_router(twins)

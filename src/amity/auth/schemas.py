"""What the accounts' API answers: the caller, the users, the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Account(BaseModel):
    """Who the token acts as (the page /account shows the same)."""

    name: str
    role: str
    user_id: int | None
    place_id: int | None


class UserRow(BaseModel):
    """A user as administrators see it (never the password hash)."""

    id: int
    username: str
    display_name: str | None
    role: str
    place_id: int | None
    place: str | None
    disabled: bool


class Users(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"count": 1, "users": [{
        "id": 2, "username": "jiangsu-officer", "display_name": "Jiangsu FAO", "role": "officer",
        "place_id": 12, "place": "Jiangsu", "disabled": False,
    }]}]})  # fmt: skip

    count: int
    users: list[UserRow]


class AuditRow(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any
    hash: str


class BrokenLink(BaseModel):
    id: int
    problem: str


class ChainCheck(BaseModel):
    """The hash chain walked from the first row: whether it holds, and where it breaks."""

    ok: bool
    rows: int
    unkeyed: int
    head: dict[str, Any] | None
    first_bad: BrokenLink | None


class AuditLog(BaseModel):
    """The newest entries (at most 500) matching the filters, and the chain's check."""

    entries: list[AuditRow]
    chain: ChainCheck

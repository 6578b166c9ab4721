"""Proposal bodies for the API and the forms."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from amity.bounds import Id
from amity.partnerships.schemas import Kind, Level

_WRITE = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProposalDraft(BaseModel):
    model_config = _WRITE

    place_id: Id
    partner_id: Id
    kind: Kind = "friendship_city"
    level: Level | None = None
    rationale: str = Field(min_length=1, max_length=10000)
    planned_fields: list[str] = Field(default_factory=list, max_length=20)
    planned_signing: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")


class ProposalEdit(BaseModel):
    model_config = _WRITE

    kind: Kind | None = None
    level: Level | None = None
    rationale: str | None = Field(None, min_length=1, max_length=10000)
    planned_fields: list[str] | None = Field(None, max_length=20)
    planned_signing: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    version: Id


class Submit(BaseModel):
    model_config = _WRITE

    version: Id


class Decision(BaseModel):
    model_config = _WRITE

    decision: Literal["approve", "reject", "send_back"]
    reason: str = Field(min_length=1, max_length=5000)
    version: Id

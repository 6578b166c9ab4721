"""Proposal bodies for the API and the forms, and the proposals as the API answers them."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from amity.core.bounds import Id
from amity.partnerships.schemas import Kind, Level

_WRITE = ConfigDict(extra="forbid", str_strip_whitespace=True)
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def planned_date(text: str) -> str:
    """A planned signing date known to the year, month or day (YYYY, YYYY-MM, YYYY-MM-DD) that
    exists on the calendar: "2026-13-45" is refused, not stored to break the approval later."""
    match = _PARTIAL.fullmatch(text)
    if not match:
        raise ValueError("a date as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise ValueError("a real calendar date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    if not 1900 <= year <= 2200:
        raise ValueError("a year between 1900 and 2200")
    return text


PlannedDate = Annotated[str, Field(max_length=10), AfterValidator(planned_date)]


class ProposalDraft(BaseModel):
    model_config = ConfigDict(**_WRITE, json_schema_extra={"examples": [{
        "place_id": 105, "partner_id": 20367, "kind": "friendship_city",
        "rationale": "Both cities host large universities and car makers.",
        "planned_fields": ["education", "economy_trade"], "planned_signing": "2027-05",
    }]})  # fmt: skip

    place_id: Id
    partner_id: Id
    kind: Kind = "friendship_city"
    level: Level | None = None
    rationale: str = Field(min_length=1, max_length=10000)
    planned_fields: list[str] = Field(default_factory=list, max_length=20)
    planned_signing: PlannedDate | None = None


class ProposalEdit(BaseModel):
    model_config = ConfigDict(**_WRITE, json_schema_extra={"examples": [
        {"planned_signing": "2027-09-15", "version": 2}
    ]})  # fmt: skip

    kind: Kind | None = None
    level: Level | None = None
    rationale: str | None = Field(None, min_length=1, max_length=10000)
    planned_fields: list[str] | None = Field(None, max_length=20)
    planned_signing: PlannedDate | None = None
    version: Id

    @field_validator("kind", "rationale", "planned_fields")
    @classmethod
    def _not_cleared(cls, value):
        # Left out means "unchanged"; an explicit null would clear a field the proposal needs.
        if value is None:
            raise ValueError("cannot be empty (leave it out to keep it)")
        return value


class Submit(BaseModel):
    model_config = ConfigDict(**_WRITE, json_schema_extra={"examples": [{"version": 3}]})

    version: Id


class Decision(BaseModel):
    model_config = ConfigDict(**_WRITE, json_schema_extra={"examples": [
        {"decision": "approve", "reason": "Checks pass; the province supports it.", "version": 4}
    ]})  # fmt: skip

    decision: Literal["approve", "reject", "send_back"]
    reason: str = Field(min_length=1, max_length=5000)
    version: Id


# What the API answers (service.proposal_detail, service.list_proposals).
class ProposalPlace(BaseModel):
    id: int
    name: str
    name_zh: str | None
    country_code: str
    kind: str


class Step(BaseModel):
    """One line of a proposal's history: who moved it from which status to which, and why."""

    at: datetime
    actor: str
    action: str
    from_: str | None = Field(alias="from")
    to: str
    reason: str | None


class Allowed(BaseModel):
    """What the asking user may do with the proposal now."""

    edit: bool
    decide: bool


class ProposalRead(BaseModel):
    id: int
    place_id: int
    partner_id: int
    kind: str
    level: str | None
    rationale: str
    planned_fields: list[str]
    planned_signing: str | None
    status: str
    version: int
    place: ProposalPlace
    partner: ProposalPlace
    checks: dict[str, Any] = Field(
        description="The automatic checks run on submission (proposals/checks.py), as stored."
    )
    created_by: str
    created_at: datetime
    updated_at: datetime
    partnership_id: int | None
    history: list[Step]
    can: Allowed
    four_eyes: str | None = Field(description="Why a reviewer who could decide may not.")


class ProposalItem(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 9, "status": "provincial_review", "kind": "friendship_city",
        "place": {"id": 105, "name": "Nanjing", "name_zh": "南京市", "country_code": "CN",
                  "kind": "city"},
        "partner": {"id": 34112, "name": "Alsace", "name_zh": "阿尔萨斯", "country_code": "FR",
                    "kind": "province"},
        "updated_at": "2026-11-20T10:04:00", "version": 3,
    }]})  # fmt: skip

    id: int
    status: str
    kind: str
    place: ProposalPlace
    partner: ProposalPlace
    updated_at: datetime
    version: int


class ProposalChecks(BaseModel):
    """A proposal's checks once its pending information checks were computed (those still
    pending, the score while the recommender is being built, are named in `pending`)."""

    id: int
    status: str
    checks: dict[str, Any]
    pending: list[str]

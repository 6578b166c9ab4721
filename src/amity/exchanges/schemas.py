"""Pydantic shapes of exchanges, the taxonomy, and relationship health."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from amity.core.bounds import Id, Year
from amity.core.lengths import limit
from amity.core.listing import SortedListQuery
from amity.exchanges.models import Exchange, ExchangeMode
from amity.partnerships.schemas import EXAMPLE_PARTNER, EXAMPLE_PLACE, FacetValue, PlaceSide

Direction = Literal["a_to_b", "b_to_a", "both", "joint"]
DelegationLevel = Literal[
    "head_of_government", "vice_level", "department", "civil_society", "other"
]
FACETS = ("country", "mode", "field", "year", "direction")
SORT_KEYS = ("start", "id")

_WRITE = ConfigDict(extra="forbid", str_strip_whitespace=True)

# Examples for the API docs (tests/system/test_api_examples.py validates each against its model).
EXAMPLE_EXCHANGE = {
    "id": 12, "partnership_id": 591, "without_partnership": False,
    "a": EXAMPLE_PLACE, "b": EXAMPLE_PARTNER, "title": "Mayor's delegation to Strasbourg",
    "mode": "high_level_visit", "mode_label": "High-level visit", "mode_label_zh": "高层互访",
    "fields": ["education"], "field_labels": ["Education"], "field_labels_zh": ["教育"],
    "start": "2013-05-20", "start_year": 2013, "end": "2013-05-24", "direction": "a_to_b",
    "delegation_size": 12, "delegation_level": "head_of_government",
    "participants": "Mayor, trade office", "outcome": "Two university agreements signed.",
    "budget_amount": 180000.0, "budget_currency": "CNY", "source": "manual", "link": None,
    "created_at": "2026-03-02T09:15:00", "updated_at": "2026-03-02T09:15:00",
}  # fmt: skip
EXAMPLE_HEALTH = {
    "partnership_id": 591, "status": "active", "state": "dormant", "dormant": True,
    "dormant_years": 3, "exchanges": 1, "last_activity": "2013-05-24", "per_year": {"2013": 1},
    "score": 20,
    "reasons": [{"code": "dormant", "points": -60, "en": "No exchange for 13 years",
                 "zh": "13年没有交流"}],
    "reviewed_until": None, "ending_proposed": False,
}  # fmt: skip


class ExchangeQuery(SortedListQuery):
    """A selection of exchanges: filters (several values = any of them), sort and page."""

    SORT_KEYS = SORT_KEYS

    q: str | None = Field(None, max_length=100, description="Text in title, participants, outcome.")
    country: tuple[str, ...] = ()
    mode: tuple[str, ...] = ()
    field: tuple[str, ...] = ()
    year: tuple[Year, ...] = ()
    direction: tuple[Direction, ...] = ()
    place: tuple[Id, ...] = ()
    partnership: tuple[Id, ...] = ()
    sort: Literal["start", "-start", "id", "-id"] = "-start"

    @field_validator("country")
    @classmethod
    def _upper(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.strip().upper() for v in values)


class ExchangeWrite(BaseModel):
    """What an exchange records besides its places (shared by create and update)."""

    model_config = _WRITE

    title: str | None = Field(None, max_length=limit(Exchange.title))
    mode: str = Field(min_length=1, max_length=limit(Exchange.mode), examples=["high_level_visit"])
    fields: list[str] = Field(default_factory=list, examples=[["economy_trade", "education"]])
    start: str = Field(min_length=4, max_length=20, examples=["2013", "2013-05", "2013-05-20"])
    end: str | None = Field(None, max_length=20)
    direction: Direction = "joint"
    delegation_size: int | None = Field(None, gt=0, le=100_000)
    delegation_level: DelegationLevel | None = None
    participants: str | None = Field(None, max_length=5000)
    outcome: str | None = Field(None, max_length=5000)
    budget_amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    budget_currency: str | None = Field(None, pattern=r"^[A-Z]{3}$", examples=["CNY"])
    source: str = Field("manual", min_length=1, max_length=limit(Exchange.source))
    link: str | None = Field(None, max_length=limit(Exchange.link))


class ExchangeCreate(ExchangeWrite):
    """A new exchange: name its partnership, or its two places (direction a→b is first→second)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "partnership_id": 591, "title": "Mayor's delegation to Strasbourg",
        "mode": "high_level_visit",
        "fields": ["economy_trade", "education"], "start": "2013-05-20", "end": "2013-05-24",
        "direction": "a_to_b", "delegation_size": 12, "delegation_level": "head_of_government",
        "participants": "Mayor, trade office", "outcome": "Two university agreements signed.",
        "budget_amount": "180000.00", "budget_currency": "CNY", "source": "manual",
    }]})  # fmt: skip

    partnership_id: Id | None = None
    place_a_id: Id | None = None
    place_b_id: Id | None = None


class ExchangeUpdate(BaseModel):
    """Changes to an exchange; its places stay (delete it and record another to move it)."""

    model_config = ConfigDict(
        **_WRITE,
        json_schema_extra={"examples": [
            {"outcome": "Two university agreements and a student exchange.", "delegation_size": 14}
        ]},
    )  # fmt: skip

    title: str | None = Field(None, max_length=limit(Exchange.title))
    mode: str | None = Field(None, min_length=1, max_length=limit(Exchange.mode))
    fields: list[str] | None = None
    start: str | None = Field(None, min_length=4, max_length=20)
    end: str | None = Field(None, max_length=20)
    direction: Direction | None = None
    delegation_size: int | None = Field(None, gt=0, le=100_000)
    delegation_level: DelegationLevel | None = None
    participants: str | None = Field(None, max_length=5000)
    outcome: str | None = Field(None, max_length=5000)
    budget_amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    budget_currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    source: str | None = Field(None, min_length=1, max_length=limit(Exchange.source))
    link: str | None = Field(None, max_length=limit(Exchange.link))


class ExchangeRead(BaseModel):
    """An exchange with its two places and labels of its mode and fields."""

    id: int
    partnership_id: int | None
    without_partnership: bool
    a: PlaceSide
    b: PlaceSide
    title: str | None
    mode: str
    mode_label: str
    mode_label_zh: str
    fields: list[str]
    field_labels: list[str]
    field_labels_zh: list[str]
    start: str
    start_year: int
    end: str | None
    direction: Direction
    delegation_size: int | None
    delegation_level: DelegationLevel | None
    participants: str | None
    outcome: str | None
    budget_amount: float | None
    budget_currency: str | None
    source: str
    link: str | None
    created_at: datetime | None
    updated_at: datetime | None


class ExchangePage(BaseModel):
    """One page of a selection, its size, and facet counts (each ignoring its own filter)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "total": 1, "page": 1, "per_page": 50, "items": [EXAMPLE_EXCHANGE],
        "facets": {"mode": [{"value": "high_level_visit", "label": "High-level visit",
                             "label_zh": "高层互访", "count": 1}]},
    }]})  # fmt: skip

    total: int
    page: int
    per_page: int
    items: list[ExchangeRead]
    facets: dict[str, list[FacetValue]]


class Term(BaseModel):
    code: str
    label_en: str
    label_zh: str
    active: bool


class TermCreate(BaseModel):
    model_config = ConfigDict(
        **_WRITE,
        json_schema_extra={"examples": [
            {"code": "sports_event", "label_en": "Sports event", "label_zh": "体育赛事"}
        ]},
    )  # fmt: skip

    code: str = Field(
        min_length=2, max_length=limit(ExchangeMode.code), pattern=r"^[a-z][a-z0-9_]+$"
    )
    label_en: str = Field(min_length=1, max_length=limit(ExchangeMode.label_en))
    label_zh: str = Field(min_length=1, max_length=limit(ExchangeMode.label_zh))


class Taxonomy(BaseModel):
    modes: list[Term]
    fields: list[Term]


class Reason(BaseModel):
    """One reason for a health score, in both languages, with its effect on the score."""

    code: str
    points: int
    en: str
    zh: str


class HistoryEntry(BaseModel):
    id: int
    action: str
    old_status: str | None
    new_status: str | None
    note: str | None
    actor: str
    hidden_until: date | None
    created_at: datetime | None


class Health(BaseModel):
    """How a partnership is doing: its activity, dormancy and a score with reasons."""

    partnership_id: int
    status: str
    state: Literal["active", "recent", "declining", "dormant", "no_activity", "ended"]
    dormant: bool
    dormant_years: int
    exchanges: int
    last_activity: str | None
    per_year: dict[int, int]
    score: int
    reasons: list[Reason]
    reviewed_until: date | None = None
    ending_proposed: bool = False


class PartnershipHealth(Health):
    history: list[HistoryEntry]


class HealthItem(Health):
    a: PlaceSide
    b: PlaceSide


class HealthList(BaseModel):
    """The health of an office's partnerships (or only its unhealthy ones), worst first."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "office": EXAMPLE_PLACE, "dormant_years": 3, "total": 1,
        "items": [{**EXAMPLE_HEALTH, "a": EXAMPLE_PLACE, "b": EXAMPLE_PARTNER}],
    }]})  # fmt: skip

    office: PlaceSide
    dormant_years: int
    total: int
    items: list[HealthItem]


class HealthAction(BaseModel):
    """A note for an action on a partnership's health: review, reactivate, propose ending."""

    model_config = ConfigDict(
        **_WRITE,
        json_schema_extra={"examples": [
            {"note": "Called the partner's foreign affairs office; a visit is due.", "days": 365}
        ]},
    )  # fmt: skip

    note: str = Field(min_length=1, max_length=2000)
    days: int | None = Field(None, ge=1, le=3650, description="Reviewed: hide for this long.")


class Timeline(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"partnership_id": 591, "total": 1, "items": [EXAMPLE_EXCHANGE]}
    ]})  # fmt: skip

    partnership_id: int
    total: int
    items: list[ExchangeRead]


class PartnershipActivity(BaseModel):
    """What the page /partnerships/{id}/activity shows: health with history, and the timeline."""

    partnership_id: int
    health: PartnershipHealth
    timeline: Timeline


class PlaceExchanges(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"place": EXAMPLE_PLACE, "total": 1, "items": [EXAMPLE_EXCHANGE]}
    ]})  # fmt: skip

    place: PlaceSide
    total: int
    items: list[ExchangeRead]

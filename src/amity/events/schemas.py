"""Pydantic shapes of events and awards: writes and the list query."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from amity.core.bounds import Count, Id, Year
from amity.core.lengths import limit
from amity.events.models import KINDS, AwardEdition, Event, EventSession, JudgeScore

# Literal flattens the tuple: one list of kinds for the table and the API.
EventKind = Literal[KINDS]  # type: ignore[valid-type]

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def check_partial_date(value: str | None) -> str | None:
    """A date known to the year, month or day ("2012", "2012-05", "2012-05-18"), or None."""
    value = (value or "").strip()
    if not value:
        return None
    match = _PARTIAL.match(value)
    if not match:
        raise ValueError(f"not a date like 2012, 2012-05 or 2012-05-18: {value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError as error:
        raise ValueError(f"not a real date: {value!r}") from error
    return value


class SessionWrite(BaseModel):
    """A part of an event's programme."""

    model_config = ConfigDict(extra="forbid")

    title_zh: str | None = Field(None, max_length=limit(EventSession.title_zh))
    title_en: str | None = Field(None, max_length=limit(EventSession.title_en))
    starts_at: str | None = Field(None, examples=["2014-10-30T09:00"])
    ends_at: str | None = None
    speakers: list[str] = Field(default_factory=list)

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _time(cls, value: str | None) -> str | None:
        if value and not _TIME.match(value):
            raise ValueError("a date (2014-10-30) or a local time (2014-10-30T09:00)")
        return value or None

    @model_validator(mode="after")
    def _titled(self) -> SessionWrite:
        if not (self.title_zh or self.title_en):
            raise ValueError("a session needs a title in Chinese or English")
        return self


class EventFields(BaseModel):
    """What an event record says; names and themes in Chinese, English or both."""

    model_config = ConfigDict(extra="forbid")

    name_zh: str | None = Field(None, max_length=limit(Event.name_zh))
    name_en: str | None = Field(None, max_length=limit(Event.name_en))
    kind: EventKind | None = None
    series: str | None = Field(None, max_length=limit(Event.series), examples=["cifcc"])
    edition: Id | None = None
    theme_zh: str | None = Field(None, max_length=limit(Event.theme_zh))
    theme_en: str | None = Field(None, max_length=limit(Event.theme_en))
    organisers: list[str] = Field(default_factory=list)
    co_sponsors: list[str] = Field(default_factory=list)
    speakers: list[str] = Field(default_factory=list)
    starts: str | None = Field(None, examples=["2012-05-18"])
    ends: str | None = None
    place_id: Id | None = None
    venue: str | None = Field(None, max_length=limit(Event.venue))
    attendance: Count | None = None
    description_zh: str | None = None
    description_en: str | None = None
    sessions: list[SessionWrite] = Field(default_factory=list)
    source: str | None = Field(None, max_length=limit(Event.source))
    source_url: str | None = Field(None, max_length=limit(Event.source_url))

    @field_validator("starts", "ends")
    @classmethod
    def _partial(cls, value: str | None) -> str | None:
        return check_partial_date(value)

    @field_validator("series")
    @classmethod
    def _series(cls, value: str | None) -> str | None:
        if value and not _CODE.match(value):
            raise ValueError("a series is a code: lower-case words joined by _")
        return value

    @model_validator(mode="after")
    def _ends_after_start(self) -> EventFields:
        if self.ends and not self.starts:
            raise ValueError("an end date needs a start date")
        if self.starts and self.ends and self.ends < self.starts:
            raise ValueError("the event ends before it starts")
        return self


class EventCreate(EventFields):
    """A new event: a name, a kind and a source."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name_zh": "第一届公共外交国际论坛",
        "name_en": "1st International Forum on Public Diplomacy",
        "kind": "forum", "series": "ifpd", "edition": 1, "organisers": ["The Charhar Institute"],
        "starts": "2012-05-18", "place_id": 1, "attendance": 150, "speakers": ["Zhao Qizheng"],
        "sessions": [{"title_en": "Opening", "starts_at": "2012-05-18T09:00"}],
        "source": "The Charhar Institute, forum background paper",
    }]})  # fmt: skip

    kind: EventKind = "forum"

    @model_validator(mode="after")
    def _required(self) -> EventCreate:
        if not (self.name_zh or self.name_en):
            raise ValueError("an event needs a name in Chinese or English")
        if not self.source:
            raise ValueError("an event needs its source")
        return self


class EventUpdate(EventFields):
    """Changes to an event: only the fields sent are changed."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"attendance": 180, "venue": "Diaoyutai State Guesthouse"}]}
    )


class EventQuery(BaseModel):
    """A selection of events (several values of one filter mean any of them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: tuple[Year, ...] = ()
    kind: tuple[EventKind, ...] = ()
    place: tuple[Id, ...] = ()
    country: tuple[str, ...] = ()
    series: tuple[str, ...] = ()

    @field_validator("country")
    @classmethod
    def _iso2(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        codes = tuple(v.strip().upper() for v in values)
        if any(not _ISO2.match(c) for c in codes):
            raise ValueError("countries are ISO 3166-1 alpha-2 codes")
        return codes


class NominationCreate(BaseModel):
    """A nominee (a partnership or a place) for an award type in an edition."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "award": "international_exchange_cooperation", "partnership_id": 591,
        "citation_en": "Thirty years of school exchanges.",
    }]})  # fmt: skip

    award: str = Field(description="The award type's code.")
    partnership_id: Id | None = None
    place_id: Id | None = None
    citation_zh: str | None = None
    citation_en: str | None = None

    @model_validator(mode="after")
    def _nominee(self) -> NominationCreate:
        if (self.partnership_id is None) == (self.place_id is None):
            raise ValueError("nominate either a partnership or a place")
        return self


class ScoreCreate(BaseModel):
    """One judge's score of a nomination on one criterion."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"judge": "Judge A", "criterion": "impact", "score": 8.5}
    ]})  # fmt: skip

    judge: str = Field(min_length=1, max_length=limit(JudgeScore.judge))
    criterion: str = Field(min_length=1, max_length=limit(JudgeScore.criterion))
    score: float = Field(ge=0, le=10)


class EditionCreate(BaseModel):
    """An edition of the awards: its year and the conference it is given at."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"year": 2026, "event_id": 42, "winners_per_award": 3, "source": "CIFCA announcement"}
    ]})  # fmt: skip

    year: int = Field(ge=1973, le=2100)
    event_id: Id | None = None
    winners_per_award: int = Field(1, ge=1, le=20)
    source: str = Field(min_length=1, max_length=limit(AwardEdition.source))


# What the API answers (service.event_dict, awards.*_dict).
class EventPlace(BaseModel):
    id: int
    name: str
    name_zh: str | None
    country: str


class SessionRead(BaseModel):
    title_zh: str | None
    title_en: str | None
    starts_at: str | None
    ends_at: str | None
    speakers: list[str]


class EventRead(BaseModel):
    """An event in both languages, with its place and sessions."""

    id: int
    name_zh: str | None
    name_en: str | None
    kind: str
    series: str | None
    edition: int | None
    theme_zh: str | None
    theme_en: str | None
    # Lists as stored: null only when written around the API.
    organisers: list[str] | None
    co_sponsors: list[str] | None
    speakers: list[str] | None
    starts: str | None
    ends: str | None
    place_id: int | None
    venue: str | None
    attendance: int | None
    description_zh: str | None
    description_en: str | None
    source: str
    source_url: str | None
    start_year: int | None
    place: EventPlace | None
    sessions: list[SessionRead]


class EventList(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"total": 1, "items": [{
        "id": 4, "name_zh": "2008中国国际友好城市大会",
        "name_en": "China International Friendship Cities Conference 2008", "kind": "conference",
        "series": "cifcc", "edition": None, "theme_zh": None, "theme_en": None,
        "organisers": ["China International Friendship Cities Association"], "co_sponsors": [],
        "speakers": [], "starts": "2008", "ends": None, "place_id": 1, "venue": None,
        "attendance": None, "description_zh": None, "description_en": None,
        "source": "CIFCA, \"Friendship Cities: A New Chapter for People-to-People Diplomacy\"",
        "source_url": None, "start_year": 2008,
        "place": {"id": 1, "name": "Beijing", "name_zh": "北京市", "country": "CN"},
        "sessions": [],
    }]}]})  # fmt: skip

    total: int
    items: list[EventRead]


class AwardTypeRead(BaseModel):
    code: str
    name_zh: str
    name_en: str
    description_zh: str | None
    description_en: str | None
    source: str


class EditionEvent(BaseModel):
    id: int
    name_zh: str | None
    name_en: str | None
    starts: str | None


class EditionRead(BaseModel):
    year: int
    winners_per_award: int
    source: str
    event: EditionEvent | None


class Awards(BaseModel):
    """The award types and the editions, newest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "award_types": [{
            "code": "international_exchange_cooperation", "name_zh": "国际友好城市交流合作奖",
            "name_en": "International Friendship Cities Exchange and Cooperation Award",
            "description_zh": None, "description_en": "Presented at the biennial China "
            "International Friendship Cities Conference.", "source": "CIFCA",
        }],
        "editions": [{
            "year": 2014, "winners_per_award": 1, "source": "CIFCA",
            "event": {"id": 7, "name_zh": "2014中国国际友好城市大会",
                      "name_en": "China International Friendship Cities Conference 2014",
                      "starts": "2014"},
        }],
    }]})  # fmt: skip

    award_types: list[AwardTypeRead]
    editions: list[EditionRead]


class NomineePlace(BaseModel):
    id: int
    name: str
    name_zh: str | None


class PairNominee(BaseModel):
    model_config = ConfigDict(extra="forbid")

    partnership_id: int
    places: list[NomineePlace]


class PlaceNominee(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place: NomineePlace


class RankedNomination(BaseModel):
    id: int
    nominee: PairNominee | PlaceNominee
    citation_zh: str | None
    citation_en: str | None
    mean_score: float | None
    scores: int
    judges: list[str]
    rank: int
    winner: bool


class AwardResults(AwardTypeRead):
    nominations: list[RankedNomination]


class EditionResults(EditionRead):
    """An edition's nominations per award type, ranked by mean score, winners marked."""

    awards: list[AwardResults]


class NominationCreated(BaseModel):
    id: int
    award: str


class ScoreRead(BaseModel):
    id: int
    judge: str
    criterion: str
    score: float

"""Pydantic shapes of partnerships: the list query, writes, and what reads return."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from amity.core.bounds import Id
from amity.core.lengths import limit
from amity.core.listing import SortedListQuery
from amity.partnerships.models import Partnership

Kind = Literal["sister_city", "friendship_city", "friendly_exchange", "cooperation"]
Level = Literal["city_city", "province_state", "province_city", "district"]
Status = Literal["proposed", "active", "dormant", "suspended", "terminated"]
Region = Literal["east", "central", "west"]
Continent = Literal[
    "Africa", "Asia", "Europe", "North America", "South America", "Oceania", "Antarctica"
]

SORT_KEYS = (
    "name_a", "country", "name_b", "country_b", "level", "kind", "status", "established",
    "created", "id",
)  # fmt: skip
FACETS = ("country", "continent", "province", "region", "level", "kind", "status", "source")

_ISO2 = re.compile(r"^[A-Z]{2}$")
_GB_PROVINCE = re.compile(r"^\d{2}0000$")

# Examples for the API docs (tests/system/test_api_examples.py validates each against its model).
EXAMPLE_PLACE = {
    "id": 105, "name": "Nanjing", "name_zh": "南京市", "country": "CN", "country_name": "China",
    "country_name_zh": "中国", "province_code": "320000", "lat": 32.06, "lon": 118.8,
    "level": "city",
}  # fmt: skip
EXAMPLE_PARTNER = {
    "id": 34112, "name": "Alsace", "name_zh": "阿尔萨斯", "country": "FR",
    "country_name": "France", "country_name_zh": "法国", "province_code": None, "lat": 48.5,
    "lon": 7.5, "level": "subdivision2",
}  # fmt: skip


class PartnershipQuery(SortedListQuery):
    """A selection of partnerships: filters (several values = any of them), sort and page."""

    SORT_KEYS = SORT_KEYS

    q: str | None = Field(None, max_length=100, description="Text in either side's names.")
    country: tuple[str, ...] = ()
    continent: tuple[Continent, ...] = ()
    province: tuple[str, ...] = ()
    region: tuple[Region, ...] = ()
    level: tuple[Level, ...] = ()
    kind: tuple[Kind, ...] = ()
    status: tuple[Status, ...] = ()
    source: tuple[str, ...] = ()
    place: tuple[Id, ...] = ()
    established_from: int | None = Field(
        None, ge=1, le=9999, description="Signed in this year or later (pairs without a date "
        "are left out)."
    )
    established_to: int | None = Field(
        None, ge=1, le=9999, description="Signed in this year or earlier."
    )

    @field_validator("country")
    @classmethod
    def _iso2(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        codes = tuple(v.strip().upper() for v in values)
        bad = [c for c in codes if not _ISO2.match(c)]
        if bad:
            raise ValueError(f"not ISO 3166-1 alpha-2 codes: {', '.join(bad)}")
        return codes

    @field_validator("province")
    @classmethod
    def _gb_province(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in values if not _GB_PROVINCE.match(v)]
        if bad:
            raise ValueError(f"not GB/T 2260 provincial codes (like 320000): {', '.join(bad)}")
        return values

    @model_validator(mode="after")
    def _years_in_order(self) -> PartnershipQuery:
        if (self.established_from or 0) > (self.established_to or 9999):
            raise ValueError("the first year is after the last (established_from > established_to)")
        return self


class PlaceSide(BaseModel):
    """One side of a partnership as lists show it."""

    id: int
    name: str
    name_zh: str | None
    country: str
    country_name: str
    country_name_zh: str | None
    province_code: str | None
    lat: float | None
    lon: float | None
    level: str = Field(
        "city",
        description="The place's level: subdivision1 (province, state), municipality "
        "(a city at province level), subdivision2 (county, département), city or district.",
    )


class PartnershipItem(BaseModel):
    """A partnership in a list."""

    id: int
    # What is stored: one of the listed values, or another text written past the services (an
    # older version, a script); answering it beats a 500 for the whole list.
    kind: Kind | str
    level: Level | str
    status: Status | str
    established: str | None
    source: str
    a: PlaceSide
    b: PlaceSide


class StewardRecordRead(BaseModel):
    """Who recorded a partnership outside the review, when, and on what evidence."""

    steward: str
    recorded_at: datetime
    document: str
    signed_on: str
    evidence_source: str


class PartnershipRead(PartnershipItem):
    """A partnership with everything stored about it."""

    established_year: int | None
    ended_on: date | None
    signing_place: str | None
    fields: list[str] | None
    source_ref: str | None
    quality_flags: str | None
    note: str | None
    created_at: datetime | None
    updated_at: datetime | None
    # Set when a registry steward entered it (not through a proposal or an import).
    steward_record: StewardRecordRead | None = None


class FacetValue(BaseModel):
    value: str
    label: str
    label_zh: str | None
    count: int


class PartnershipPage(BaseModel):
    """One page of a selection, its size, and facet counts (each ignoring its own filter)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "total": 7, "page": 1, "per_page": 1,
        "items": [{
            "id": 591, "kind": "sister_city", "level": "province_city", "status": "active",
            "established": "1987", "source": "wikidata", "a": EXAMPLE_PLACE, "b": EXAMPLE_PARTNER,
        }],
        "facets": {
            "country": [{"value": "FR", "label": "France", "label_zh": "法国", "count": 7}],
            "status": [{"value": "active", "label": "Active", "label_zh": "有效", "count": 7}],
        },
    }]})  # fmt: skip

    total: int
    page: int
    per_page: int
    items: list[PartnershipItem]
    facets: dict[str, list[FacetValue]]


class Partner(BaseModel):
    """A place's partnership seen from the place: the other side and the relationship."""

    partnership_id: int
    kind: Kind | str  # as stored (see PartnershipItem)
    level: Level | str
    status: Status | str
    established: str | None
    source: str
    partner: PlaceSide


class LevelCount(BaseModel):
    level: str
    count: int


class PartnerBelow(Partner):
    """A partnership of a place under this one (a district of a municipality), at its level."""

    place: PlaceSide


class PlacePartners(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "place": EXAMPLE_PLACE, "total": 1,
        "partners": [{
            "partnership_id": 591, "kind": "sister_city", "level": "province_city",
            "status": "active", "established": "1987", "source": "wikidata",
            "partner": EXAMPLE_PARTNER,
        }],
        "by_level": [{"level": "province_city", "count": 1}],
        "below": [], "below_by_level": [],
    }]})  # fmt: skip

    place: PlaceSide
    total: int = Field(description="The place's own partnerships (those under it not counted).")
    partners: list[Partner]
    by_level: list[LevelCount] = Field(description="The place's own partnerships by level.")
    below: list[PartnerBelow] = Field(
        description="Partnerships of the places directly under it (its districts, counties), "
        "each at its own level; not counted in total."
    )
    below_by_level: list[LevelCount]


class ContinentCount(BaseModel):
    value: str
    label: str
    label_zh: str | None
    partnerships: int
    places: int


class RegistryStats(BaseModel):
    """Registry totals, computed from the data (HK/MO/TW count under China, see labels)."""

    partnerships: int
    places: int
    places_with_partnerships: int
    countries: int
    china_partnerships: int
    china_partner_countries: int
    by_continent: list[ContinentCount]
    statistics: dict | None = None
    layout: dict | None = None
    note: str | None = None


class MapRow(BaseModel):
    """Partnerships of one country on the home page's map."""

    name: str = Field(description="ISO 3166-1 code; HK, MO and TW repeat the home country's row.")
    value: int
    label: str
    href: str


class TopCountry(MapRow):
    iso2: str


class FrontPage(BaseModel):
    """What the home page shows (its twin is GET /api/v1/)."""

    stats: RegistryStats
    map_rows: list[MapRow]
    top_countries: list[TopCountry]


_WRITE = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AboutData(BaseModel):
    """What the page /about/data shows: the registry's totals and its partnerships per source."""

    stats: RegistryStats
    by_source: list[FacetValue]


class Anniversary(BaseModel):
    partnership_id: int
    when: str = Field(description="YYYY-MM-DD, or YYYY-MM / YYYY when the signing date is vaguer.")
    precision: Literal["day", "month", "year"]
    years: int
    established: str
    kind: str
    status: str
    home: PlaceSide
    partner: PlaceSide
    in_calendar: bool = Field(description="Known to the day, so in the .ics feed.")


class Anniversaries(BaseModel):
    """Round anniversaries in twelve months, soonest first (the twin of /anniversaries)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "office": EXAMPLE_PLACE, "start": "2026-12-01", "end": "2027-11-30", "total": 1,
        "in_calendar": 1, "undated": 26,
        "items": [{
            "partnership_id": 591, "when": "2027-06-14", "precision": "day", "years": 40,
            "established": "1987-06-14", "kind": "sister_city", "status": "active",
            "home": EXAMPLE_PLACE, "partner": EXAMPLE_PARTNER, "in_calendar": True,
        }],
    }]})  # fmt: skip

    office: PlaceSide | None
    start: str
    end: str
    total: int
    in_calendar: int
    undated: int = Field(description="The office's partnerships without a signing date.")
    items: list[Anniversary]


class PartnershipCreate(BaseModel):
    """A new partnership between two known places; level is inferred when left out."""

    model_config = ConfigDict(
        **_WRITE,
        json_schema_extra={"examples": [{
            "place_a_id": 105, "place_b_id": 20367, "kind": "friendship_city",
            "status": "active", "established": "1985-06-14", "signing_place": "Nanjing",
            "fields": ["culture", "education"], "source": "manual",
            "note": "Signed during the mayor's visit.",
        }]},
    )  # fmt: skip

    place_a_id: Id
    place_b_id: Id
    kind: Kind = "friendship_city"
    level: Level | None = None
    status: Status = "active"
    established: str | None = Field(None, max_length=20, examples=["1985", "1985-06-14"])
    signing_place: str | None = Field(None, max_length=limit(Partnership.signing_place))
    fields: list[str] | None = None
    source: str = Field("manual", min_length=1, max_length=limit(Partnership.source))
    source_ref: str | None = Field(None, max_length=limit(Partnership.source_ref))
    note: str | None = Field(None, max_length=5000)
    # A registry steward's evidence for an agreement signed outside Amity (the date signed is
    # `established`). Optional here so that a refusal (403) comes before a missing field (422);
    # the steward's act requires them.
    evidence_document: str | None = Field(None, max_length=300)
    evidence_source: str | None = Field(None, max_length=300)


class PartnershipUpdate(BaseModel):
    """Changes to a partnership; the two places stay (end it and create another to move)."""

    model_config = ConfigDict(
        **_WRITE,
        json_schema_extra={"examples": [{"status": "dormant", "note": "No exchange since 2016."}]},
    )

    kind: Kind | None = None
    level: Level | None = None
    status: Literal["proposed", "active", "dormant", "suspended"] | None = None
    established: str | None = Field(None, max_length=20)
    signing_place: str | None = Field(None, max_length=limit(Partnership.signing_place))
    fields: list[str] | None = None
    source: str | None = Field(None, min_length=1, max_length=limit(Partnership.source))
    source_ref: str | None = Field(None, max_length=limit(Partnership.source_ref))
    note: str | None = Field(None, max_length=5000)


class PartnershipEnd(BaseModel):
    """Ending a partnership: it stays in the registry with status terminated."""

    model_config = ConfigDict(
        **_WRITE,
        json_schema_extra={"examples": [
            {"ended_on": "2023-12-31", "reason": "Ended by both councils' decision."}
        ]},
    )  # fmt: skip

    ended_on: date
    reason: str | None = Field(None, max_length=2000)

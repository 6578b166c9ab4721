"""Pydantic shapes of cases: writes, the search query, and what reads return."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from amity.cases.models import Case
from amity.core.bounds import Id, Year
from amity.core.lengths import limit
from amity.core.listing import ListQuery

MAX_PER_PAGE = 100
FACETS = ("field", "mode", "year", "country", "place")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")


def _codes(values: list[str]) -> list[str]:
    codes = list(dict.fromkeys(v.strip() for v in values))
    bad = [c for c in codes if not _CODE.match(c)]
    if bad:
        raise ValueError(f"codes are lower-case words joined by _: {', '.join(bad)}")
    return codes


def _countries(values: list[str]) -> list[str]:
    codes = list(dict.fromkeys(v.strip().upper() for v in values))
    bad = [c for c in codes if not _ISO2.match(c)]
    if bad:
        raise ValueError(f"not ISO 3166-1 alpha-2 codes: {', '.join(bad)}")
    return codes


class CaseFields(BaseModel):
    """What a case says; every field may be given in Chinese, English or both."""

    model_config = ConfigDict(extra="forbid")

    title_zh: str | None = Field(None, max_length=limit(Case.title_zh))
    title_en: str | None = Field(None, max_length=limit(Case.title_en))
    summary_zh: str | None = Field(None, max_length=5000)
    summary_en: str | None = Field(None, max_length=5000)
    body_zh: str | None = Field(None, max_length=100_000)
    body_en: str | None = Field(None, max_length=100_000)
    lessons_zh: str | None = Field(None, max_length=20_000)
    lessons_en: str | None = Field(None, max_length=20_000)
    year: int | None = Field(None, ge=1900, le=2100)
    fields: list[str] = Field(default_factory=list, examples=[["agriculture"]])
    modes: list[str] = Field(default_factory=list, examples=[["investment"]])
    countries: list[str] = Field(
        default_factory=list, description="Countries named without a place (ISO 3166-1)."
    )
    place_ids: list[Id] = Field(default_factory=list)
    source: str | None = Field(
        None, max_length=limit(Case.source), description="The document cited."
    )
    source_url: str | None = Field(None, max_length=limit(Case.source_url))

    @field_validator("fields", "modes")
    @classmethod
    def _taxonomy_codes(cls, values: list[str]) -> list[str]:
        return _codes(values)

    @field_validator("countries")
    @classmethod
    def _iso2(cls, values: list[str]) -> list[str]:
        return _countries(values)

    @field_validator(
        "title_zh", "title_en", "summary_zh", "summary_en", "body_zh", "body_en",
        "lessons_zh", "lessons_en", "source", "source_url",
    )  # fmt: skip
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None


class CaseCreate(CaseFields):
    """A new case: a title in at least one language, and its source."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "title_zh": "友城合作建设农业示范园",
        "title_en": "A farming demonstration park built with a partner city",
        "summary_en": "Two partner cities set up a demonstration park for drip irrigation.",
        "year": 2016, "fields": ["agriculture"], "modes": ["investment"], "countries": ["IL"],
        "place_ids": [120], "source": "Provincial foreign affairs office yearbook 2017",
        "source_url": "https://example.org/yearbook-2017",
    }]})  # fmt: skip

    @model_validator(mode="after")
    def _needs_title_and_source(self) -> CaseCreate:
        if not (self.title_zh or self.title_en):
            raise ValueError("a case needs a title in Chinese or English")
        if not self.source:
            raise ValueError("a case needs its source (the document it is told from)")
        return self


class CaseUpdate(CaseFields):
    """Changes to a case: only the fields sent are changed."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"lessons_en": "Start with a pilot plot before a whole park.", "year": 2017}
    ]})  # fmt: skip


class CaseQuery(ListQuery):
    """A search: words (Chinese or English, "quoted phrases"), facet filters and a page."""

    q: str | None = Field(None, max_length=200)
    field: tuple[str, ...] = ()
    mode: tuple[str, ...] = ()
    year: tuple[Year, ...] = ()
    country: tuple[str, ...] = ()
    place: tuple[Id, ...] = ()
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)

    @field_validator("country")
    @classmethod
    def _iso2(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_countries(list(values)))


# What the API answers (service.case_dict, search.search_cases).
class CasePlace(BaseModel):
    id: int
    name: str
    name_zh: str | None
    country: str


class CaseRead(BaseModel):
    """A case in both languages, with its places, fields, modes and source."""

    id: int
    title_zh: str | None
    title_en: str | None
    summary_zh: str | None
    summary_en: str | None
    body_zh: str | None
    body_en: str | None
    lessons_zh: str | None
    lessons_en: str | None
    year: int | None
    source: str
    source_url: str | None
    fields: list[str]
    modes: list[str]
    countries: list[str]
    places: list[CasePlace]


class Highlight(BaseModel):
    """The titles and a snippet per language, as HTML with the matched words in <mark>."""

    title_zh: str | None
    title_en: str | None
    snippet_zh: str | None
    snippet_en: str | None


class CaseHit(CaseRead):
    highlight: Highlight


class TermCount(BaseModel):
    value: str
    count: int
    label_en: str
    label_zh: str


class CountryCount(BaseModel):
    value: str
    count: int
    name_en: str
    name_zh: str | None


class PlaceCount(BaseModel):
    value: int
    count: int
    name: str
    name_zh: str | None


class YearCount(BaseModel):
    value: int
    count: int


class CaseFacets(BaseModel):
    field: list[TermCount]
    mode: list[TermCount]
    year: list[YearCount]
    country: list[CountryCount]
    place: list[PlaceCount]


class CaseResults(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "total": 1, "page": 1, "per_page": 20,
        "items": [{
            "id": 7, "title_zh": "温州城市外交案例研究合作",
            "title_en": "Wenzhou's city diplomacy case-study cooperation",
            "summary_zh": None, "summary_en": "The Institute and the Wenzhou Foreign Affairs "
            "Office signed an agreement on city-diplomacy case studies.",
            "body_zh": None, "body_en": None, "lessons_zh": None,
            "lessons_en": "Practice is written down and shared while it is fresh.",
            "year": 2014, "source": "The Charhar Institute (2014)", "source_url": None,
            "fields": [], "modes": ["forum"], "countries": ["CN"],
            "places": [{"id": 120, "name": "Wenzhou", "name_zh": "温州市", "country": "CN"}],
            "highlight": {"title_zh": "<mark>温州</mark>城市外交案例研究合作",
                          "title_en": "<mark>Wenzhou</mark>&#x27;s city diplomacy case-study "
                          "cooperation", "snippet_zh": None, "snippet_en": None},
        }],
        "facets": {
            "field": [], "mode": [{"value": "forum", "count": 1, "label_en": "Forum",
                                   "label_zh": "论坛"}],
            "year": [{"value": 2014, "count": 1}],
            "country": [{"value": "CN", "count": 1, "name_en": "China", "name_zh": "中国"}],
            "place": [{"value": 120, "count": 1, "name": "Wenzhou", "name_zh": "温州市"}],
        },
    }]})  # fmt: skip

    """One page of matching cases, best first, with facet counts (each ignoring its filter)."""

    total: int
    page: int
    per_page: int
    items: list[CaseHit]
    facets: CaseFacets

"""Pydantic shapes of what the places API answers: a place's summary, a name's candidates."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class PlaceSummary(BaseModel):
    """One place (service.place_summary)."""

    id: int
    name: str
    name_zh: str | None
    name_zh_source: str | None
    country: str
    country_name: str | None
    country_name_zh: str | None
    kind: str
    admin_level: str | None
    lat: float | None
    lon: float | None
    population: int | None
    wikidata: str | None
    geonames_id: int | None
    gb_code: str | None
    province_code: str | None
    region3: str | None


class Candidate(BaseModel):
    """A candidate place for a name, with a score in 0..1."""

    id: int
    name: str
    name_zh: str | None
    country: str
    kind: str
    lat: float | None
    lon: float | None
    score: float
    wikidata: str | None


class Resolution(BaseModel):
    """The candidates for a name, best first; `status` says whether one is the answer."""

    query: str
    status: Literal["resolved", "ambiguous", "unresolved"]
    matches: list[Candidate]


class Suggestion(BaseModel):
    """A place as the autocomplete lists it: its name in the page's language, and where it is."""

    id: int
    name: str
    context: str
    kind: str


class Suggestions(BaseModel):
    """The places a name being typed may stand for, best first (GET /api/v1/places/suggest)."""

    query: str
    status: Literal["resolved", "ambiguous", "unresolved"]
    suggestions: list[Suggestion]

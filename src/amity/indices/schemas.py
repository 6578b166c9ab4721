"""Pydantic shapes of what the index API answers. Pillar codes depend on the framework
(frameworks/*.toml), so pillar scores are maps from a pillar's code to its score."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from amity.core.warm import AsOf

Pillars = dict[str, float | None]
Bilingual = dict[str, str]  # {"en": ..., "zh": ...}


class Pillar(BaseModel):
    code: str
    label: Bilingual
    description: Bilingual
    weight: float
    configured_weight: float
    available: bool


class IndexRow(BaseModel):
    """A place's score (0–100), pillar scores, rank, median rank and 5–95 % rank interval."""

    id: int
    name: str
    name_zh: str | None
    kind: str
    country: str
    province_code: str | None
    region3: str | None
    region4: str | None
    population: int | None
    population_band: str | None
    score: float | None
    rank: int
    median_rank: float
    rank_low: float
    rank_high: float
    pillars: Pillars
    degree: int


class Filters(BaseModel):
    country: str | None
    province: str | None
    region: str | None
    population_band: str | None


class Ranking(BaseModel):
    framework: str
    filters: Filters
    total: int
    page: int
    pages: int
    per_page: int
    runs: int = Field(description="Monte Carlo runs behind the rank intervals.")
    seed: int
    pillars: list[Pillar]
    places: list[IndexRow]
    as_of: AsOf | None = Field(None, description="The state of the data this ranking describes.")


class IndicatorValue(BaseModel):
    code: str
    pillar: str
    label: Bilingual
    value: float | None


class Peers(BaseModel):
    basis: str = Field(description="country_and_band, or country when too few peers.")
    count: int
    pillars: Pillars


class PlaceIndex(IndexRow):
    """A place's index, pillars, indicator values and its peers' mean pillars."""

    framework: str
    places_ranked: int
    pillar_info: list[Pillar]
    indicators: list[IndicatorValue]
    peers: Peers


class Comparison(BaseModel):
    framework: str
    a: PlaceIndex
    b: PlaceIndex


class FrameworkReport(BaseModel):
    """A framework as data, its method, sensitivity, robustness table and validation
    (docs/index.md); the indicators' and the analyses' rows are described there."""

    name: str
    title: Bilingual
    description: Bilingual
    reference: str | None
    method: dict[str, str]
    alternatives: dict[str, list[str]]
    weight_noise: float
    runs: int
    seed: int
    pillars: list[Pillar]
    indicators: list[dict[str, Any]]
    sensitivity: dict[str, float | None]
    factors: list[str]
    robustness: list[dict[str, Any]]
    validation: dict[str, Any]
    places: int
    seconds: dict[str, float]
    as_of: AsOf | None = None

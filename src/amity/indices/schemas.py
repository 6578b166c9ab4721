"""Pydantic shapes of what the index API answers. Pillar codes depend on the framework
(frameworks/*.yaml), so pillar scores are maps from a pillar's code to its score."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

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
    coverage: float = Field(
        description="Share of the level's places with a record in any of its indicators."
    )


class IndicatorCoverage(BaseModel):
    """Whether an indicator enters the level's index, and why not."""

    code: str
    pillar: str
    label: Bilingual
    absence: str = Field(description="What no record means: zero (registry counts) or unknown.")
    observed: int = Field(description="Places of the level with a record.")
    coverage: float = Field(description="Share of the level's places with a record.")
    available: bool = Field(description="True when it enters (coverage at the threshold or above).")
    excluded: str | None = Field(description="no_data or low_coverage when it does not enter.")


class CoverageRules(BaseModel):
    indicator_threshold: float = Field(description="Least share of places an indicator covers.")
    unit_threshold: float = Field(description="Least share of the entering indicators a place has.")
    indicators_entering: int
    indicators: int
    places_ranked: int
    places_not_ranked: int


class IndexRow(BaseModel):
    """A place's score (0–100), pillar scores, rank, median rank and 5–95 % rank interval, and
    its data coverage; a place with too little data is not ranked (ranked false, no rank)."""

    id: int
    name: str
    name_zh: str | None
    kind: str
    level: str = Field(description="city, subdivision1, subdivision2 or district.")
    country: str
    province_code: str | None
    region3: str | None
    region4: str | None
    population: int | None
    population_band: str | None
    ranked: bool
    coverage: float = Field(description="Share of the entering indicators with a record.")
    indicators_observed: int
    indicators_entering: int
    missing_pillars: list[str] = Field(
        description="Entering pillars without a record (not ranked)."
    )
    score: float | None
    rank: int | None = Field(description="Among the places of the same level.")
    country_rank: int | None = Field(description="Among those of the same country.")
    median_rank: float | None
    rank_low: float | None
    rank_high: float | None
    pillars: Pillars
    degree: int


class Filters(BaseModel):
    country: str | None
    province: str | None
    region: str | None
    population_band: str | None


class Ranking(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "framework": "prr", "level": "city", "levels": ["city"],
        "filters": {"country": None, "province": None, "region": None, "population_band": None},
        "total": 16563, "page": 1, "pages": 16563, "per_page": 1, "runs": 1000, "seed": 20130716,
        "coverage": {"indicator_threshold": 0.5, "unit_threshold": 0.66,
                     "indicators_entering": 5, "indicators": 12, "places_ranked": 16563,
                     "places_not_ranked": 0},
        "pillars": [{"code": "popularity", "label": {"en": "Popularity", "zh": "知名度"},
                     "description": {"en": "How many partners, how varied, and how far the "
                                     "snowball reaches.",
                                     "zh": "友城的数量、分布的多样性，以及“滚雪球”所及的范围。"},
                     "weight": 0.5, "configured_weight": 1.0, "available": True,
                     "coverage": 1.0}],
        "indicators": [{"code": "partners", "pillar": "popularity",
                        "label": {"en": "Partners", "zh": "友城数量"}, "absence": "zero",
                        "observed": 16563, "coverage": 1.0, "available": True,
                        "excluded": None}],
        "places": [{"id": 1785, "name": "Bethlehem", "name_zh": "伯利恒", "kind": "city",
                    "level": "city", "country": "PS", "province_code": None, "region3": None,
                    "region4": None, "population": 29019, "population_band": "under_100k",
                    "ranked": True, "coverage": 1.0, "indicators_observed": 5,
                    "indicators_entering": 5, "missing_pillars": [], "score": 100.0, "rank": 1,
                    "country_rank": 1, "median_rank": 1.0, "rank_low": 1.0, "rank_high": 117.0,
                    "pillars": {"popularity": 82.09, "reputation": None, "recognition": 100.0},
                    "degree": 91}],
        "unranked_total": 0, "unranked": [],
        "as_of": {"version": "c374bb3a77ced0c4", "built_at": "2026-12-03T15:16:39Z",
                  "current": True},
    }]})  # fmt: skip

    framework: str
    level: str
    levels: list[str]
    filters: Filters
    total: int
    page: int
    pages: int
    per_page: int
    runs: int = Field(description="Monte Carlo runs behind the rank intervals.")
    seed: int
    coverage: CoverageRules
    pillars: list[Pillar]
    indicators: list[IndicatorCoverage]
    places: list[IndexRow]
    unranked_total: int = Field(description="Places of the level not ranked: too little data.")
    unranked: list[IndexRow] = Field(description="The first of them, most data first.")
    as_of: AsOf | None = Field(None, description="The state of the data this ranking describes.")


class IndicatorValue(BaseModel):
    code: str
    pillar: str
    label: Bilingual
    value: float | None
    entered: bool


class Peers(BaseModel):
    basis: str = Field(description="country_and_band, or country when too few peers.")
    count: int
    pillars: Pillars


class PlaceIndex(IndexRow):
    """A place's index, pillars, indicator values and its peers' mean pillars."""

    framework: str
    places_ranked: int
    coverage_rules: CoverageRules
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
    level: str
    levels: list[str]
    coverage: CoverageRules
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

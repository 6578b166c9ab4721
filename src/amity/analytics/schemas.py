"""Pydantic shapes of what the analytics API answers.

The network report, the statistics and the layout balance are served as cached JSON text (the
models document them; they are not re-validated on each answer). Their inner sections are
described one level down: each is a table or a set of measures named in docs/analytics.md.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from amity.core.warm import AsOf


class MapPlace(BaseModel):
    id: int
    name: str
    name_zh: str | None
    country: str
    lat: float | None
    lon: float | None


class EgoPlace(MapPlace):
    hops: int = Field(description="Partnerships between this place and the centre.")


class EgoEdge(BaseModel):
    id: int
    source: int
    target: int
    kind: str
    level: str
    status: str


class EgoNetwork(BaseModel):
    """The places within `radius` partnerships of a place, and the partnerships among them."""

    center: EgoPlace
    radius: int
    nodes: list[EgoPlace]
    edges: list[EgoEdge]
    truncated: bool


class Lines(BaseModel):
    """Partnership lines for a map: pairs with coordinates, and the places at their ends."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "filter": {"place": 105}, "count": 1, "truncated": False,
        "places": [
            {"id": 105, "name": "Nanjing", "name_zh": "南京市", "country": "CN", "lat": 32.06,
             "lon": 118.8},
            {"id": 34112, "name": "Alsace", "name_zh": "阿尔萨斯", "country": "FR", "lat": 48.5,
             "lon": 7.5},
        ],
        "pairs": [[591, 105, 34112]],
    }]})  # fmt: skip

    filter: dict[str, str | int] = Field(description="The filters given: country, province, place.")
    count: int
    truncated: bool
    places: list[MapPlace]
    pairs: list[tuple[int, int, int]] = Field(description="[partnership id, place id, place id]")


Section = dict[str, Any]


class NetworkReport(BaseModel):
    """Every network measure of the registry (docs/analytics.md)."""

    nodes: int
    edges: int
    density: float | None
    assortativity: float | None
    components: Section
    degree: Section
    clustering: Section
    distances: Section
    centrality: Section
    communities: Section
    countries: Section
    geography: Section
    homophily: Section
    as_of: AsOf
    timings: dict[str, float] = Field(description="Seconds per part of the computation.")


class Statistics(BaseModel):
    """Partnerships counted for the world and the home country, and the coverage of the data."""

    scope: Section = Field(
        description="What was counted: continent or country (null: everything), named."
    )
    world: Section
    home: Section
    coverage: Section | None = Field(
        description="Against official counts; for CN, and only without a continent or country."
    )


class LayoutBalance(BaseModel):
    """Province inequality and partner-country concentration of the home country."""

    home: str
    provinces: Section
    partners: Section


class Choice(BaseModel):
    value: str
    label: str


class Dashboard(BaseModel):
    """The dashboard page's filter choices and the names its charts need (its twin)."""

    home: str
    countries: list[Choice]
    provinces: list[Choice]
    names: dict[str, Any] = Field(
        description="provinces: {code: {name, region3, capital}}; china_regions: {iso2: name}."
    )

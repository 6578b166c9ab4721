"""Index API: the ranking, a place's profile, two places compared, and a framework's method."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from amity.core.bounds import Id
from amity.http.deps import SESSION
from amity.indices import service
from amity.indices.schemas import Comparison, FrameworkReport, PlaceIndex, Ranking

router = APIRouter(prefix="/api/v1/index", tags=["index"])
FRAMEWORK = Query(None, pattern=r"^[a-z][a-z0-9_]*$", description="prr or friendly_exchange.")
LEVEL = Query(
    None, max_length=20,
    description="city (default, municipalities included), subdivision1, subdivision2, district.",
)  # fmt: skip


@router.get("", response_model=Ranking)
def get_ranking(
    framework: str | None = FRAMEWORK,
    level: str | None = LEVEL,
    country: str | None = Query(None, min_length=2, max_length=2, description="ISO2."),
    province: str | None = Query(None, pattern=r"^\d{2}0000$", description="GB/T 2260 code."),
    region: str | None = Query(None, max_length=20, description="east, central, west, northeast."),
    population_band: str | None = Query(None, max_length=20),
    page: Annotated[Id, Query()] = 1,
    session: Session = SESSION,
) -> dict[str, Any]:
    """One level's ranking: score (0–100), pillar scores, rank, median rank, 5–95 % rank
    interval and data coverage; the indicators left out and the places not ranked, with theirs."""
    return service.ranking(
        session, framework=framework, level=level, country=country, province=province,
        region=region, population_band=population_band, page=page,
    )  # fmt: skip


@router.get("/compare", response_model=Comparison)
def get_compare(
    a: Annotated[Id, Query()],
    b: Annotated[Id, Query()],
    framework: str | None = FRAMEWORK,
    session: Session = SESSION,
) -> dict[str, Any]:
    """Two places side by side."""
    return service.compare(session, a, b, framework=framework)


@router.get("/places/{place_id}", response_model=PlaceIndex)
def get_place_index(
    place_id: Id, framework: str | None = FRAMEWORK, session: Session = SESSION
) -> dict[str, Any]:
    """A place's index, pillars, indicator values and its peers' mean pillars."""
    return service.place_index(session, place_id, framework=framework)


@router.get("/methodology", response_model=FrameworkReport)
def get_methodology(
    framework: str | None = FRAMEWORK, level: str | None = LEVEL, session: Session = SESSION
) -> dict[str, Any]:
    """The twin of the page /index/methodology: the framework's report (default: the first)."""
    return service.framework_report(session, framework or None, level=level)


@router.get("/frameworks/{name}", response_model=FrameworkReport)
def get_framework(
    name: str, level: str | None = LEVEL, session: Session = SESSION
) -> dict[str, Any]:
    """A framework as data, its coverage rules, method, sensitivity, robustness and validation."""
    return service.framework_report(session, name, level=level)

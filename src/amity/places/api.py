"""Places over HTTP: name resolution and a place's summary."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.bounds import Id
from amity.http.deps import SESSION
from amity.places import service
from amity.places.resolve import resolve
from amity.places.schemas import PlaceSummary, Resolution, Suggestions

router = APIRouter(prefix="/api/v1", tags=["places"])
SessionDep = Annotated[Session, SESSION]


@router.get("/resolve", response_model=Resolution)
def resolve_name(
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="A place name.")],
    country: Annotated[str | None, Query(max_length=100, description="ISO code or name.")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    """Candidate places for a name, best first (`matches` is empty when nothing fits)."""
    return resolve(session, q, country=country, limit=limit).to_dict()


# Before /places/{place_id}, which would take "suggest" for an id.
@router.get("/places/suggest", response_model=Suggestions)
def suggest_places(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="A name being typed.")],
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
    lang: Annotated[Literal["en", "zh"] | None, Query(description="Names' language.")] = None,
) -> dict[str, Any]:
    """What the place autocomplete of the forms lists: names in `lang` (by default the page's
    language: its cookie or Accept-Language), each with its first-level division and country."""
    return service.suggest(session, q, lang or i18n.choose_locale(request), limit=limit)


@router.get("/places/{place_id}", response_model=PlaceSummary)
def get_place(session: SessionDep, place_id: Id) -> dict[str, Any]:
    """One place's summary."""
    return service.place_summary(service.get_place(session, place_id))

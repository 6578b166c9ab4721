"""Declared profiles: what a place says it does, needs and offers, and where two such lists meet."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.permissions import LOCAL_ADMIN, Actor, guard
from amity.core.errors import NotFound
from amity.matching.models import CityProfile
from amity.matching.schemas import ProfileWrite
from amity.places.models import Place

LISTS = ("industries", "needs", "offers", "fields")


def _terms(values: list[str]) -> set[str]:
    return {v.strip().casefold() for v in values if v and v.strip()}


def overlap(a: CityProfile | dict, b: CityProfile | dict) -> list[str]:
    """What two profiles have in common: fields, industries, and needs met by the other's offers."""

    def get(p, name: str) -> set[str]:
        return _terms(p[name] if isinstance(p, dict) else getattr(p, name))

    found = (
        get(a, "fields") & get(b, "fields")
        | get(a, "industries") & get(b, "industries")
        | get(a, "needs") & get(b, "offers")
        | get(a, "offers") & get(b, "needs")
    )
    return sorted(found)


def profile_matches(session: Session, place_id: int, ids: np.ndarray) -> list[list[str]]:
    """Per place id in `ids`, the terms its profile shares with the place's (empty if none)."""
    mine = session.scalar(select(CityProfile).where(CityProfile.place_id == place_id))
    result: list[list[str]] = [[] for _ in range(len(ids))]
    if mine is None:
        return result
    where = {int(pid): i for i, pid in enumerate(ids.tolist())}
    for other in session.scalars(select(CityProfile).where(CityProfile.place_id != place_id)):
        if other.place_id in where:
            result[where[other.place_id]] = overlap(mine, other)
    return result


def get_profile(session: Session, place_id: int) -> dict[str, Any]:
    """A place's declared profile (empty lists when it has none)."""
    if session.get(Place, place_id) is None:
        raise NotFound(f"No place with id {place_id}", {"place": place_id})
    profile = session.scalar(select(CityProfile).where(CityProfile.place_id == place_id))
    if profile is None:
        return {"place_id": place_id, **{name: [] for name in LISTS}, "note": None}
    return _row(profile)


def save_profile(
    session: Session, place_id: int, data: ProfileWrite, *, actor: Actor | str = LOCAL_ADMIN
) -> dict[str, Any]:
    """Create or replace a place's declared profile (its officers, or an administrator)."""
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound(f"No place with id {place_id}", {"place": place_id})
    who = guard(actor, "matching.profile.write", [place])
    profile = session.scalar(select(CityProfile).where(CityProfile.place_id == place_id))
    before = _row(profile) if profile is not None else None
    if profile is None:
        profile = CityProfile(place_id=place_id)
        session.add(profile)
    for name in LISTS:
        setattr(profile, name, sorted(_terms(getattr(data, name))))
    profile.note = data.note
    session.flush()
    after = _row(profile)
    audit.record(session, actor=who, action="save", entity="city_profile", entity_id=place_id,
                 before=before, after=after)  # fmt: skip
    return after


def _row(profile: CityProfile) -> dict[str, Any]:
    return {
        "place_id": profile.place_id,
        **{name: list(getattr(profile, name)) for name in LISTS},
        "note": profile.note,
    }

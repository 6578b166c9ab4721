"""The one permission table: who may do what, and over which places.

Services call `require(actor, action, places=...)` before they write, so the API, the pages
and the command line agree. An action is either open to a role everywhere (ANY) or only over
places inside the actor's scope (SCOPED): a provincial officer's province and its cities, a
city officer's city. A record touching several places (a partnership, an exchange) is in scope
when any of its places is: the home side is the officer's, the partner is abroad.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from amity.core.errors import Forbidden

ANY = "any"
SCOPED = "scoped"

NATIONAL = "national_admin"
PROVINCIAL = "provincial_officer"
CITY = "city_officer"
RESEARCHER = "researcher"
PUBLIC = "public"
ROLES = (NATIONAL, PROVINCIAL, CITY, RESEARCHER, PUBLIC)

_OFFICERS = {NATIONAL: ANY, PROVINCIAL: SCOPED, CITY: SCOPED}
_EVERYONE = {role: ANY for role in ROLES}

TABLE: dict[str, dict[str, str]] = {
    "partnership.write": _OFFICERS,
    "partnership.import": {NATIONAL: ANY},
    # Recording an agreement signed outside Amity, with its evidence, straight into the
    # registry: the one way in besides an approved proposal (docs/governance.md).
    "registry.steward": {NATIONAL: ANY},
    "exchange.write": _OFFICERS,
    "exchange.import": {NATIONAL: ANY},
    "exchange.taxonomy": {NATIONAL: ANY},
    "case.write": _OFFICERS,
    "event.write": _OFFICERS,
    "award.write": {NATIONAL: ANY},
    "matching.profile.write": _OFFICERS,
    "matching.note.write": _OFFICERS,
    "indices.import": {NATIONAL: ANY},
    # A city proposes its own pairs; a province its own and its cities' (provincial offices
    # broker most pairs). Four eyes keeps a province from deciding what it drafted.
    "proposal.draft": {NATIONAL: ANY, PROVINCIAL: SCOPED, CITY: SCOPED},
    "proposal.review.provincial": {NATIONAL: ANY, PROVINCIAL: SCOPED},
    "proposal.review.national": {NATIONAL: ANY},
    "proposal.read": {NATIONAL: ANY, PROVINCIAL: SCOPED, CITY: SCOPED, RESEARCHER: ANY},
    "participation.submit": _EVERYONE,
    "participation.vote": _EVERYONE,
    "participation.moderate": _OFFICERS,
    # The queue itself is open to officers; each item in it is filtered by "moderate".
    "participation.read_pending": {NATIONAL: ANY, PROVINCIAL: ANY, CITY: ANY},
    "data.export": {NATIONAL: ANY, PROVINCIAL: ANY, CITY: ANY, RESEARCHER: ANY},
    "user.manage": {NATIONAL: ANY},
    "audit.read": {NATIONAL: ANY},
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, a token's user, the local administrator or the public."""

    name: str
    role: str
    user_id: int | None = None
    # An officer's place (a province or a city) and its GB/T code and province code.
    place_id: int | None = None
    place_gb_code: str | None = None
    place_province_code: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.role != PUBLIC


PUBLIC_ACTOR = Actor(name="public", role=PUBLIC)
# The command line runs on the server: whoever can run it can already read the database.
LOCAL_ADMIN = Actor(name="local-admin", role=NATIONAL)


def actor_for(user: Any) -> Actor:
    """The Actor of a `User` row (its place's codes copied, so no session is needed later)."""
    place = user.place
    return Actor(
        name=user.username,
        role=user.role,
        user_id=user.id,
        place_id=user.place_id,
        place_gb_code=place.gb_code if place is not None else None,
        place_province_code=place.province_code if place is not None else None,
    )


def in_scope(actor: Actor, place: Any) -> bool:
    """Whether a place (anything with id, parent_id, province_code) is inside the actor's scope."""
    if actor.role == NATIONAL:
        return True
    if actor.place_id is None or place is None:
        return False
    if place.id == actor.place_id:
        return True
    if actor.role == PROVINCIAL:
        return place.parent_id == actor.place_id or (
            actor.place_gb_code is not None and place.province_code == actor.place_gb_code
        )
    return False


def can(actor: Actor, action: str, *, places: Iterable[Any] = ()) -> bool:
    """Whether the actor may do `action` over the given places (for SCOPED rules: any of them)."""
    if action not in TABLE:
        raise KeyError(f"No permission rule for {action!r}")
    rule = TABLE[action].get(actor.role)
    if rule == ANY:
        return True
    if rule == SCOPED:
        return any(in_scope(actor, place) for place in places)
    return False


def require(actor: Actor, action: str, places: Iterable[Any] = ()) -> None:
    """Raise Forbidden unless `can(actor, action, places=places)`."""
    places = list(places)
    if not can(actor, action, places=places):
        raise Forbidden(
            "You are not allowed to do this here." if actor.signed_in else "Sign in to do this.",
            {"action": action, "role": actor.role, "place_ids": [p.id for p in places if p]},
        )


def as_actor(actor: Actor | str) -> Actor:
    """The Actor behind a service call.

    The API and the pages always pass an Actor (the token's or the session's user). Code that
    runs on the server itself (the command line, importers, demo loaders) names itself with a
    string and acts as the local administrator: whoever runs it can already write the database.
    """
    return actor if isinstance(actor, Actor) else Actor(name=actor, role=NATIONAL)


def guard(actor: Actor | str, action: str, places: Iterable[Any] = ()) -> Actor:
    """`require` for a service: returns the Actor so the write can be audited under its name."""
    who = as_actor(actor)
    require(who, action, places)
    return who

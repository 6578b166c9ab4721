"""What the viewer may do on a page: forms and buttons are shown only to those who may use them
(the services refuse everyone else anyway; a button that can only fail misleads)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from amity.auth.permissions import TABLE, Actor, can
from amity.places.models import Place


def may_somewhere(actor: Actor, action: str) -> bool:
    """Whether the actor's role may do `action` over some place (its own scope, at least)."""
    return actor.signed_in and actor.role in TABLE[action]


def may_over(session: Session, actor: Actor, action: str, place_ids: Iterable[int]) -> bool:
    """Whether the actor may do `action` over these places (any of them, as the services ask)."""
    return can(actor, action, places=[session.get(Place, pid) for pid in place_ids])

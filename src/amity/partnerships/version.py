"""The registry's version: a number that changes with every write to partnerships, places or
countries (set by triggers, migration 0007), so that each process can tell in one indexed read
whether what it keeps in memory is still the database's state, whoever wrote."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.partnerships.models import RegistryVersion


def registry_version(session: Session) -> int | None:
    """The current version (None only if the row was removed by hand)."""
    return session.scalar(select(RegistryVersion.version).where(RegistryVersion.id == 1))

"""The registry's version: a number that changes with every write to partnerships, places or
countries (set by triggers, migration 0007), so that each process can tell in one indexed read
whether what it keeps in memory is still the database's state, whoever wrote."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from amity.core import cache, warm
from amity.core.errors import SchemaOutdated
from amity.partnerships.models import RegistryVersion

T = TypeVar("T")


def registry_version(session: Session) -> int:
    """The current version. A database without it (made by an older Amity, or its row removed by
    hand) is refused with the way out, `amity init`: what is kept in memory could not be told
    stale from fresh without it."""
    try:
        version = session.scalar(select(RegistryVersion.version).where(RegistryVersion.id == 1))
    except (OperationalError, ProgrammingError) as error:
        if RegistryVersion.__tablename__ not in inspect(session.get_bind()).get_table_names():
            raise SchemaOutdated(
                "The database was made by an older version of Amity: run `amity init` to "
                "upgrade its schema (nothing in it is lost)."
            ) from error
        raise
    if version is None:
        raise SchemaOutdated(
            "The registry's version row is missing (removed by hand?): run `amity init` to put "
            "it back (nothing else changes)."
        )
    return version


def ensure_version_row(session: Session) -> None:
    """Put the version row back if it is missing (`amity init`)."""
    row = session.get(RegistryVersion, 1)
    if row is None:
        # Random like the triggers' numbers: never one a process may remember for other data.
        session.add(RegistryVersion(id=1, version=secrets.randbits(62), identity=_identity()))
    elif row.identity is None:
        row.identity = _identity()


def _identity() -> int:
    """A database's identity (what a saved facet table is for): random, set once."""
    return secrets.randbits(62)


def registry_cached(session: Session, name: str, build: Callable[[], T]) -> T:
    """build()'s value for the registry's current state, kept in amity.core.cache under name
    (for this database) until the next write to partnerships, places or countries, by anyone.

    Callers share the returned object: treat it as read-only.
    """
    return cache.cached((cache.database_key(session), name), registry_version(session), build)


def registry_latest(
    session: Session,
    name: str,
    build: Callable[[Session], T],
    codec: warm.Codec[T] | None = None,
    *,
    wait: bool = False,
) -> warm.Warm[T]:
    """build(session)'s value for the registry's current state, or, while that is being built
    in the background after a write, the one for the state before (stamped as such). With a
    codec it is also kept in the database, for the next process. With `wait`, a stale value is
    rebuilt before answering (commands that exit; a place the old value does not know)."""
    return warm.latest(
        session, name, registry_version(session), build, codec,
        version_of=registry_version, background=not wait,
    )  # fmt: skip

"""The registry's version: a number that changes with every write to partnerships, places or
countries (set by triggers, migration 0007), so that each process can tell in one indexed read
whether what it keeps in memory is still the database's state, whoever wrote."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from amity.errors import SchemaOutdated
from amity.partnerships.models import RegistryVersion


def registry_version(session: Session) -> int | None:
    """The current version (None only if the row was removed by hand)."""
    try:
        return session.scalar(select(RegistryVersion.version).where(RegistryVersion.id == 1))
    except (OperationalError, ProgrammingError) as error:
        if RegistryVersion.__tablename__ not in inspect(session.get_bind()).get_table_names():
            raise SchemaOutdated(
                "The database was made by an older version of Amity: run `amity init` to "
                "upgrade its schema (nothing in it is lost)."
            ) from error
        raise

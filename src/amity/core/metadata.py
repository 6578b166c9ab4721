"""Every table on `Base.metadata` (for Alembic and the schema checks): each domain's `models`
room is imported by name, so the core never names a domain."""

from __future__ import annotations

from sqlalchemy import MetaData

from amity.core import (
    secrets,  # noqa: F401 (the server's keys, a table of the core)
    warm,  # noqa: F401 (stored heavy results, a table of the core)
)
from amity.core.db import Base
from amity.core.domains import rooms


def load() -> MetaData:
    """The metadata with every domain's tables on it."""
    rooms("models")
    return Base.metadata

"""Text lengths come from the model columns, in one place, so schemas and storage cannot drift.

SQLite does not enforce VARCHAR(n): a 100,000-character place name was stored in a
200-character column (PostgreSQL refused it with a driver error instead). Now:
- request schemas declare `max_length=limit(Model.column)` (422 with the field named);
- importers check their rows with `too_long` (the row is reported, the import all-or-nothing);
- every ORM flush checks each new or changed row against its columns (`InvalidInput`, 422), on
  both engines, so a path that forgets the first two still cannot store an oversize value.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event
from sqlalchemy.orm import InstrumentedAttribute, Session

from amity.core.errors import InvalidInput


def limit(attribute: InstrumentedAttribute) -> int:
    """The declared length of a String column, e.g. `limit(Place.name)` is 200."""
    length = getattr(attribute.property.columns[0].type, "length", None)
    if length is None:
        raise ValueError(f"{attribute} has no declared length")
    return length


def _limits(table) -> dict[str, int]:
    return {
        column.key: column.type.length
        for column in table.columns
        if isinstance(column.type, String) and column.type.length
    }


def too_long(model: type, values: dict[str, Any]) -> list[str]:
    """What in `values` (column key: value) is longer than its column of `model`, in words."""
    limits = _limits(model.__table__)
    return [
        f"{key} is longer than {limits[key]:,} characters ({len(value):,})"
        for key, value in values.items()
        if key in limits and isinstance(value, str) and len(value) > limits[key]
    ]


def check_row(obj: object) -> None:
    """Raise InvalidInput if a mapped object holds text longer than its column allows."""
    table = getattr(type(obj), "__table__", None)
    if table is None:
        return
    values = {key: getattr(obj, key, None) for key in _limits(table)}
    problems = too_long(type(obj), values)
    if problems:
        raise InvalidInput(
            f"{table.name}: {'; '.join(problems)}.", {"table": table.name, "problems": problems}
        )


@event.listens_for(Session, "before_flush")
def _check_lengths(session: Session, _context, _instances) -> None:
    for obj in (*session.new, *session.dirty):
        check_row(obj)

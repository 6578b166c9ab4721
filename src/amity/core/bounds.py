"""Bounds for every integer the outside world sends: ids, counts, page numbers, years.

An id or a page number past what the database holds reached the database (SQLite raises
OverflowError past 64 bits, PostgreSQL refuses past its 32-bit INTEGER) or Python's own limits
(`islice` past sys.maxsize), and answered 500. Every integer a route or a request schema takes
uses one of these types, so it is refused with 422 before any query runs. A test walks the
OpenAPI document and fails on an integer without a maximum (tests/security/test_input_bounds.py).
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le

# PostgreSQL's INTEGER, the type of every id and count column; SQLite's integers are wider.
INT_MAX = 2**31 - 1

Id = Annotated[int, Ge(1), Le(INT_MAX)]
"""A row's id (or anything counted from 1: a page number, a version, an edition)."""

Count = Annotated[int, Ge(0), Le(INT_MAX)]
"""A number of things (0 allowed)."""

Year = Annotated[int, Ge(1), Le(9999)]
"""A calendar year, as the four digits Amity's dates have."""


def parse_id(text: str | None) -> int | None:
    """An id typed into a form or a query string, or None if it is not one (or out of range)."""
    text = (text or "").strip()
    if not text.isdigit() or len(text) > len(str(INT_MAX)):
        return None
    value = int(text)
    return value if 1 <= value <= INT_MAX else None

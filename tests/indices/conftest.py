"""The analytics fixture registry (17 places, 15 partnerships), with the index cache emptied."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from amity.core import cache
from amity.core.db import session_scope
from amity.indices import service
from amity.places.models import PlaceName
from amity.places.name_table import invalidate_index
from amity.places.names import name_key

_spec = importlib.util.spec_from_file_location(
    "analytics_fixture_registry", Path(__file__).parent.parent / "analytics" / "conftest.py"
)
_fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixture)
build_registry = _fixture.build_registry


def _fresh(engine: Engine) -> Iterator[Engine]:
    with session_scope(engine) as session:
        build_registry(session)
        session.add_all(
            PlaceName(place_id=row[0], name=row[2], key=name_key(row[2]), lang="en")
            for row in _fixture.PLACES
        )
    cache.clear()
    service.clear()
    invalidate_index()
    yield engine
    cache.clear()
    service.clear()


@pytest.fixture
def registry(sqlite_engine: Engine) -> Iterator[Engine]:
    yield from _fresh(sqlite_engine)


@pytest.fixture
def registry_on_both(engine: Engine) -> Iterator[Engine]:
    yield from _fresh(engine)

"""One gazetteer per test session, loaded into a temporary SQLite file (about 3 s)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from amity.core import schema
from amity.core.db import make_engine, session_factory, session_scope
from amity.places.gazetteer import load_gazetteer


@pytest.fixture(scope="session")
def gazetteer_load(tmp_path_factory) -> Iterator[tuple[Engine, dict[str, int], float]]:
    """The engine of a database holding the whole gazetteer, the load's counts and its seconds."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('gazetteer') / 'amity.db'}")
    schema.upgrade(engine)
    started = time.perf_counter()
    with session_scope(engine) as session:
        counts = load_gazetteer(session)
    yield engine, counts, time.perf_counter() - started
    engine.dispose()


@pytest.fixture(scope="session")
def gazetteer_engine(gazetteer_load) -> Engine:
    return gazetteer_load[0]


@pytest.fixture
def gazetteer_copy(gazetteer_engine: Engine, tmp_path) -> Iterator[Engine]:
    """A private copy of the gazetteer, for a test that commits: the others share one database
    and must find it as loaded (test_counts counts its rows)."""
    path = tmp_path / "amity.db"
    source, target = sqlite3.connect(gazetteer_engine.url.database), sqlite3.connect(path)
    try:
        source.backup(target)  # a consistent copy, whatever the WAL still holds
    finally:
        source.close()
        target.close()
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def places_session(gazetteer_engine) -> Iterator[Session]:
    """A session on the gazetteer whose changes are rolled back afterwards."""
    session = session_factory(gazetteer_engine)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()

"""A gazetteer-loaded SQLite database, built once per test session and copied for each test.

Tests ask for `gazetteer_engine`; a PostgreSQL variant can replace it by overriding the fixture
(build from the shared `engine` fixture, then load the gazetteer once into a template).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from amity import schema
from amity.db import make_engine, session_scope
from amity.places import resolve
from amity.places.gazetteer import load_gazetteer

DATA = Path(__file__).parent / "data"


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "full_registry: loads the whole demo registry (slow)")


@pytest.fixture(scope="session")
def gazetteer_template(tmp_path_factory) -> Path:
    """A migrated SQLite file holding the gazetteer, made once."""
    path = tmp_path_factory.mktemp("gazetteer") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    with session_scope(engine) as session:
        load_gazetteer(session)
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


@pytest.fixture
def gazetteer_engine(gazetteer_template, tmp_path) -> Iterator[Engine]:
    """A fresh copy of the gazetteer database for one test."""
    path = tmp_path / "amity.db"
    shutil.copyfile(gazetteer_template, path)
    engine = make_engine(f"sqlite:///{path}")
    resolve.invalidate_index()
    yield engine
    engine.dispose()
    resolve.invalidate_index()


@pytest.fixture
def data_dir() -> Path:
    return DATA

"""Fresh migrated SQLite databases for the tests, copied from one migrated file.

Running the migrations on a new SQLite file takes half a second; copying a migrated file takes
milliseconds. The `sqlite_template` fixture (tests/conftest.py) migrates one file per worker;
tests that need an empty migrated database get a copy of it. The migrations themselves still run
there, and from an empty or an old database in tests/system/test_schema*.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy.engine import Engine

from amity.core import schema
from amity.core.db import make_engine


def migrate(path: Path) -> Path:
    """Migrate a new SQLite file at `path` and close it whole (the WAL checkpointed away)."""
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    engine.dispose()  # the last connection checkpoints and removes the WAL
    return path


def migrated_sqlite(template: Path, path: Path) -> Engine:
    """An engine on a copy of the migrated `template` made at `path`."""
    shutil.copyfile(template, path)
    return make_engine(f"sqlite:///{path}")

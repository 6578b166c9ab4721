"""Fresh migrated SQLite databases for the tests, copied from one migrated file.

Running the migrations on a new SQLite file takes half a second; copying a migrated file takes
milliseconds. The `sqlite_template` fixture (tests/conftest.py) migrates one file per worker;
tests that need an empty migrated database get a copy of it. The migrations themselves still run
there, and from an empty or an old database in tests/system/test_schema*.py.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
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


def shared_folder(factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder of this test run that every xdist worker sees."""
    base = factory.getbasetemp()  # a worker's is a subfolder of the run's
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """The folder's lock, held by one process of the run at a time."""
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A SQLite file made once per test run by `build(path)`, in a folder every xdist worker
    sees: whoever comes first builds it, the others wait on a lock. Tests copy it; never write
    to it."""
    folder = shared_folder(factory, name)
    built = folder / "amity.db"
    with locked(folder):
        if not built.exists():
            partial = folder / "building.db"
            partial.unlink(missing_ok=True)
            build(partial)
            partial.rename(built)  # only a complete build is ever seen
    return built

"""The demo registry for the tests that need it: built once per test run, copied per module.

`amity init --demo` takes more than a minute, and four modules need the demo registry as a user
gets it, with the recommender's weights learned (`amity recommend-learn` stores them in the
database). The first module to ask builds it with the command line, in a directory every xdist
worker can see (one build: whoever comes first, the others wait on a lock); each module then gets
its own copy of the SQLite file, so one module's writes never reach another's.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .live import AMITY


def _shared_dir(factory: pytest.TempPathFactory) -> Path:
    """The run's temporary root: one per run, shared by xdist workers (each has a subfolder)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def demo_template(factory: pytest.TempPathFactory) -> Path:
    """The demo database file of this run, built on first use."""
    folder = _shared_dir(factory) / "demo-template"
    folder.mkdir(exist_ok=True)
    built = folder / "amity.db"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not built.exists():
            partial = folder / "building.db"
            partial.unlink(missing_ok=True)
            env = {**os.environ, "AMITY_DATABASE_URL": f"sqlite:///{partial}"}
            for command in (["init", "--demo"], ["recommend-learn"]):
                subprocess.run([str(AMITY), *command], env=env, check=True,
                               capture_output=True, timeout=900)  # fmt: skip
            partial.rename(built)  # only a complete build is ever seen
    return built


def demo_copy(factory: pytest.TempPathFactory, name: str) -> str:
    """A private copy of the demo database; its SQLAlchemy URL."""
    target = factory.mktemp(name) / "amity.db"
    shutil.copyfile(demo_template(factory), target)
    return f"sqlite:///{target}"

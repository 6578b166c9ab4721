"""The demo registry for the tests that need it: built once per test run, copied per module.

`amity init --demo` takes more than a minute, and five modules need the demo registry as a user
gets it, with the recommender's weights learned (`amity recommend-learn` stores them in the
database). The first module to ask builds it with the command line, in a directory every xdist
worker can see (one build: whoever comes first, the others wait on a lock); each module then gets
its own copy of the SQLite file, so one module's writes never reach another's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .databases import built_once
from .live import AMITY


def _build(path: Path) -> None:
    env = {**os.environ, "AMITY_DATABASE_URL": f"sqlite:///{path}"}
    for command in (["init", "--demo"], ["recommend-learn"]):
        subprocess.run([str(AMITY), *command], env=env, check=True, capture_output=True,
                       timeout=900)  # fmt: skip


def demo_template(factory: pytest.TempPathFactory) -> Path:
    """The demo database file of this run, built on first use."""
    return built_once(factory, "demo-template", _build)


def demo_copy(factory: pytest.TempPathFactory, name: str) -> str:
    """A private copy of the demo database; its SQLAlchemy URL."""
    target = factory.mktemp(name) / "amity.db"
    shutil.copyfile(demo_template(factory), target)
    return f"sqlite:///{target}"

"""A database made by an older Amity (migrations not run): a clear message, not a traceback;
`amity init` upgrades it and keeps what it holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import text

from amity.core.db import make_engine
from amity.core.schema import alembic_config

AMITY = str(Path(sys.executable).with_name("amity"))


def test_an_old_schema_is_named_and_init_upgrades_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")  # the schema before the registry version
    engine.dispose()
    env = {**os.environ, "AMITY_DATABASE_URL": url}
    old = subprocess.run([AMITY, "stats"], env=env, capture_output=True, text=True)
    assert old.returncode == 2
    assert "run `amity init`" in " ".join(old.stderr.split())
    assert "Traceback" not in old.stderr
    subprocess.run([AMITY, "init"], env=env, check=True, capture_output=True)
    upgraded = subprocess.run([AMITY, "stats"], env=env, capture_output=True, text=True)
    assert upgraded.returncode == 0, upgraded.stderr
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM registry_version")).scalar() == 1
    engine.dispose()


def test_a_missing_version_row_is_named_and_init_puts_it_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'amity.db'}"
    env = {**os.environ, "AMITY_DATABASE_URL": url}
    subprocess.run([AMITY, "init"], env=env, check=True, capture_output=True)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM registry_version"))
    broken = subprocess.run([AMITY, "stats"], env=env, capture_output=True, text=True)
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
    assert "version row is missing" in broken.stderr and "run `amity init`" in broken.stderr
    subprocess.run([AMITY, "init"], env=env, check=True, capture_output=True)
    assert subprocess.run([AMITY, "stats"], env=env, capture_output=True).returncode == 0
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM registry_version")).scalar() == 1
    engine.dispose()

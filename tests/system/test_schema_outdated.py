"""A database made by an older Amity (migrations not run): a clear message, not a traceback;
`amity init` upgrades it and keeps what it holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import text

from amity.db import make_engine
from amity.schema import alembic_config

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

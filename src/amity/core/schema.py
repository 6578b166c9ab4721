"""Create or upgrade the database schema with Alembic, one host at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

# PostgreSQL advisory lock keys (any 64-bit numbers no other program on the database uses): one
# for Alembic's upgrade, one for the whole of `amity init` around it (two keys, because init's
# lock is held on a connection of its own while the upgrade runs on another).
MIGRATION_LOCK = 0x616D697479_01  # "amity", 1
INIT_LOCK = 0x616D697479_02


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "amity:migrations")
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is already there).

    On PostgreSQL the upgrade runs under a transaction-level advisory lock: hosts starting at
    once run it one after the other, and the later ones find the schema at the head already (the
    lock ends with the transaction, so a killed process never leaves it held)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def exclusive(engine: Engine, key: int = INIT_LOCK) -> Iterator[None]:
    """Hold a PostgreSQL advisory lock for the block (on a connection of its own); other
    processes asking for the same key wait. SQLite (one host) needs none."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


def head_revisions(engine: Engine) -> set[str]:
    """The revisions this code's migrations end at."""
    return set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def known_revisions(engine: Engine) -> set[str]:
    """Every revision this code's migrations know (one they do not know is from a newer Amity)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    return {revision.revision for revision in script.walk_revisions()}


def current_revisions(connection: Connection) -> set[str]:
    """The revisions the database's schema is at (empty: never migrated). Read from Alembic's
    table directly: a MigrationContext would log two lines at each call (each /readyz)."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())

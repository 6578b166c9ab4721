"""The migrations build the same schema on both engines, and upgrading twice is harmless."""

from sqlalchemy import inspect

from amity.core import schema
from amity.core.metadata import load


def test_migrations_create_every_table(engine):
    tables = set(inspect(engine).get_table_names())
    every = set(load().tables)
    # each domain's models room, and the core's own table, are found by name
    assert {"places", "partnerships", "proposals", "submissions", "server_secrets"} <= every
    assert every <= tables
    assert "alembic_version" in tables


def test_upgrade_is_idempotent(engine):
    schema.upgrade(engine)
    assert "places" in inspect(engine).get_table_names()

"""Regenerate the first migration from the models (only while nothing is released)."""

from alembic import command

from amity.core.db import make_engine
from amity.core.schema import alembic_config

engine = make_engine("sqlite:////tmp/gen.db")
config = alembic_config(engine)
with engine.begin() as connection:
    config.attributes["connection"] = connection
    command.revision(config, message="places and partnerships", autogenerate=True, rev_id="0001")

"""Alembic environment: runs against the connection handed over by amity.core.schema."""

from alembic import context

from amity.core.db import get_engine
from amity.core.metadata import load

config = context.config
target_metadata = load()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with get_engine(config.get_main_option("sqlalchemy.url") or None).begin() as conn:
        _run(conn)


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave full-text search tables to their migrations: they are not models (FTS5 shadows)."""
    return not (type_ == "table" and reflected and compare_to is None and "search" in name)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()

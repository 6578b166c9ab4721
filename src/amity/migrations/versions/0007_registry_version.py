"""registry version: one number that every write to the registry changes, by trigger

Revision ID: 0007
Revises: 0006

In-memory readers (the facet index, the analytics cache, the recommender's arrays) used to
fingerprint the registry with counts, maxima and sums on every request: a full scan that costs
hundreds of milliseconds on PostgreSQL at millions of rows. They now read this one row. Triggers
set it to a new random number after any INSERT, UPDATE or DELETE on partnerships, places or
countries: per statement on PostgreSQL (TRUNCATE too), per row on SQLite, which has no statement
triggers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("partnerships", "places", "countries")

_PG_FUNCTION = """
CREATE FUNCTION registry_version_bump() RETURNS trigger AS $$
BEGIN
    UPDATE registry_version SET version = floor(random() * 9.0e18)::bigint - 4500000000000000000
        WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def upgrade() -> None:
    op.create_table(
        "registry_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_version")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(
        "INSERT INTO registry_version (id, version) VALUES (1, "
        + ("floor(random() * 9.0e18)::bigint - 4500000000000000000)" if postgres else "random())")
    )
    if postgres:
        op.execute(_PG_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER registry_version_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION registry_version_bump()"
            )
        return
    for table in TABLES:
        for action in ("insert", "update", "delete"):
            op.execute(
                f"CREATE TRIGGER registry_version_{table}_{action} AFTER {action.upper()} "
                f"ON {table} BEGIN UPDATE registry_version SET version = random() WHERE id = 1; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER registry_version_{table} ON {table}")
        op.execute("DROP FUNCTION registry_version_bump()")
    else:
        for table in TABLES:
            for action in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER registry_version_{table}_{action}")
    op.drop_table("registry_version")

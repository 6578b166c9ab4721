"""registry changes: a log of the partnership rows each write touched, by trigger

Revision ID: 0013
Revises: 0012

The registry version (0007) says *that* the registry changed; this log says *what* changed, so
that a process keeping the registry's facet table in memory (or on disk) patches the rows that
changed instead of rebuilding it all. Triggers add one row per partnership row inserted, updated
or deleted (its id), and for a write to places or countries, which is rare and may touch what
every row shows, one marker row without an id (readers rebuild): on PostgreSQL one per statement
(TRUNCATE of partnerships too), on SQLite, which has only row triggers, the latest marker is
replaced rather than one added per row. A place inserted changes no partnership and is not logged.

On PostgreSQL the triggers first lock the registry version's row, which every registry write
updates and holds until it commits: sequence numbers are then handed out in commit order, and a
reader never sees a change without the earlier ones. The log keeps its last KEEP rows: a trigger
prunes older ones every thousandth row (a reader further behind rebuilds).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

KEEP = 50_000

_PG_FUNCTIONS = f"""
CREATE FUNCTION registry_changes_rows() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM registry_version WHERE id = 1 FOR UPDATE;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO registry_changes (table_name, row_id)
            SELECT 'partnerships', id FROM new_rows ORDER BY id;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO registry_changes (table_name, row_id)
            SELECT 'partnerships', id FROM old_rows ORDER BY id;
    ELSE
        INSERT INTO registry_changes (table_name, row_id)
            SELECT 'partnerships', id FROM (SELECT id FROM new_rows UNION SELECT id FROM old_rows)
            AS touched ORDER BY id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION registry_changes_marker() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM registry_version WHERE id = 1 FOR UPDATE;
    INSERT INTO registry_changes (table_name, row_id) VALUES (TG_TABLE_NAME, NULL);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION registry_changes_prune() RETURNS trigger AS $$
BEGIN
    DELETE FROM registry_changes WHERE seq <= NEW.seq - {KEEP};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

# (trigger name, table, events) of the marker triggers
_MARKERS = (
    ("places", "UPDATE OR DELETE OR TRUNCATE"),
    ("countries", "INSERT OR UPDATE OR DELETE OR TRUNCATE"),
    ("partnerships", "TRUNCATE"),
)


def upgrade() -> None:
    # Which database this is, for state kept outside it (a facet table saved in the data
    # directory): a new database, even at the same path, has another number.
    op.add_column("registry_version", sa.Column("identity", sa.BigInteger(), nullable=True))
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(
        "UPDATE registry_version SET identity = "
        + ("floor(random() * 9.0e18)::bigint - 4500000000000000000" if postgres else "random()")
    )
    op.create_table(
        "registry_changes",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("table_name", sa.String(length=20), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_registry_changes")),
        # Never reuse a number (SQLite's AUTOINCREMENT), even after pruning.
        sqlite_autoincrement=True,
    )
    if postgres:
        _postgres()
    else:
        _sqlite()


def _postgres() -> None:
    op.execute(_PG_FUNCTIONS)
    for action, referencing in (
        ("insert", "NEW TABLE AS new_rows"),
        ("update", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        ("delete", "OLD TABLE AS old_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER registry_changes_partnerships_{action} AFTER {action.upper()} "
            f"ON partnerships REFERENCING {referencing} FOR EACH STATEMENT "
            "EXECUTE FUNCTION registry_changes_rows()"
        )
    for table, events in _MARKERS:
        op.execute(
            f"CREATE TRIGGER registry_changes_{table}_marker AFTER {events} ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION registry_changes_marker()"
        )
    op.execute(
        "CREATE TRIGGER registry_changes_prune AFTER INSERT ON registry_changes FOR EACH ROW "
        "WHEN (NEW.seq % 1000 = 0) EXECUTE FUNCTION registry_changes_prune()"
    )


def _sqlite() -> None:
    for action, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
        op.execute(
            f"CREATE TRIGGER registry_changes_partnerships_{action} AFTER {action.upper()} "
            f"ON partnerships BEGIN INSERT INTO registry_changes (table_name, row_id) "
            f"VALUES ('partnerships', {row}.id); END"
        )
    # An update that changes a row's id logs the old id too.
    op.execute(
        "CREATE TRIGGER registry_changes_partnerships_renumber AFTER UPDATE OF id ON partnerships "
        "WHEN OLD.id <> NEW.id BEGIN INSERT INTO registry_changes (table_name, row_id) "
        "VALUES ('partnerships', OLD.id); END"
    )
    for table, events in _MARKERS:
        for action in ("insert", "update", "delete"):
            if action.upper() not in events:
                continue
            op.execute(
                f"CREATE TRIGGER registry_changes_{table}_{action} AFTER {action.upper()} "
                f"ON {table} BEGIN "
                # The latest row, if a marker, is replaced: one marker per run of writes.
                "DELETE FROM registry_changes WHERE row_id IS NULL "
                "AND seq = (SELECT max(seq) FROM registry_changes); "
                f"INSERT INTO registry_changes (table_name, row_id) VALUES ('{table}', NULL); END"
            )
    op.execute(
        "CREATE TRIGGER registry_changes_prune AFTER INSERT ON registry_changes "
        f"WHEN NEW.seq % 1000 = 0 BEGIN DELETE FROM registry_changes WHERE seq <= NEW.seq - {KEEP}; "
        "END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for action in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER registry_changes_partnerships_{action} ON partnerships")
        for table, _events in _MARKERS:
            op.execute(f"DROP TRIGGER registry_changes_{table}_marker ON {table}")
        op.execute("DROP TRIGGER registry_changes_prune ON registry_changes")
        for function in ("rows", "marker", "prune"):
            op.execute(f"DROP FUNCTION registry_changes_{function}()")
    else:
        for action in ("insert", "update", "delete", "renumber"):
            op.execute(f"DROP TRIGGER registry_changes_partnerships_{action}")
        for table, events in _MARKERS:
            for action in ("insert", "update", "delete"):
                if action.upper() in events:
                    op.execute(f"DROP TRIGGER registry_changes_{table}_{action}")
        op.execute("DROP TRIGGER registry_changes_prune")
    op.drop_table("registry_changes")
    # Plain ALTER (SQLite 3.35+): a batch copy of the table would trip over 0007's triggers.
    op.execute("ALTER TABLE registry_version DROP COLUMN identity")

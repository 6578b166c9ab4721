"""field_provenance: where each synced field came from (source, retrieval time, statement)

Revision ID: 0012
Revises: 0011

`amity sync wikidata` fills signing dates, names, populations and coordinates from Wikidata.
Each field it writes gets a row here with the value written, so that a later sync refreshes
only its own values and never one a person entered or changed since.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("statement", sa.String(length=120), nullable=True),
        sa.Column("retrieved_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"],
            name=op.f("fk_field_provenance_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_provenance")),
        sa.UniqueConstraint("entity", "entity_id", "field", name="uq_field_provenance"),
    )


def downgrade() -> None:
    op.drop_table("field_provenance")

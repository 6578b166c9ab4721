"""city-diplomacy index: external indicators

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "index_indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_index_indicator_values_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_index_indicator_values_place_id_places")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_indicator_values")),
        sa.UniqueConstraint(
            "place_id", "indicator", "year", name="uq_index_indicator_values_once"
        ),
    )
    op.create_index(
        op.f("ix_index_indicator_values_place_id"), "index_indicator_values", ["place_id"]
    )
    op.create_index(
        op.f("ix_index_indicator_values_indicator"), "index_indicator_values", ["indicator"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_index_indicator_values_indicator"), table_name="index_indicator_values")
    op.drop_index(op.f("ix_index_indicator_values_place_id"), table_name="index_indicator_values")
    op.drop_table("index_indicator_values")

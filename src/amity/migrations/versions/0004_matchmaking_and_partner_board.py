"""partner matchmaking and the partner-seeking board

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "city_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
            name=op.f("fk_city_profiles_place_id_places"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_profiles")),
        sa.UniqueConstraint("place_id", name=op.f("uq_city_profiles_place_id")),
    )
    op.create_table(
        "board_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("seeks_countries", sa.JSON(), nullable=False),
        sa.Column("seeks_continents", sa.JSON(), nullable=False),
        sa.Column("seeks_size", sa.String(length=10), nullable=False),
        sa.Column("seeks_fields", sa.JSON(), nullable=False),
        sa.Column("offers_fields", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
            name=op.f("fk_board_notes_place_id_places"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_notes")),
    )
    op.create_index(op.f("ix_board_notes_place_id"), "board_notes", ["place_id"])
    op.create_index(op.f("ix_board_notes_status"), "board_notes", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_board_notes_status"), table_name="board_notes")
    op.drop_index(op.f("ix_board_notes_place_id"), table_name="board_notes")
    op.drop_table("board_notes")
    op.drop_table("city_profiles")

"""steward records: partnerships entered by a registry steward, with their evidence

Revision ID: 0008
Revises: 0007

A new pairing enters the registry through an approved proposal. The other way in is the
steward's act: recording an agreement signed outside Amity, with the document, the date it was
signed and where the evidence is kept. This table keeps that act beside the partnership so the
partnership's page can say who recorded it, when, and on what evidence.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "steward_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("steward", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("document", sa.String(length=300), nullable=False),
        sa.Column("signed_on", sa.String(length=10), nullable=False),
        sa.Column("evidence_source", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"], ["partnerships.id"],
            name=op.f("fk_steward_records_partnership_id_partnerships"), ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steward_records")),
        sa.UniqueConstraint("partnership_id", name=op.f("uq_steward_records_partnership_id")),
    )


def downgrade() -> None:
    op.drop_table("steward_records")

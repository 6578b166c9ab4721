"""warm states: heavy results kept in the database per version of the data they describe

Revision ID: 0014
Revises: 0013

The network report, the published index and the recommender's learned weights took seconds to
minutes to compute and were recomputed by every worker after every start and every write. They
are now stored here (amity.core.warm) with the version of the data they describe, and a lease
(`building_since`) so that one process at a time builds the next version.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "warm_states",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=True),
        sa.Column("built_at", sa.DateTime(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("building_since", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_warm_states")),
    )


def downgrade() -> None:
    op.drop_table("warm_states")

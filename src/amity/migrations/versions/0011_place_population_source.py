"""places.population_source: where a place's population comes from

Revision ID: 0011
Revises: 0010

Values: "geonames", "wikidata" (the Wikidata P190 files), NULL when the population is unknown.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


# Plain ADD COLUMN (not batch mode): a batch copy would drop the registry-version triggers (0007).
def upgrade() -> None:
    op.add_column("places", sa.Column("population_source", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("places", "population_source")

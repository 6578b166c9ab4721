"""places.name_zh_source: where a place's Chinese name came from and which rule converted it

Revision ID: 0010
Revises: 0009

Values: "cn-divisions" (GB/T 2260 facts), "geonames" (a GeoNames alternate already in mainland
form), "geonames+opencc-jp" (Japanese kanji converted, OpenCC jp2t then t2s),
"geonames+opencc-t2s" (traditional characters converted), "geonames+exonym-table" (a Taiwan or
Hong Kong rendering replaced by the mainland one), or the source of an imported place. NULL when
the place has no Chinese name.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


# Plain ADD COLUMN (not batch mode): SQLite supports it, and a batch copy of the table would
# drop the registry-version triggers of revision 0007.
def upgrade() -> None:
    op.add_column("places", sa.Column("name_zh_source", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("places", "name_zh_source")

"""keyed audit chain, and the address of each public vote

Revision ID: 0009
Revises: 0008

audit_log.keyed: rows from now on are chained with HMAC-SHA256 under a key kept outside the
database (amity.auth.audit_key). The rows already there keep their plain sha256 hashes and are
marked keyed = false; the first keyed row chains onto the last of them, so `amity audit verify`
still checks the whole chain, and an unkeyed row after a keyed one counts as a break. The
column is added in place (no table rebuild), so SQLite's append-only triggers stay as they are.

submission_votes.address_hash: a keyed hash of the voter's address, so that throwing the browser
cookie away does not give another vote (at most a few per item per address a day). Older votes
have none.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "audit_log",
        sa.Column("keyed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("submission_votes", sa.Column("address_hash", sa.String(length=64)))
    op.create_index(op.f("ix_submission_votes_address_hash"), "submission_votes", ["address_hash"])


def downgrade() -> None:
    op.drop_index(op.f("ix_submission_votes_address_hash"), table_name="submission_votes")
    # In place (SQLite 3.35+ drops columns itself): a batch rebuild would lose the triggers.
    op.drop_column("submission_votes", "address_hash")
    op.drop_column("audit_log", "keyed")

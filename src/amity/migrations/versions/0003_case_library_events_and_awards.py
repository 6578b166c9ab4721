"""case library, events and awards

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = (
    "award_scores", "award_nominations", "award_editions", "award_types",
    "event_sessions", "events", "case_places", "case_tags", "cases",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "award_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_types")),
        sa.UniqueConstraint("code", name=op.f("uq_award_types_code")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("summary_zh", sa.Text(), nullable=True),
        sa.Column("summary_en", sa.Text(), nullable=True),
        sa.Column("body_zh", sa.Text(), nullable=True),
        sa.Column("body_en", sa.Text(), nullable=True),
        sa.Column("lessons_zh", sa.Text(), nullable=True),
        sa.Column("lessons_en", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_index(op.f("ix_cases_year"), "cases", ["year"], unique=False)
    op.create_index(op.f("ix_cases_updated_at"), "cases", ["updated_at"], unique=False)
    op.create_table(
        "case_tags",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_tags_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "kind", "code", name=op.f("pk_case_tags")),
    )
    op.create_table(
        "case_places",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_places_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_case_places_place_id_places")
        ),
        sa.PrimaryKeyConstraint("case_id", "place_id", name=op.f("pk_case_places")),
    )
    op.create_index(op.f("ix_case_places_place_id"), "case_places", ["place_id"], unique=False)
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=300), nullable=True),
        sa.Column("name_en", sa.String(length=300), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("series", sa.String(length=40), nullable=True),
        sa.Column("edition", sa.Integer(), nullable=True),
        sa.Column("theme_zh", sa.String(length=500), nullable=True),
        sa.Column("theme_en", sa.String(length=500), nullable=True),
        sa.Column("organisers", sa.JSON(), nullable=False),
        sa.Column("co_sponsors", sa.JSON(), nullable=False),
        sa.Column("speakers", sa.JSON(), nullable=False),
        sa.Column("starts", sa.String(length=10), nullable=True),
        sa.Column("ends", sa.String(length=10), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("venue", sa.String(length=300), nullable=True),
        sa.Column("attendance", sa.Integer(), nullable=True),
        sa.Column("description_zh", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_events_place_id_places")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_kind"), "events", ["kind"], unique=False)
    op.create_index(op.f("ix_events_place_id"), "events", ["place_id"], unique=False)
    op.create_index(op.f("ix_events_series"), "events", ["series"], unique=False)
    op.create_index(op.f("ix_events_start_year"), "events", ["start_year"], unique=False)
    op.create_table(
        "award_editions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("winners_per_award", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_award_editions_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_editions")),
        sa.UniqueConstraint("year", name=op.f("uq_award_editions_year")),
    )
    op.create_table(
        "event_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("starts_at", sa.String(length=16), nullable=True),
        sa.Column("ends_at", sa.String(length=16), nullable=True),
        sa.Column("speakers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_sessions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_sessions")),
    )
    op.create_index(
        op.f("ix_event_sessions_event_id"), "event_sessions", ["event_id"], unique=False
    )
    op.create_table(
        "award_nominations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("award_type_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("citation_zh", sa.Text(), nullable=True),
        sa.Column("citation_en", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "partnership_id IS NOT NULL OR place_id IS NOT NULL",
            name=op.f("ck_award_nominations_nominee_given"),
        ),
        sa.ForeignKeyConstraint(
            ["award_type_id"],
            ["award_types.id"],
            name=op.f("fk_award_nominations_award_type_id_award_types"),
        ),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["award_editions.id"],
            name=op.f("fk_award_nominations_edition_id_award_editions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_award_nominations_partnership_id_partnerships"),
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_award_nominations_place_id_places")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_nominations")),
    )
    op.create_index(
        op.f("ix_award_nominations_award_type_id"),
        "award_nominations",
        ["award_type_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_award_nominations_edition_id"), "award_nominations", ["edition_id"], unique=False
    )
    op.create_table(
        "award_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("judge", sa.String(length=100), nullable=False),
        sa.Column("criterion", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 10", name=op.f("ck_award_scores_score_range")),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["award_nominations.id"],
            name=op.f("fk_award_scores_nomination_id_award_nominations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_scores")),
        sa.UniqueConstraint("nomination_id", "judge", "criterion", name="uq_award_scores_once"),
    )
    op.create_index(
        op.f("ix_award_scores_nomination_id"), "award_scores", ["nomination_id"], unique=False
    )

    op.create_index("ix_case_tags_kind_code", "case_tags", ["kind", "code", "case_id"])
    _create_search_index()


def _create_search_index() -> None:
    """The case search index: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL.

    Both hold text that amity.cases.text has already cut into words (jieba for Chinese), so
    neither engine's own tokenizer has to know where Chinese words end.
    """
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE case_search USING fts5("
            "title, summary, body, extra, tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN "
            "DELETE FROM case_search WHERE rowid = old.id; END"
        )
        return
    op.execute(
        "CREATE TABLE case_search ("
        "case_id integer PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE, "
        "document tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX ix_case_search_document ON case_search USING gin (document)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS cases_search_delete")
    op.execute("DROP TABLE IF EXISTS case_search")
    for table in TABLES:
        op.drop_table(table)

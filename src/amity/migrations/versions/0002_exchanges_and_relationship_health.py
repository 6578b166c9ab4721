"""exchanges and relationship health

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The modes and fields the seeds name; administrators add more (`amity exchanges taxonomy add`).
MODES = [
    ("high_level_visit", "High-level visit", "高层互访"),
    ("people_to_people_visit", "People-to-people visit", "民间交往"),
    ("forum", "Forum", "论坛"),
    ("seminar", "Seminar", "研讨会"),
    ("investment", "Investment", "投资合作"),
    ("partner_assistance", "Partner assistance", "对口援助"),
    ("exhibition", "Exhibition", "展览"),
    ("university_federation", "University federation", "大学联盟"),
    ("student_exchange", "Student exchange", "学生交流"),
    ("summer_camp", "Summer camp", "夏令营"),
    ("cultural_performance", "Cultural performance", "文艺演出"),
    ("training", "Training", "培训"),
    ("sports_event", "Sports event", "体育赛事"),
    ("trade_fair", "Trade fair", "经贸洽谈会"),
]
FIELDS = [
    ("economy_trade", "Economy and trade", "经济贸易"),
    ("city_construction", "City construction", "城市建设"),
    ("technology", "Science and technology", "科学技术"),
    ("environment", "Environment", "环境保护"),
    ("education", "Education", "教育"),
    ("culture", "Culture", "文化"),
    ("agriculture", "Agriculture", "农业"),
    ("health", "Health", "卫生"),
    ("tourism", "Tourism", "旅游"),
    ("sports", "Sports", "体育"),
    ("youth", "Youth", "青少年"),
    ("governance", "Governance", "政府管理"),
]
NOW = sa.text("CURRENT_TIMESTAMP")


def _taxonomy(name: str) -> sa.Table:
    return op.create_table(
        name,
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label_en", sa.String(length=100), nullable=False),
        sa.Column("label_zh", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    fields = _taxonomy("exchange_fields")
    modes = _taxonomy("exchange_modes")
    op.bulk_insert(modes, [dict(code=c, label_en=en, label_zh=zh, active=True) for c, en, zh in MODES])
    op.bulk_insert(
        fields, [dict(code=c, label_en=en, label_zh=zh, active=True) for c, en, zh in FIELDS]
    )
    op.create_table(
        "exchanges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=True),
        sa.Column("place_a_id", sa.Integer(), nullable=False),
        sa.Column("place_b_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("mode", sa.String(length=40), nullable=False),
        sa.Column("start", sa.String(length=10), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end", sa.String(length=10), nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("delegation_size", sa.Integer(), nullable=True),
        sa.Column("delegation_level", sa.String(length=20), nullable=True),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("budget_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("budget_currency", sa.String(length=3), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "budget_amount IS NULL OR budget_amount > 0", name=op.f("ck_exchanges_budget_positive")
        ),
        sa.CheckConstraint(
            "delegation_size IS NULL OR delegation_size > 0",
            name=op.f("ck_exchanges_size_positive"),
        ),
        sa.CheckConstraint("place_a_id < place_b_id", name=op.f("ck_exchanges_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_exchanges_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["mode"], ["exchange_modes.code"], name=op.f("fk_exchanges_mode_exchange_modes")
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_exchanges_partnership_id_partnerships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["place_a_id"], ["places.id"], name=op.f("fk_exchanges_place_a_id_places")
        ),
        sa.ForeignKeyConstraint(
            ["place_b_id"], ["places.id"], name=op.f("fk_exchanges_place_b_id_places")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchanges")),
    )
    for column in ("mode", "partnership_id", "place_a_id", "place_b_id", "start_year"):
        op.create_index(op.f(f"ix_exchanges_{column}"), "exchanges", [column], unique=False)
    op.create_table(
        "exchange_field_links",
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("field_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchanges.id"],
            name=op.f("fk_exchange_field_links_exchange_id_exchanges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["field_code"],
            ["exchange_fields.code"],
            name=op.f("fk_exchange_field_links_field_code_exchange_fields"),
        ),
        sa.PrimaryKeyConstraint("exchange_id", "field_code", name=op.f("pk_exchange_field_links")),
    )
    op.create_index(
        op.f("ix_exchange_field_links_field_code"), "exchange_field_links", ["field_code"]
    )
    op.create_table(
        "partnership_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("old_status", sa.String(length=12), nullable=True),
        sa.Column("new_status", sa.String(length=12), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("hidden_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_partnership_status_changes_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership_status_changes")),
    )
    op.create_index(
        op.f("ix_partnership_status_changes_partnership_id"),
        "partnership_status_changes",
        ["partnership_id"],
    )


def downgrade() -> None:
    op.drop_table("partnership_status_changes")
    op.drop_table("exchange_field_links")
    op.drop_table("exchanges")
    op.drop_table("exchange_modes")
    op.drop_table("exchange_fields")

"""Tables for exchanges (visits, forums, projects) and their taxonomy of modes and fields."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from amity.core.db import Base
from amity.places.models import Place

# Who visited whom, relative to the stored order of the pair (place_a_id < place_b_id).
DIRECTIONS = ("a_to_b", "b_to_a", "both", "joint")
DELEGATION_LEVELS = ("head_of_government", "vice_level", "department", "civil_society", "other")
TAXONOMIES = ("mode", "field")


class ExchangeMode(Base):
    """A way of exchanging (high-level visit, forum, summer camp...); extendable by an admin."""

    __tablename__ = "exchange_modes"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(100))
    label_zh: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ExchangeField(Base):
    """A field of cooperation (economy and trade, education...); extendable by an admin."""

    __tablename__ = "exchange_fields"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(100))
    label_zh: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Exchange(Base):
    """One activity between two places; linked to their partnership when one is recorded."""

    __tablename__ = "exchanges"
    __table_args__ = (
        CheckConstraint("place_a_id < place_b_id", name="ordered_pair"),
        CheckConstraint("delegation_size IS NULL OR delegation_size > 0", name="size_positive"),
        CheckConstraint("budget_amount IS NULL OR budget_amount > 0", name="budget_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Null when the two places have no recorded partnership (allowed, and shown as such).
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnerships.id", ondelete="SET NULL"), index=True
    )
    place_a_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    place_b_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    mode: Mapped[str] = mapped_column(ForeignKey("exchange_modes.code"), index=True)
    # Known to the year, month or day, as signing dates are: "2013", "2013-05", "2013-05-20".
    start: Mapped[str] = mapped_column(String(10))
    start_year: Mapped[int] = mapped_column(Integer, index=True)
    end: Mapped[str | None] = mapped_column(String(10))
    direction: Mapped[str] = mapped_column(String(10), default="joint")
    delegation_size: Mapped[int | None] = mapped_column(Integer)
    delegation_level: Mapped[str | None] = mapped_column(String(20))
    participants: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    budget_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(100), default="manual")
    link: Mapped[str | None] = mapped_column(String(500))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )

    place_a: Mapped[Place] = relationship(foreign_keys=[place_a_id], lazy="joined")
    place_b: Mapped[Place] = relationship(foreign_keys=[place_b_id], lazy="joined")
    field_links: Mapped[list[ExchangeFieldLink]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ExchangeFieldLink.field_code"
    )

    @property
    def fields(self) -> list[str]:
        return [link.field_code for link in self.field_links]


class ExchangeFieldLink(Base):
    """An exchange's field (an exchange may touch several)."""

    __tablename__ = "exchange_field_links"

    exchange_id: Mapped[int] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), primary_key=True
    )
    field_code: Mapped[str] = mapped_column(
        ForeignKey("exchange_fields.code"), primary_key=True, index=True
    )

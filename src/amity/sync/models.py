"""Where each synced value came from: one row per field a sync wrote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from amity.core.db import Base

SYNC_SOURCE = "wikidata"
PERSON = "person"


class FieldProvenance(Base):
    """The source of one field of a place or a partnership, as a sync (or a person) set it.

    `value` is the value as it was written, so that a later sync can tell a value it wrote
    itself (and may refresh) from one somebody changed since (which it never overwrites).
    """

    __tablename__ = "field_provenance"
    __table_args__ = (UniqueConstraint("entity", "entity_id", "field", name="uq_field_provenance"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))  # place | partnership
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # wikidata | person
    # The Wikidata statement (Q956$1A2B…) for a pair's date, the item (Q1490) for a place's field.
    statement: Mapped[str | None] = mapped_column(String(120))
    retrieved_at: Mapped[datetime | None] = mapped_column(DateTime)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))

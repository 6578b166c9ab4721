"""Tables for partnerships and the imports that brought them in."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from amity.core.db import Base
from amity.places.models import Place

KINDS = ("sister_city", "friendship_city", "friendly_exchange", "cooperation")
# "district": one side is a district, ward or county-level unit (Prague 1, Gangnam, Shunyi).
LEVELS = ("city_city", "province_state", "province_city", "district")
STATUSES = ("proposed", "active", "dormant", "suspended", "terminated")


class ImportBatch(Base):
    """One import run; a file is recognised again by its SHA-256."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="partnerships")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    report: Mapped[dict] = mapped_column(JSON, default=dict)


class Partnership(Base):
    """An undirected relationship between two places; stored with place_a_id < place_b_id."""

    __tablename__ = "partnerships"
    __table_args__ = (
        UniqueConstraint("place_a_id", "place_b_id", name="uq_partnerships_pair"),
        CheckConstraint("place_a_id < place_b_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_a_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    place_b_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="sister_city", index=True)
    level: Mapped[str] = mapped_column(String(20), default="city_city", index=True)
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    # Signing date as known: "1985", "1985-06" or "1985-06-14" (a year alone is common).
    established: Mapped[str | None] = mapped_column(String(10))
    established_year: Mapped[int | None] = mapped_column(Integer, index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    signing_place: Mapped[str | None] = mapped_column(String(200))
    fields: Mapped[list | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(100), index=True)
    source_ref: Mapped[str | None] = mapped_column(String(100))
    quality_flags: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # Indexed: the registry index's freshness check reads max(updated_at) on every list.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now(), index=True
    )

    place_a: Mapped[Place] = relationship(foreign_keys=[place_a_id], lazy="joined")
    place_b: Mapped[Place] = relationship(foreign_keys=[place_b_id], lazy="joined")


class RegistryVersion(Base):
    """One row whose number changes, by trigger, with every write to partnerships, places or
    countries (migration 0007): readers that keep the registry in memory compare it instead of
    scanning the tables. A random number, not a counter, so that a restored backup or another
    database never repeats a number a process has already seen for other data."""

    __tablename__ = "registry_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # Which database this is (random, set once; migration 0013): state kept outside the database,
    # like a saved facet table, is for this database only.
    identity: Mapped[int | None] = mapped_column(BigInteger)


class RegistryChange(Base):
    """One line of the registry's change log (migration 0013), written by triggers: a
    partnership row inserted, updated or deleted (`row_id`), or a write to places or countries
    (`row_id` None: readers rebuild). `seq` grows in commit order and is never reused; older
    lines are pruned (readers further behind rebuild)."""

    __tablename__ = "registry_changes"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    table_name: Mapped[str] = mapped_column(String(20))
    row_id: Mapped[int | None] = mapped_column(Integer)


class StewardRecord(Base):
    """A partnership recorded by a registry steward: an agreement signed outside Amity, entered
    without a proposal, with its evidence (the one way in besides an approved proposal)."""

    __tablename__ = "steward_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), unique=True
    )
    steward: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    # The evidence: the document, the date it was signed ("1985", "1985-06", "1985-06-14"),
    # and where it can be found.
    document: Mapped[str] = mapped_column(String(300))
    signed_on: Mapped[str] = mapped_column(String(10))
    evidence_source: Mapped[str] = mapped_column(String(300))


class PartnershipStatusChange(Base):
    """One line of a partnership's history: created, status changed, ended, reviewed..."""

    __tablename__ = "partnership_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    # created | status_changed | ended | reviewed | reactivated | ending_proposed
    action: Mapped[str] = mapped_column(String(20))
    old_status: Mapped[str | None] = mapped_column(String(12))
    new_status: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    # A review hides the partnership from the health page's list until this day.
    hidden_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


# Where a registry field's value came from (a sync, or a person): amity.partnerships.provenance.
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

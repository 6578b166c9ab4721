"""Proposals for new pairings and their history of steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from amity.core.db import Base

# draft → provincial_review → national_review → approved; a reviewer may reject (final) or
# send back (to "returned", which the city edits and submits again).
STATES = ("draft", "provincial_review", "national_review", "returned", "approved", "rejected")
DECISIONS = ("approve", "reject", "send_back")


class Proposal(Base):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text)
    planned_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    planned_signing: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # Optimistic locking: every change is UPDATE ... WHERE version = the version the actor saw.
    version: Mapped[int] = mapped_column(Integer, default=1)
    checks: Mapped[Any] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnerships.id"))

    place = relationship("Place", foreign_keys=[place_id], lazy="joined")
    partner = relationship("Place", foreign_keys=[partner_id], lazy="joined")
    steps = relationship(
        "ProposalStep", order_by="ProposalStep.id", lazy="selectin", back_populates="proposal"
    )


class ProposalStep(Base):
    __tablename__ = "proposal_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)

    proposal = relationship("Proposal", back_populates="steps")

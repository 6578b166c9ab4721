"""Submissions from the public, their votes, and the bot submissions the honeypot dropped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from amity.core.db import Base

TOPICS = ("partnership", "proposal", "event")
KINDS = ("idea", "feedback")
STATES = ("pending", "published", "rejected")


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(20))
    topic_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    # A field of cooperation (education, trade ...) the submitter picked, if any.
    field: Mapped[str | None] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str | None] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A keyed hash of the sender's address: enough to throttle, not to identify.
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    moderated_by: Mapped[str | None] = mapped_column(String(100))
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime)
    moderation_reason: Mapped[str | None] = mapped_column(Text)


class Vote(Base):
    __tablename__ = "submission_votes"
    __table_args__ = (UniqueConstraint("submission_id", "voter_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    voter_key: Mapped[str] = mapped_column(String(64))
    # A keyed hash of the voter's address (None for votes older than migration 0009): a new
    # cookie per vote must not mean a new vote (see VOTES_PER_ADDRESS).
    address_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DroppedSubmission(Base):
    """A submission whose honeypot field was filled: dropped silently, counted here."""

    __tablename__ = "dropped_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    address_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(20))

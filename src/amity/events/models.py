"""Tables for events and their sessions, and for the friendship-city awards given at them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from amity.core.db import Base
from amity.places.models import Place

KINDS = ("conference", "forum", "seminar", "roundtable", "exhibition", "festival", "other")


class Event(Base):
    """A forum, conference or seminar; dates are known to the year, month or day."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_zh: Mapped[str | None] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    # A recurring event's name ("cifcc") and the edition's number in it, when known.
    series: Mapped[str | None] = mapped_column(String(40), index=True)
    edition: Mapped[int | None] = mapped_column(Integer)
    theme_zh: Mapped[str | None] = mapped_column(String(500))
    theme_en: Mapped[str | None] = mapped_column(String(500))
    organisers: Mapped[list] = mapped_column(JSON, default=list)
    co_sponsors: Mapped[list] = mapped_column(JSON, default=list)
    speakers: Mapped[list] = mapped_column(JSON, default=list)
    # "2012", "2012-05" or "2012-05-18"; empty when the sources give no date.
    starts: Mapped[str | None] = mapped_column(String(10))
    ends: Mapped[str | None] = mapped_column(String(10))
    start_year: Mapped[int | None] = mapped_column(Integer, index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"), index=True)
    venue: Mapped[str | None] = mapped_column(String(300))
    attendance: Mapped[int | None] = mapped_column(Integer)
    description_zh: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))

    place: Mapped[Place | None] = relationship(lazy="joined")
    sessions: Mapped[list[EventSession]] = relationship(
        cascade="all, delete-orphan", order_by="EventSession.position", lazy="selectin"
    )


class EventSession(Base):
    """A part of an event's programme: a title, a time and its speakers."""

    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title_zh: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    # Local time as given, "2014-10-30T09:00", or a date alone.
    starts_at: Mapped[str | None] = mapped_column(String(16))
    ends_at: Mapped[str | None] = mapped_column(String(16))
    speakers: Mapped[list] = mapped_column(JSON, default=list)


class AwardType(Base):
    """An award given at the friendship-cities conference, as a source names it."""

    __tablename__ = "award_types"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_zh: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))


class AwardEdition(Base):
    """The awards of one year, given at that year's conference (an event)."""

    __tablename__ = "award_editions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    # How many nominations of each award type win in this edition.
    winners_per_award: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(300))

    event: Mapped[Event | None] = relationship(lazy="joined")


class Nomination(Base):
    """A partnership or a place put forward for an award type in an edition."""

    __tablename__ = "award_nominations"
    __table_args__ = (
        CheckConstraint("partnership_id IS NOT NULL OR place_id IS NOT NULL", name="nominee_given"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("award_editions.id", ondelete="CASCADE"), index=True
    )
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"), index=True)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnerships.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))
    citation_zh: Mapped[str | None] = mapped_column(Text)
    citation_en: Mapped[str | None] = mapped_column(Text)

    award_type: Mapped[AwardType] = relationship(lazy="joined")
    scores: Mapped[list[JudgeScore]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class JudgeScore(Base):
    """One judge's score of a nomination on one criterion (0 to 10)."""

    __tablename__ = "award_scores"
    __table_args__ = (
        UniqueConstraint("nomination_id", "judge", "criterion", name="uq_award_scores_once"),
        CheckConstraint("score >= 0 AND score <= 10", name="score_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("award_nominations.id", ondelete="CASCADE"), index=True
    )
    judge: Mapped[str] = mapped_column(String(100))
    criterion: Mapped[str] = mapped_column(String(100))
    score: Mapped[float] = mapped_column(Float)

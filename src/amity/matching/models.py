"""Declared city profiles and the partner-seeking board's notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from amity.core.db import Base

SIZES = ("any", "small", "medium", "large")
NOTE_STATUSES = ("open", "closed")


class CityProfile(Base):
    """What a place records about itself: industries, needs, offers, fields of cooperation."""

    __tablename__ = "city_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), unique=True)
    industries: Mapped[list] = mapped_column(JSON, default=list)
    needs: Mapped[list] = mapped_column(JSON, default=list)
    offers: Mapped[list] = mapped_column(JSON, default=list)
    fields: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class BoardNote(Base):
    """A place's notice: the partner it seeks and what it offers."""

    __tablename__ = "board_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    seeks_countries: Mapped[list] = mapped_column(JSON, default=list)
    seeks_continents: Mapped[list] = mapped_column(JSON, default=list)
    seeks_size: Mapped[str] = mapped_column(String(10), default="any")
    seeks_fields: Mapped[list] = mapped_column(JSON, default=list)
    offers_fields: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )

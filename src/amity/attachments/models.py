"""The attachments table: one row per file attached to a case, an event or an exchange."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from amity.core.db import Base

# What an attachment may belong to (its `owner_type`); the owners' domains say which of theirs.
OWNER_TYPES = ("case", "event", "exchange")


class Attachment(Base):
    """A stored file: where it belongs, what it is (from its bytes), who added it and when.

    A deleted attachment keeps its row, marked `deleted_at`/`deleted_by`: the file itself is
    removed, but what it was (name, type, size, sha256) and who added and removed it stay.
    """

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int] = mapped_column(Integer)
    # The uploader's file name, cleaned for display (no folders, no control characters).
    name: Mapped[str] = mapped_column(String(255))
    # The file's name on disk: random, never the uploader's.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    # Read from the file's first bytes, never from its name or the client's Content-Type.
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # An image's size in pixels (read from its header), for the page's width/height attributes.
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_by: Mapped[str | None] = mapped_column(String(100))

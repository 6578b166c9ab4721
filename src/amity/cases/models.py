"""Tables for cases of city diplomacy, the places they concern and their facets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from amity.core.db import Base
from amity.places.models import Place

# A case's facets besides its places: fields and modes (codes shared with the exchanges'
# taxonomy) and countries (from its places, plus any named without a place).
TAG_KINDS = ("field", "mode", "country")
# The search index (`case_search`) is not a model: it is an FTS5 table on SQLite and a table
# with a tsvector on PostgreSQL, created by migration 0003 and kept by cases.fulltext.


class CasePlace(Base):
    """A place a case concerns."""

    __tablename__ = "case_places"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), primary_key=True, index=True)


class CaseTag(Base):
    """One facet value of a case: a field, a mode or a country code."""

    __tablename__ = "case_tags"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)


class Case(Base):
    """A case of city diplomacy, told in Chinese and English, with the source it comes from."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title_zh: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    summary_zh: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    body_zh: Mapped[str | None] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)
    lessons_zh: Mapped[str | None] = mapped_column(Text)
    lessons_en: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    # The citation: which document the case is told from, and where it can be read.
    source: Mapped[str] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # Indexed: the facet bitsets' freshness check reads max(updated_at) on every search.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now(), index=True
    )

    places: Mapped[list[Place]] = relationship(secondary="case_places", order_by=Place.id)
    tags: Mapped[list[CaseTag]] = relationship(cascade="all, delete-orphan", lazy="selectin")

"""External indicator values (GDP per head, air quality, ...) imported for the index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from amity.core.db import Base


class IndicatorValue(Base):
    """One place's value of one external indicator in one year, with where it comes from."""

    __tablename__ = "index_indicator_values"
    __table_args__ = (
        UniqueConstraint("place_id", "indicator", "year", name="uq_index_indicator_values_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(60), index=True)
    value: Mapped[float] = mapped_column(Float)
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

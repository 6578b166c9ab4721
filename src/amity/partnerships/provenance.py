"""Where a registry field's value came from: a sync wrote it, or a person set it (an edit, a
steward's record). A later sync never overwrites a person's value (amity.sync)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.partnerships.models import PERSON, FieldProvenance


def mark_person(session: Session, entity: str, entity_id: int, values: dict) -> None:
    """A person set these fields (an edit, a steward's record): a later sync never writes them,
    and shows Wikidata's value as a conflict when it differs."""
    now = datetime.now().replace(microsecond=0)
    for field, value in values.items():
        row = session.scalar(select(FieldProvenance).where(
            FieldProvenance.entity == entity, FieldProvenance.entity_id == entity_id,
            FieldProvenance.field == field))  # fmt: skip
        if row is None:
            row = FieldProvenance(entity=entity, entity_id=entity_id, field=field)
            session.add(row)
        row.value = None if value is None else str(value)
        row.source, row.statement, row.retrieved_at = PERSON, None, None
        row.recorded_at, row.batch_id = now, None

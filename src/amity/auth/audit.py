"""The audit log: every write appends who, when, what, and the values before and after.

Rows are chained: each row's hash is sha256(previous row's hash + the row's canonical JSON), so
changing or deleting a row breaks every hash after it, and `verify` finds the first broken row.
The table also refuses UPDATE and DELETE by trigger (see migration 0006); the chain catches what
someone with the database owner's rights could still do.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from amity.auth.models import AuditEntry
from amity.auth.permissions import Actor
from amity.spreadsheets import csv_text

GENESIS = "0" * 64
# Any constant shared by every writer: they queue on it, so two never chain to the same row.
_CHAIN_LOCK = 746_001


def _plain(value: Any) -> Any:
    """The value as plain JSON types (dates as ISO strings), as it will read back."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def canonical(entry: AuditEntry) -> str:
    fields = {
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical(entry)).encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: Actor | str,
    action: str,
    entity: str,
    entity_id: Any,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry for a write made in this session (committed with it)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    prev = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        at=datetime.now(),
        actor=actor.name if isinstance(actor, Actor) else str(actor),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=_plain(before),
        after=_plain(after),
        prev_hash=prev or GENESIS,
    )
    entry.hash = chain_hash(entry.prev_hash, entry)
    session.add(entry)
    session.flush()
    return entry


def verify(session: Session) -> dict[str, Any]:
    """Walk the chain; {"ok", "rows", "first_bad": {"id", "problem"} | None}."""
    prev = GENESIS
    rows = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        rows += 1
        if entry.prev_hash != prev:
            return _broken(rows, entry.id, "its previous hash does not match the row before")
        if chain_hash(prev, entry) != entry.hash:
            return _broken(rows, entry.id, "its content does not match its hash")
        prev = entry.hash
    return {"ok": True, "rows": rows, "first_bad": None}


def _broken(rows: int, entry_id: int, problem: str) -> dict[str, Any]:
    return {"ok": False, "rows": rows, "first_bad": {"id": entry_id, "problem": problem}}


def entries(
    session: Session,
    *,
    actor: str | None = None,
    entity: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = 200,
) -> list[AuditEntry]:
    """Entries, newest first, filtered by actor, entity, action and time."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if action:
        query = query.where(AuditEntry.action == action)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


CSV_COLUMNS = ("id", "at", "actor", "action", "entity", "entity_id", "before", "after", "hash")


def to_csv(rows: list[AuditEntry]) -> Iterator[str]:
    """CSV lines (before/after as JSON) for the export."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [row.id, row.at.isoformat(), _cell(row.actor), row.action, row.entity, row.entity_id,
             _cell(json.dumps(row.before, ensure_ascii=False)),
             _cell(json.dumps(row.after, ensure_ascii=False)), row.hash]
        )  # fmt: skip
    yield buffer.getvalue()


def _cell(value: str | None) -> str | None:
    """A spreadsheet must not run a cell as a formula."""
    return csv_text(value)

"""The audit log: every write appends who, when, what, and the values before and after.

Rows are chained: each row's hash is HMAC-SHA256(key, previous row's hash + the row's canonical
JSON), under a key kept outside the database (amity.auth.audit_key). Changing or deleting a row
breaks every hash after it, `verify` finds the first broken row, and without the key nobody can
recompute the hashes to hide it. Deleting the newest rows leaves a shorter chain that is still
whole: a checkpoint (`checkpoint`, kept by the operator elsewhere) is what shows it.

Rows written before migration 0009 were chained with plain sha256 (`keyed` false). They stay as
they are; the first keyed row chains onto the last of them, so they are covered from then on,
and an unkeyed row after a keyed one is a break. The table also refuses UPDATE and DELETE by
trigger (migration 0006); the chain and checkpoints catch what the database's owner could do.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from amity.auth.audit_key import audit_key
from amity.auth.models import AuditEntry
from amity.auth.permissions import Actor
from amity.core.errors import AmityError
from amity.core.spreadsheets import csv_text

GENESIS = "0" * 64


class ChainBroken(AmityError):
    code = "audit_chain_broken"
    status = 409


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


def chain_hash(prev_hash: str, entry: AuditEntry, key: bytes | None) -> str:
    """The row's hash: keyed (HMAC) when a key is given, else the old plain sha256."""
    data = (prev_hash + canonical(entry)).encode()
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


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
    key = audit_key()
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
        keyed=True,
    )
    entry.hash = chain_hash(entry.prev_hash, entry, key)
    session.add(entry)
    session.flush()
    return entry


def verify(session: Session, checkpoint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Walk the chain, and compare it with a checkpoint if one is given.

    {"ok", "rows", "unkeyed" (rows from before keyed chaining), "head" (the last row's id and
    hash), "first_bad": {"id", "problem"} | None}. With a checkpoint, a chain shorter than the
    checkpoint's count (truncated) or whose row at that count has another hash (rewritten) is
    not ok either; "first_bad" then names the checkpoint.
    """
    key = audit_key()
    prev, rows, unkeyed, keyed_seen = GENESIS, 0, 0, False
    marked = None  # the hash of the row at the checkpoint's position
    want = int(checkpoint["rows"]) if checkpoint else None
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        rows += 1
        if entry.prev_hash != prev:
            problem = "its previous hash does not match the row before"
            return _broken(rows, unkeyed, entry.id, problem)
        if entry.keyed:
            keyed_seen = True
        elif keyed_seen:
            return _broken(rows, unkeyed, entry.id, "it is unkeyed but comes after keyed rows")
        else:
            unkeyed += 1
        if chain_hash(prev, entry, key if entry.keyed else None) != entry.hash:
            problem = "its content does not match its hash"
            if entry.keyed and rows == unkeyed + 1:
                # The first keyed row: a wrong key (another user's key file, say) looks like this.
                problem += " (or this is not the audit key the log was written with)"
            return _broken(rows, unkeyed, entry.id, problem)
        prev = entry.hash
        if rows == want:
            marked = entry.hash
    result = {"ok": True, "rows": rows, "unkeyed": unkeyed, "head": _head(session, rows),
              "first_bad": None}  # fmt: skip
    if checkpoint:
        problem = _against(checkpoint, rows, marked)
        if problem:
            result.update(ok=False, first_bad={"id": None, "problem": problem})
    return result


def _against(checkpoint: dict[str, Any], rows: int, marked: str | None) -> str | None:
    """What a checkpoint shows about the chain now (None: the chain still contains it)."""
    want = int(checkpoint["rows"])
    if rows < want:
        return (
            f"truncated: the checkpoint of {checkpoint.get('at', '?')} counted {want} entries, "
            f"only {rows} remain"
        )
    if want and marked != checkpoint["hash"]:
        return (
            f"rewritten: entry number {want} no longer has the hash the checkpoint of "
            f"{checkpoint.get('at', '?')} recorded"
        )
    return None


def _head(session: Session, rows: int) -> dict[str, Any] | None:
    last = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    return {"id": last.id, "hash": last.hash} if last is not None and rows else None


def checkpoint(session: Session) -> dict[str, Any]:
    """The chain's head now, for the operator to keep outside the database (and the server).

    Refused when the chain is broken: a checkpoint must vouch only for a whole chain.
    """
    result = verify(session)
    if not result["ok"]:
        bad = result["first_bad"]
        raise ChainBroken(f"The audit chain is broken at entry {bad['id']}: {bad['problem']}.", bad)
    head = result["head"] or {"id": None, "hash": GENESIS}
    return {"rows": result["rows"], "id": head["id"], "hash": head["hash"],
            "at": datetime.now().isoformat(timespec="seconds")}  # fmt: skip


def _broken(rows: int, unkeyed: int, entry_id: int, problem: str) -> dict[str, Any]:
    return {"ok": False, "rows": rows, "unkeyed": unkeyed, "head": None,
            "first_bad": {"id": entry_id, "problem": problem}}  # fmt: skip


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

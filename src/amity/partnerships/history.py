"""A partnership's status history: every change of status, review and proposal, with its note."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.partnerships.models import PartnershipStatusChange

ACTIONS = ("created", "status_changed", "ended", "reviewed", "reactivated", "ending_proposed")


def record_change(
    session: Session,
    partnership_id: int,
    *,
    action: str,
    actor: str,
    old_status: str | None = None,
    new_status: str | None = None,
    note: str | None = None,
    hidden_until: date | None = None,
) -> PartnershipStatusChange:
    """Add one line to a partnership's history."""
    if action not in ACTIONS:
        raise ValueError(f"unknown history action {action!r}")
    change = PartnershipStatusChange(
        partnership_id=partnership_id,
        action=action,
        actor=actor[:100],
        old_status=old_status,
        new_status=new_status,
        note=note,
        hidden_until=hidden_until,
    )
    session.add(change)
    session.flush()
    return change


def status_history(session: Session, partnership_id: int) -> list[dict]:
    """A partnership's history, oldest first."""
    changes = session.scalars(
        select(PartnershipStatusChange)
        .where(PartnershipStatusChange.partnership_id == partnership_id)
        .order_by(PartnershipStatusChange.id)
    )
    return [
        {
            "id": c.id,
            "action": c.action,
            "old_status": c.old_status,
            "new_status": c.new_status,
            "note": c.note,
            "actor": c.actor,
            "hidden_until": c.hidden_until,
            "created_at": c.created_at,
        }
        for c in changes
    ]

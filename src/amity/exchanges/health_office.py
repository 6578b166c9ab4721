"""An office's relationship health, worst first, and the actions on a partnership there: mark
reviewed, reactivate, propose ending.

An office is a place: a province sees its own partnerships and those of its cities (same
GB/T provincial code, or the province as parent); a city sees its own. Every action writes a
line of the partnership's status history.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from amity.auth import audit as audit_log
from amity.auth.permissions import Actor, guard
from amity.core.errors import Conflict, NotFound
from amity.exchanges import health
from amity.partnerships.models import Partnership
from amity.partnerships.service import place_side, record_change, status_history
from amity.places.service import office_places

audit = logging.getLogger("amity.audit")
# The unhealthy states: what the health page lists, until a review hides a partnership.
UNHEALTHY = ("dormant", "declining")


def office_health(
    session: Session,
    office_id: int,
    *,
    today: date | None = None,
    unhealthy_only: bool = False,
    include_reviewed: bool = False,
) -> dict:
    """The health of an office's partnerships, worst first (the HealthList shape).

    With `unhealthy_only`, only dormant or declining ones, and not those reviewed lately.
    """
    today = today or date.today()
    years = health.dormant_years()
    office, place_ids = office_places(session, office_id)
    partnerships = session.scalars(
        select(Partnership).where(
            or_(Partnership.place_a_id.in_(place_ids), Partnership.place_b_id.in_(place_ids))
        )
    ).all()
    activity = health.pair_activity(session, places=place_ids)
    reviews = health.reviews(session, {p.id for p in partnerships})
    items = []
    for p in partnerships:
        item = health.assess(
            p, activity.get((p.place_a_id, p.place_b_id)), today=today, years=years,
            review=reviews.get(p.id),
        )  # fmt: skip
        if unhealthy_only:
            if item["state"] not in UNHEALTHY:
                continue
            hidden = item["reviewed_until"] and item["reviewed_until"] >= today
            if hidden and not include_reviewed:
                continue
        items.append(item | {"a": place_side(p.place_a), "b": place_side(p.place_b)})
    items.sort(key=lambda i: (i["score"], i["partnership_id"]))
    return {
        "office": place_side(office),
        "dormant_years": years,
        "total": len(items),
        "items": items,
    }


def unhealthy_list(session: Session, office_id: int, *, today: date | None = None) -> dict:
    """The office's dormant or declining partnerships not reviewed lately, worst first."""
    return office_health(session, office_id, today=today, unhealthy_only=True)


def partnership_health(session: Session, partnership_id: int, *, today: date | None = None) -> dict:
    """One partnership's health with its status history (the PartnershipHealth shape)."""
    partnership = _get(session, partnership_id)
    pair = (partnership.place_a_id, partnership.place_b_id)
    activity = health.pair_activity(session, pair).get(pair)
    item = health.assess(
        partnership, activity, today=today or date.today(), years=health.dormant_years(),
        review=health.reviews(session, {partnership_id}).get(partnership_id),
    )  # fmt: skip
    return item | {"history": status_history(session, partnership_id)}


def _get(session: Session, partnership_id: int) -> Partnership:
    partnership = session.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound(f"No partnership {partnership_id}.", {"partnership_id": partnership_id})
    return partnership


def _open(session: Session, partnership_id: int) -> Partnership:
    partnership = _get(session, partnership_id)
    if partnership.status == "terminated":
        raise Conflict("This partnership has ended.", {"partnership_id": partnership_id})
    return partnership


def mark_reviewed(
    session: Session,
    partnership_id: int,
    *,
    note: str,
    actor: Actor | str,
    days: int | None = None,
    today: date | None = None,
) -> dict:
    """Record a review; it hides the partnership from the health page's list for `days`."""
    partnership = _open(session, partnership_id)
    actor = _guarded(session, partnership, actor, "review", note)
    until = (today or date.today()) + timedelta(days=days or health.review_days())
    record_change(
        session, partnership_id, action="reviewed", actor=actor, old_status=partnership.status,
        new_status=partnership.status, note=note, hidden_until=until,
    )  # fmt: skip
    audit.info("partnership %s reviewed by %s", partnership_id, actor)
    return partnership_health(session, partnership_id, today=today)


def reactivate(
    session: Session, partnership_id: int, *, note: str, actor: Actor | str,
    today: date | None = None,
) -> dict:  # fmt: skip
    """Set the status back to active; it counts as a review (hidden for the review period)."""
    partnership = _open(session, partnership_id)
    actor = _guarded(session, partnership, actor, "reactivate", note)
    old_status = partnership.status
    partnership.status = "active"
    until = (today or date.today()) + timedelta(days=health.review_days())
    record_change(
        session, partnership_id, action="reactivated", actor=actor, old_status=old_status,
        new_status="active", note=note, hidden_until=until,
    )  # fmt: skip
    audit.info("partnership %s reactivated by %s", partnership_id, actor)
    return partnership_health(session, partnership_id, today=today)


def propose_ending(
    session: Session, partnership_id: int, *, note: str, actor: Actor | str,
    today: date | None = None,
) -> dict:  # fmt: skip
    """Record a proposal to end the partnership; its status stays until the proposal is decided."""
    partnership = _open(session, partnership_id)
    actor = _guarded(session, partnership, actor, "propose_ending", note)
    record_change(
        session, partnership_id, action="ending_proposed", actor=actor,
        old_status=partnership.status, new_status=partnership.status, note=note,
    )  # fmt: skip
    audit.info("partnership %s: ending proposed by %s", partnership_id, actor)
    return partnership_health(session, partnership_id, today=today)


def _guarded(session: Session, partnership: Partnership, actor, action: str, note: str) -> str:
    """Check the actor may act on the partnership, audit the action, return the actor's name."""
    who = guard(actor, "partnership.write", [partnership.place_a, partnership.place_b])
    audit_log.record(session, actor=who, action=action, entity="partnership",
                     entity_id=partnership.id, before={"status": partnership.status},
                     after={"note": note})  # fmt: skip
    return who.name


ACTIONS = {"review": mark_reviewed, "reactivate": reactivate, "propose-ending": propose_ending}

"""The public's voice: submissions on a partnership, a proposal or an event; votes; moderation.

Anyone may submit and vote; what they write waits in a moderation queue until an administrator
or the officer whose place it concerns publishes or rejects it. Submissions are throttled per
address (a keyed hash of it), and a hidden honeypot field, filled only by bots, drops a
submission silently (it is counted, never stored).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.permissions import Actor, can, require
from amity.auth.web import address_key
from amity.core.errors import N_, Conflict, InvalidInput, NotFound, TooManyRequests
from amity.events.models import Event
from amity.participation.models import KINDS, TOPICS, DroppedSubmission, Submission, Vote
from amity.participation.terms import top_terms
from amity.partnerships.models import Partnership
from amity.places.models import Place

FIELDS = ("economy_trade", "education", "culture", "tourism", "science_technology", "health",
          "environment", "youth", "sport", "agriculture", "urban_governance", "other")  # fmt: skip
# Per address: a burst limit and a daily limit.
BURST = (timedelta(minutes=10), 5)
DAILY = (timedelta(days=1), 30)
MAX_BODY = 4000
# Anonymous votes per item from one address in a day: one per browser alone would let a client
# that throws its cookie away vote without end. More than one, because an office, a school or a
# mobile carrier puts many people behind one address (NAT); signed-in accounts are not capped
# by address (each account votes once, and accounts are made by an administrator).
VOTES_PER_ADDRESS = (timedelta(days=1), 3)


# Topics owned by a domain above this one (proposals) hand over how to find their places here,
# at import (`@topic("proposal")` in amity.proposals.service): this domain cannot import them.
TOPIC_PLACES: dict[str, Callable[[Session, int], list[Place] | None]] = {}


def topic(name: str):
    """Register how to find the places of a topic's item (None when there is no such item)."""

    def register(function):
        TOPIC_PLACES[name] = function
        return function

    return register


@topic("partnership")
def _partnership_places(session: Session, topic_id: int) -> list[Place] | None:
    item = session.get(Partnership, topic_id)
    return [item.place_a, item.place_b] if item else None


@topic("event")
def _event_places(session: Session, topic_id: int) -> list[Place] | None:
    item = session.get(Event, topic_id)
    return [item.place] if item and item.place else ([] if item else None)


def topic_places(session: Session, topic: str, topic_id: int) -> list[Place]:
    """The places a topic concerns (its officers moderate it); NotFound for an unknown topic."""
    if topic not in TOPICS or topic not in TOPIC_PLACES:
        raise InvalidInput(f"Unknown topic: {topic}", {"topic": topic, "allowed": list(TOPICS)})
    places = TOPIC_PLACES[topic](session, topic_id)
    if places is None:
        raise NotFound(f"No {topic} {topic_id}.", {"topic": topic, "topic_id": topic_id})
    return places


def submit(
    session: Session,
    *,
    topic: str,
    topic_id: int,
    kind: str,
    body: str,
    field: str | None = None,
    author_name: str | None = None,
    honeypot: str | None = None,
    address: str,
    actor: Actor,
) -> dict[str, Any]:
    """Receive an idea or feedback; {"received": True} also when the honeypot dropped it."""
    require(actor, "participation.submit")
    key = address_key(session, address)
    if honeypot:
        session.add(DroppedSubmission(at=datetime.now(), address_hash=key, reason="honeypot"))
        session.flush()
        return {"received": True, "id": None}
    body = (body or "").strip()
    if not body or len(body) > MAX_BODY:
        raise InvalidInput(N_("Write between 1 and %(n)s characters."), {"body": len(body)},
                           params={"n": MAX_BODY})  # fmt: skip
    if kind not in KINDS:
        raise InvalidInput(N_("Unknown kind: %(kind)s"), {"kind": kind, "allowed": list(KINDS)},
                           params={"kind": kind})  # fmt: skip
    if field and field not in FIELDS:
        allowed = {"field": field, "allowed": list(FIELDS)}
        raise InvalidInput(N_("Unknown field: %(field)s"), allowed, params={"field": field})
    topic_places(session, topic, topic_id)
    _throttle(session, key)
    item = Submission(
        topic=topic, topic_id=topic_id, kind=kind, field=field or None, body=body,
        author_name=(author_name or "").strip()[:100] or None, user_id=actor.user_id,
        address_hash=key, status="pending", created_at=datetime.now(),
    )  # fmt: skip
    session.add(item)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="submission", entity_id=item.id,
                 after={"topic": topic, "topic_id": topic_id, "kind": kind, "field": field,
                        "body": body})  # fmt: skip
    return {"received": True, "id": item.id}


def _throttle(session: Session, key: str) -> None:
    now = datetime.now()
    for window, limit in (BURST, DAILY):
        sent = session.scalar(
            select(func.count()).where(
                Submission.address_hash == key, Submission.created_at >= now - window
            )
        )
        if sent >= limit:
            minutes = int(window.total_seconds() // 60)
            raise TooManyRequests(
                f"You have sent {limit} submissions in {minutes} minutes; please wait a while.",
                {"limit": limit, "window_minutes": minutes},
            )


def dropped_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DroppedSubmission))


def vote(
    session: Session, submission_id: int, *, voter_key: str, address: str, actor: Actor
) -> dict[str, Any]:
    """One vote per account or browser on a published submission (409 on a second one), and
    at most VOTES_PER_ADDRESS anonymous votes per item from one address a day (429)."""
    require(actor, "participation.vote")
    item = session.get(Submission, submission_id)
    if item is None or item.status != "published":
        raise NotFound(f"No published submission {submission_id}.", {"id": submission_id})
    taken = session.scalar(
        select(Vote.id).where(Vote.submission_id == item.id, Vote.voter_key == voter_key)
    )
    if taken is not None:
        raise Conflict(N_("You have already voted for this."), {"id": submission_id})
    key = address_key(session, address)
    if actor.user_id is None:
        _vote_throttle(session, item.id, key)
    try:
        with session.begin_nested():
            session.add(Vote(submission_id=item.id, voter_key=voter_key, address_hash=key,
                             created_at=datetime.now()))  # fmt: skip
    except IntegrityError:
        raise Conflict(N_("You have already voted for this."), {"id": submission_id}) from None
    audit.record(session, actor=actor, action="vote", entity="submission", entity_id=item.id)
    return {"id": item.id, "votes": _votes(session, [item.id]).get(item.id, 0)}


def _vote_throttle(session: Session, submission_id: int, key: str) -> None:
    window, limit = VOTES_PER_ADDRESS
    cast = session.scalar(
        select(func.count()).where(
            Vote.submission_id == submission_id, Vote.address_hash == key,
            Vote.voter_key.like("browser:%"), Vote.created_at >= datetime.now() - window,
        )
    )  # fmt: skip
    if cast >= limit:
        raise TooManyRequests(
            f"{limit} votes for this have already come from your address today.",
            {"limit": limit, "window_hours": int(window.total_seconds() // 3600)},
        )


def moderate(
    session: Session, submission_id: int, *, decision: str, reason: str | None, actor: Actor
) -> dict[str, Any]:
    """Publish or reject a pending submission (an admin, or an officer of its places)."""
    item = session.get(Submission, submission_id)
    if item is None:
        raise NotFound(f"No submission {submission_id}.", {"id": submission_id})
    require(actor, "participation.moderate", topic_places(session, item.topic, item.topic_id))
    if decision not in ("publish", "reject"):
        raise InvalidInput(N_("Publish or reject."), {"decision": decision})
    if item.status != "pending":
        raise Conflict(N_("This submission has already been moderated."), {"status": item.status})
    item.status = "published" if decision == "publish" else "rejected"
    item.moderated_by, item.moderated_at = actor.name, datetime.now()
    item.moderation_reason = (reason or "").strip() or None
    session.flush()
    audit.record(session, actor=actor, action=decision, entity="submission", entity_id=item.id,
                 before={"status": "pending"},
                 after={"status": item.status, "reason": item.moderation_reason})  # fmt: skip
    return row(item, 0)


def _votes(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        session.execute(
            select(Vote.submission_id, func.count())
            .where(Vote.submission_id.in_(ids))
            .group_by(Vote.submission_id)
        ).all()
    )


def row(item: Submission, votes: int) -> dict[str, Any]:
    return {
        "id": item.id, "topic": item.topic, "topic_id": item.topic_id, "kind": item.kind,
        "field": item.field, "body": item.body, "author_name": item.author_name,
        "status": item.status, "created_at": item.created_at, "votes": votes,
    }  # fmt: skip


def published(session: Session, topic: str, topic_id: int) -> list[dict[str, Any]]:
    """What the public sees on a topic: published submissions, most voted first."""
    items = list(
        session.scalars(
            select(Submission).where(
                Submission.topic == topic, Submission.topic_id == topic_id,
                Submission.status == "published",
            )
        )
    )  # fmt: skip
    votes = _votes(session, [i.id for i in items])
    rows = [row(i, votes.get(i.id, 0)) for i in items]
    return sorted(rows, key=lambda r: (-r["votes"], -r["id"]))


def queue(session: Session, *, actor: Actor) -> list[dict[str, Any]]:
    """Pending submissions the actor may moderate, oldest first."""
    require(actor, "participation.read_pending")
    items = session.scalars(
        select(Submission).where(Submission.status == "pending").order_by(Submission.id)
    )
    return [
        row(i, 0)
        for i in items
        if can(actor, "participation.moderate",
               places=topic_places(session, i.topic, i.topic_id))
    ]  # fmt: skip


def aggregate(session: Session, *, since: datetime | None = None) -> dict[str, Any]:
    """Submissions and votes by topic, field, kind and month; the most frequent terms."""
    query = select(Submission).where(Submission.status != "rejected")
    if since:
        query = query.where(Submission.created_at >= since)
    items = list(session.scalars(query))
    votes = _votes(session, [i.id for i in items])
    return {
        **_tally([row(i, votes.get(i.id, 0)) for i in items], ("topic", "field", "kind", "month")),
        "dropped": dropped_count(session),
    }


def topic_summary(session: Session, topic: str, topic_id: int) -> dict[str, Any]:
    """What the public said on one topic: its published submissions and their votes by kind and
    field, and the most frequent terms (NotFound for an unknown item)."""
    topic_places(session, topic, topic_id)
    summary = _tally(published(session, topic, topic_id), ("kind", "field"))
    return {"topic": topic, "topic_id": topic_id, **summary}


def _tally(rows: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, Any]:
    """Submissions and votes per value of each name (months in order, the rest most first)."""
    by: dict[str, Counter] = {name: Counter() for name in names}
    voted: dict[str, Counter] = {name: Counter() for name in names}
    for item in rows:
        keys = {"topic": item["topic"], "field": item["field"] or "none", "kind": item["kind"],
                "month": item["created_at"].strftime("%Y-%m")}  # fmt: skip
        for name in names:
            by[name][keys[name]] += 1
            voted[name][keys[name]] += item["votes"]
    return {
        "submissions": len(rows),
        "votes": sum(item["votes"] for item in rows),
        "by": {
            name: [
                {"key": k, "submissions": n, "votes": voted[name][k]}
                for k, n in sorted(
                    counter.items(), key=lambda kv: kv[0] if name == "month" else -kv[1]
                )
            ]
            for name, counter in by.items()
        },  # fmt: skip
        "terms": top_terms(item["body"] for item in rows),
    }

"""The friendship-city awards: types, editions at the biennial conference, nominations, scores.

A nomination's result is the mean of all its judges' scores over all criteria; within an edition
and award type, nominations rank by that mean (ties by more scores, then by id), and the first
`winners_per_award` with at least one score win.
"""

from __future__ import annotations

from statistics import fmean
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.permissions import LOCAL_ADMIN, Actor, guard
from amity.core.errors import Conflict, NotFound
from amity.events.models import AwardEdition, AwardType, Event, JudgeScore, Nomination
from amity.events.schemas import EditionCreate, NominationCreate, ScoreCreate
from amity.partnerships.models import Partnership
from amity.places.models import Place


def list_award_types(session: Session) -> list[AwardType]:
    return list(session.scalars(select(AwardType).order_by(AwardType.id)))


def award_type_dict(award: AwardType) -> dict[str, Any]:
    return {
        "code": award.code,
        "name_zh": award.name_zh,
        "name_en": award.name_en,
        "description_zh": award.description_zh,
        "description_en": award.description_en,
        "source": award.source,
    }


def list_editions(session: Session) -> list[AwardEdition]:
    return list(session.scalars(select(AwardEdition).order_by(AwardEdition.year.desc())))


def get_edition(session: Session, year: int) -> AwardEdition:
    """The edition of a year, or NotFound."""
    edition = session.scalar(select(AwardEdition).where(AwardEdition.year == year))
    if edition is None:
        raise NotFound(f"No awards edition in {year}.", {"year": year})
    return edition


def create_edition(
    session: Session, data: EditionCreate, *, actor: Actor | str = LOCAL_ADMIN
) -> AwardEdition:
    """Add an edition, tied to its conference when the event is given."""
    who = guard(actor, "award.write")
    if data.event_id is not None and session.get(Event, data.event_id) is None:
        raise NotFound(f"No event with id {data.event_id}.", {"event_id": data.event_id})
    if session.scalar(select(AwardEdition.id).where(AwardEdition.year == data.year)):
        raise Conflict(f"There is already an edition in {data.year}.", {"year": data.year})
    edition = AwardEdition(**data.model_dump())
    session.add(edition)
    session.flush()
    audit.record(session, actor=who, action="create", entity="award_edition",
                 entity_id=edition.id, after=data.model_dump())  # fmt: skip
    return edition


def nominate(
    session: Session, year: int, data: NominationCreate, *, actor: Actor | str = LOCAL_ADMIN
) -> Nomination:
    """Put a partnership or a place forward for an award in an edition."""
    who = guard(actor, "award.write")
    edition = get_edition(session, year)
    award = session.scalar(select(AwardType).where(AwardType.code == data.award))
    if award is None:
        raise NotFound(f"No award type {data.award!r}.", {"award": data.award})
    if data.partnership_id is not None and session.get(Partnership, data.partnership_id) is None:
        raise NotFound(
            f"No partnership with id {data.partnership_id}.", {"id": data.partnership_id}
        )
    if data.place_id is not None and session.get(Place, data.place_id) is None:
        raise NotFound(f"No place with id {data.place_id}.", {"place_id": data.place_id})
    nomination = Nomination(
        edition_id=edition.id,
        award_type_id=award.id,
        **data.model_dump(exclude={"award"}),
    )
    session.add(nomination)
    session.flush()
    audit.record(session, actor=who, action="create", entity="nomination",
                 entity_id=nomination.id, after={"year": year, **data.model_dump()})  # fmt: skip
    return nomination


def score(
    session: Session, nomination_id: int, data: ScoreCreate, *, actor: Actor | str = LOCAL_ADMIN
) -> JudgeScore:
    """Record a judge's score on a criterion (once per judge and criterion)."""
    who = guard(actor, "award.write")
    nomination = session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound(f"No nomination with id {nomination_id}.", {"id": nomination_id})
    entry = JudgeScore(**data.model_dump())
    try:
        with session.begin_nested():
            nomination.scores.append(entry)
    except IntegrityError:
        session.expire(nomination, ["scores"])
        raise Conflict(
            f"{data.judge} has already scored this nomination on {data.criterion!r}.",
            {"judge": data.judge, "criterion": data.criterion},
        ) from None
    audit.record(session, actor=who, action="score", entity="nomination",
                 entity_id=nomination_id, after=data.model_dump())  # fmt: skip
    return entry


def results(session: Session, year: int) -> dict[str, Any]:
    """An edition's nominations per award type, ranked by mean score, winners marked."""
    edition = get_edition(session, year)
    nominations = session.scalars(
        select(Nomination).where(Nomination.edition_id == edition.id).order_by(Nomination.id)
    ).all()
    awards = []
    for award in list_award_types(session):
        ranked = sorted(
            (_nomination_dict(session, n) for n in nominations if n.award_type_id == award.id),
            key=lambda n: (n["mean_score"] is None, -(n["mean_score"] or 0), -n["scores"], n["id"]),
        )
        for rank, entry in enumerate(ranked, start=1):
            entry["rank"] = rank
            entry["winner"] = rank <= edition.winners_per_award and entry["mean_score"] is not None
        awards.append({**award_type_dict(award), "nominations": ranked})
    return {**edition_dict(edition), "awards": awards}


def edition_dict(edition: AwardEdition) -> dict[str, Any]:
    event = edition.event
    return {
        "year": edition.year,
        "winners_per_award": edition.winners_per_award,
        "source": edition.source,
        "event": None
        if event is None
        else {
            "id": event.id,
            "name_zh": event.name_zh,
            "name_en": event.name_en,
            "starts": event.starts,
        },  # fmt: skip
    }


def _nomination_dict(session: Session, nomination: Nomination) -> dict[str, Any]:
    scores = [s.score for s in nomination.scores]
    return {
        "id": nomination.id,
        "nominee": _nominee(session, nomination),
        "citation_zh": nomination.citation_zh,
        "citation_en": nomination.citation_en,
        "mean_score": round(fmean(scores), 3) if scores else None,
        "scores": len(scores),
        "judges": sorted({s.judge for s in nomination.scores}),
    }


def _nominee(session: Session, nomination: Nomination) -> dict[str, Any]:
    if nomination.partnership_id is not None:
        pair = session.get(Partnership, nomination.partnership_id)
        sides = [session.get(Place, pair.place_a_id), session.get(Place, pair.place_b_id)]
        return {
            "partnership_id": pair.id,
            "places": [{"id": p.id, "name": p.name, "name_zh": p.name_zh} for p in sides],
        }
    place = session.get(Place, nomination.place_id)
    return {"place": {"id": place.id, "name": place.name, "name_zh": place.name_zh}}

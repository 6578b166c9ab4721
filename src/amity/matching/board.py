"""The partner-seeking board: notes of what a place seeks and offers, and two-way matches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.permissions import LOCAL_ADMIN, Actor, guard
from amity.core.errors import NotFound
from amity.matching.engine import engine_knowing
from amity.matching.models import BoardNote
from amity.matching.recommend import score_all
from amity.matching.schemas import NoteWrite
from amity.matching.settings import matching_settings
from amity.places.models import Country, Place

# Population bounds of the sizes a note may seek.
SIZE_BOUNDS = {"small": (0, 500_000), "medium": (500_000, 3_000_000), "large": (3_000_000, None)}


def _terms(values: list[str]) -> list[str]:
    return sorted({v.strip().casefold() for v in values if v and v.strip()})


def post_note(
    session: Session, data: NoteWrite, *, actor: Actor | str = LOCAL_ADMIN
) -> dict[str, Any]:
    """Post a note for a place (its officers, or an administrator)."""
    place = session.get(Place, data.place_id)
    if place is None:
        raise NotFound(f"No place with id {data.place_id}", {"place_id": data.place_id})
    who = guard(actor, "matching.note.write", [place])
    note = BoardNote(
        place_id=data.place_id,
        seeks_countries=sorted({c.upper() for c in data.seeks_countries}),
        seeks_continents=sorted(set(data.seeks_continents)),
        seeks_size=data.seeks_size,
        seeks_fields=_terms(data.seeks_fields),
        offers_fields=_terms(data.offers_fields),
        description=data.description,
        contact=data.contact,
        status="open",
    )
    session.add(note)
    session.flush()
    row = note_row(note, place)
    audit.record(session, actor=who, action="create", entity="board_note", entity_id=note.id,
                 after=row)  # fmt: skip
    return row


def list_notes(
    session: Session, *, country: str | None = None, field: str | None = None,
    status: str = "open",
) -> list[dict[str, Any]]:  # fmt: skip
    """Notes, newest first, filtered by the place's country and a field sought or offered."""
    query = (
        select(BoardNote, Place)
        .join(Place, Place.id == BoardNote.place_id)
        .where(BoardNote.status == status)
        .order_by(BoardNote.id.desc())
    )
    if country:
        query = query.where(Place.country_code == country.upper())
    wanted = field.strip().casefold() if field else None
    return [
        note_row(note, place)
        for note, place in session.execute(query)
        if not wanted or wanted in note.seeks_fields or wanted in note.offers_fields
    ]


def close_note(
    session: Session, note_id: int, *, actor: Actor | str = LOCAL_ADMIN
) -> dict[str, Any]:
    note = _get(session, note_id)
    place = session.get(Place, note.place_id)
    who = guard(actor, "matching.note.write", [place])
    before = note.status
    note.status = "closed"
    session.flush()
    audit.record(session, actor=who, action="close", entity="board_note", entity_id=note.id,
                 before={"status": before}, after={"status": "closed"})  # fmt: skip
    return note_row(note, place)


def _get(session: Session, note_id: int) -> BoardNote:
    note = session.get(BoardNote, note_id)
    if note is None:
        raise NotFound(f"No note with id {note_id}", {"note": note_id})
    return note


def seeks(note: BoardNote, place: Place, continent: str | None) -> list[str]:
    """Why a place fits what a note seeks; empty when it does not (country, size or fields)."""
    if note.seeks_countries and place.country_code not in note.seeks_countries:
        return []
    if note.seeks_continents and continent not in note.seeks_continents:
        return []
    if note.seeks_size in SIZE_BOUNDS:
        low, high = SIZE_BOUNDS[note.seeks_size]
        if (
            place.population is None
            or place.population < low
            or (high is not None and place.population >= high)
        ):
            return []
    return ["where and size"]


def matches(session: Session, note_id: int) -> dict[str, Any]:
    """Open notes that fit this one both ways, ranked by fields met and the recommender's score.

    A matches B when A's place is where and what size B seeks, B's place likewise for A, and
    each offers at least one field the other seeks (when the other names any).
    """
    note = _get(session, note_id)
    place = session.get(Place, note.place_id)
    continents = dict(session.execute(select(Country.iso2, Country.continent)).all())
    eng = engine_knowing(session, place.id)
    scored = score_all(session, eng, place, matching_settings())
    found = []
    others = (
        select(BoardNote, Place)
        .join(Place, Place.id == BoardNote.place_id)
        .where(BoardNote.status == "open", BoardNote.id != note.id, Place.id != place.id)
    )
    for other, other_place in session.execute(others):
        if not seeks(note, other_place, continents.get(other_place.country_code)):
            continue
        if not seeks(other, place, continents.get(place.country_code)):
            continue
        theirs = sorted(set(note.seeks_fields) & set(other.offers_fields))
        ours = sorted(set(other.seeks_fields) & set(note.offers_fields))
        if (note.seeks_fields and not theirs) or (other.seeks_fields and not ours):
            continue
        pos = eng.index.pos.get(other_place.id)
        score = float(scored["total"][pos]) if pos is not None else None
        found.append(
            {
                "note": note_row(other, other_place),
                "they_offer_what_we_seek": theirs,
                "we_offer_what_they_seek": ours,
                "score": round(score, 4) if score is not None else None,
            }
        )
    found.sort(key=_match_order)
    return {"note": note_row(note, place), "matches": found}


def _match_order(match: dict[str, Any]) -> tuple[int, float]:
    fields = len(match["they_offer_what_we_seek"]) + len(match["we_offer_what_they_seek"])
    return (-fields, -(match["score"] if match["score"] is not None else -1e9))


def note_row(note: BoardNote, place: Place) -> dict[str, Any]:
    """A note as the API shows it, with its place."""
    return {
        "id": note.id,
        "place": {"id": place.id, "name": place.name, "name_zh": place.name_zh,
                  "country_code": place.country_code},
        "seeks_countries": list(note.seeks_countries),
        "seeks_continents": list(note.seeks_continents),
        "seeks_size": note.seeks_size,
        "seeks_fields": list(note.seeks_fields),
        "offers_fields": list(note.offers_fields),
        "description": note.description,
        "contact": note.contact,
        "status": note.status,
    }  # fmt: skip

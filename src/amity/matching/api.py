"""Matchmaking API: recommendations, profiles, the layout plan and the partner-seeking board."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor
from amity.auth.web import api_actor
from amity.core.bounds import Id
from amity.http.deps import SESSION
from amity.matching import board, plan, profiles, recommend
from amity.matching.schemas import NoteWrite, ProfileWrite

router = APIRouter(prefix="/api/v1", tags=["matching"])


@router.get("/recommendations")
def get_recommendations(
    place: Id,
    k: int = Query(10, ge=1, le=recommend.MAX_K),
    country: str | None = Query(None, min_length=2, max_length=2),
    continent: str | None = None,
    scope: str = "home",
    explain_excluded: bool = False,
    session: Session = SESSION,
) -> dict[str, Any]:
    """Top-k partner candidates for a place, each factor's contribution in English and Chinese."""
    return recommend.recommend(
        session, place, k=k, country=country, continent=continent, scope=scope,
        explain_excluded=explain_excluded,
    )  # fmt: skip


@router.get("/plan")
def get_plan(
    new: int = Query(10, ge=1, le=plan.MAX_NEW),
    province: str | None = None,
    home: str | None = Query(None, min_length=2, max_length=2),
    session: Session = SESSION,
) -> dict[str, Any]:
    """N new pairings for a province or the home country, with the layout before and after."""
    return plan.plan(session, new=new, province=province, home=home)


@router.get("/profiles/{place_id}")
def get_profile(place_id: Id, session: Session = SESSION) -> dict[str, Any]:
    """A place's declared industries, needs, offers and fields of cooperation."""
    return profiles.get_profile(session, place_id)


@router.put("/profiles/{place_id}")
def put_profile(
    place_id: Id, body: ProfileWrite, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:  # fmt: skip
    """Create or replace a place's declared profile (its officers, or an administrator)."""
    return profiles.save_profile(session, place_id, body, actor=actor)


@router.get("/board/notes")
def get_notes(
    country: str | None = Query(None, min_length=2, max_length=2),
    field: str | None = None,
    status: str = Query("open", pattern="^(open|closed)$"),
    session: Session = SESSION,
) -> dict[str, Any]:
    """Notes on the partner-seeking board, newest first."""
    notes = board.list_notes(session, country=country, field=field, status=status)
    return {"count": len(notes), "notes": notes}


@router.post("/board/notes", status_code=201)
def post_note(
    body: NoteWrite, session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Post what a place seeks and offers."""
    return board.post_note(session, body, actor=actor)


@router.post("/board/notes/{note_id}/close")
def close_note(
    note_id: Id, session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Take a note off the board."""
    return board.close_note(session, note_id, actor=actor)


@router.get("/board/matches/{note_id}")
def get_matches(note_id: Id, session: Session = SESSION) -> dict[str, Any]:
    """Notes that match this one both ways, ranked with the recommender."""
    return board.matches(session, note_id)

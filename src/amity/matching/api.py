"""Matchmaking API: recommendations, profiles, the layout plan and the partner-seeking board."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor
from amity.auth.web import api_actor
from amity.core import i18n
from amity.core.bounds import Id
from amity.core.spreadsheets import CSV_ENCODING_HELP, CsvEncoding, csv_media_type, encode_csv
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS
from amity.matching import export, service
from amity.matching.schemas import (
    Note,
    NoteMatches,
    Notes,
    NoteWrite,
    Plan,
    Profile,
    ProfileWrite,
    Recommendations,
)

router = APIRouter(prefix="/api/v1", tags=["matching"])


def recommend_query(
    place: Id,
    k: int = Query(10, ge=1, le=service.MAX_K),
    country: str | None = Query(None, min_length=2, max_length=2),
    continent: str | None = Query(None, description="A continent, e.g. Africa."),
    region: str | None = Query(
        None, description="A UN M49 sub-region, e.g. Latin America and the Caribbean."
    ),
    belt_and_road: bool = Query(
        False, description="Only countries that signed Belt and Road cooperation documents."
    ),
    under_represented: bool = Query(
        False, description="Only countries with fewer than "
        f"{service.UNDER_REPRESENTED_BELOW} partnerships with the home country.",
    ),
    scope: str = "home",
    diverse: bool = Query(
        True, description="For a place of the home country: places already in many home "
        "cities' lists give way where they fit less well (the diversity re-ranking).",
    ),
) -> dict:
    """The recommendation's query, the same for the JSON answer and its exports."""
    return {"place_id": place, "k": k, "country": country, "continent": continent,
            "region": region, "belt_and_road": belt_and_road,
            "under_represented": under_represented, "scope": scope, "diverse": diverse}  # fmt: skip


# Each page's JSON twin is its path under /api/v1 (/recommend, /board, /board/{id},
# /places/{id}/profile); the first paths, which integrators use, stay.
# Without explain_excluded the answer has no "excluded" key (not a null one).
@router.get(
    "/recommend", response_model=Recommendations, response_model_exclude_unset=True,
    operation_id="get_recommendations_twin",
)
@router.get(
    "/recommendations", response_model=Recommendations, response_model_exclude_unset=True
)
def get_recommendations(
    query: dict = Depends(recommend_query),
    explain_excluded: bool = False,
    session: Session = SESSION,
) -> dict:
    """Top-k partner candidates for a place, each factor's contribution in English and Chinese."""
    return service.recommend(session, **query, explain_excluded=explain_excluded)


Lang = Literal["en", "zh"] | None
LANG = Query(None, description="The file's language (default: the page's, from the browser).")
CSV_EXAMPLE = (
    "名次,候选地点,国家或地区,层级,得分,多样性调整,排序得分,主要理由\r\n"
    "1,内罗毕,肯尼亚,城市,1.23,0.0,1.23,＋ “一带一路”合作国家；布局薄弱的大洲（非洲）\r\n"
)


@router.get(
    "/recommend/export.csv",
    response_class=StreamingResponse,
    responses={**READ_ERRORS, 200: {
        "content": {"text/csv": {"example": CSV_EXAMPLE}},
        "description": "CSV: rank, name, country, level, score, diversity penalty, rank score "
        "(score − penalty, the list's order), the main reasons in words",
    }},
)  # fmt: skip
def export_recommendations_csv(
    request: Request,
    query: dict = Depends(recommend_query),
    lang: Lang = LANG,
    encoding: CsvEncoding = Query("utf-8", description=CSV_ENCODING_HELP),
    session: Session = SESSION,
) -> StreamingResponse:
    """The recommendations as the page lists them, for people: names and reasons in the
    language, no index names (UTF-8 with a byte-order mark; `encoding=gb18030` for older
    Excel)."""
    result = service.recommend(session, **query)
    # Written now: the rows read the places' levels while the session is open.
    chunks = list(export.csv_chunks(session, result, lang or i18n.choose_locale(request)))
    name = f"recommendations-{query['place_id']}.csv"
    return StreamingResponse(
        encode_csv(chunks, encoding),
        media_type=csv_media_type(encoding),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/recommend/export.xlsx",
    response_class=Response,
    responses={**READ_ERRORS, 200: {
        "content": {export.XLSX_TYPE: {}},
        "description": "Excel: the list, the factors' details, and a sheet about the export",
    }},
)  # fmt: skip
def export_recommendations_xlsx(
    request: Request,
    query: dict = Depends(recommend_query),
    lang: Lang = LANG,
    session: Session = SESSION,
) -> Response:
    """The recommendations as an Excel workbook for people: the list in the language with a
    frozen, filtered header; each factor's contribution on the sheet "Details"; for which place,
    when, with which filters and weights on the last sheet."""
    result = service.recommend(session, **query)
    locale = lang or i18n.choose_locale(request)
    content = export.xlsx(session, result, locale, diverse=query["diverse"])
    name = f"recommendations-{query['place_id']}.xlsx"
    return Response(
        content,
        media_type=export.XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/plan", response_model=Plan)
def get_plan(
    new: int = Query(10, ge=1, le=service.MAX_NEW),
    province: str | None = None,
    home: str | None = Query(None, min_length=2, max_length=2),
    session: Session = SESSION,
) -> dict:
    """N new pairings for a province or the home country, with the layout before and after."""
    return service.plan(session, new=new, province=province, home=home)


@router.get("/places/{place_id}/profile", response_model=Profile, operation_id="get_profile_twin")
@router.get("/profiles/{place_id}", response_model=Profile)
def get_profile(place_id: Id, session: Session = SESSION) -> dict:
    """A place's declared industries, needs, offers and fields of cooperation."""
    return service.get_profile(session, place_id)


@router.put("/profiles/{place_id}", response_model=Profile)
def put_profile(
    place_id: Id, body: ProfileWrite, session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:  # fmt: skip
    """Create or replace a place's declared profile (its officers, or an administrator)."""
    return service.save_profile(session, place_id, body, actor=actor)


@router.get("/board", response_model=Notes, operation_id="get_notes_twin")
@router.get("/board/notes", response_model=Notes)
def get_notes(
    country: str | None = Query(None, min_length=2, max_length=2),
    field: str | None = None,
    status: str = Query("open", pattern="^(open|closed)$"),
    session: Session = SESSION,
) -> dict:
    """Notes on the partner-seeking board, newest first."""
    notes = service.list_notes(session, country=country, field=field, status=status)
    return {"count": len(notes), "notes": notes}


@router.post("/board/notes", status_code=201, response_model=Note)
def post_note(
    body: NoteWrite, session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> dict:
    """Post what a place seeks and offers."""
    return service.post_note(session, body, actor=actor)


@router.post("/board/notes/{note_id}/close", response_model=Note)
def close_note(
    note_id: Id, session: Session = SESSION, actor: Actor = Depends(api_actor)
) -> dict:
    """Take a note off the board."""
    return service.close_note(session, note_id, actor=actor)


@router.get("/board/{note_id}", response_model=NoteMatches, operation_id="get_matches_twin")
@router.get("/board/matches/{note_id}", response_model=NoteMatches)
def get_matches(note_id: Id, session: Session = SESSION) -> dict:
    """Notes that match this one both ways, ranked with the recommender."""
    return service.matches(session, note_id)

"""The partnerships API under /api/v1: lists with facets, exports, statistics, writes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor
from amity.auth.web import api_actor
from amity.core import i18n
from amity.core.bounds import Id
from amity.core.errors import InvalidInput
from amity.core.listing import MAX_PER_PAGE
from amity.core.spreadsheets import (
    CSV_ENCODING_HELP,
    CsvEncoding,
    csv_media_type,
    encode_csv,
)
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS, WRITE_ERRORS, require_json
from amity.partnerships import anniversaries, export, export_people, service
from amity.partnerships.schemas import (
    SORT_KEYS,
    AboutData,
    Anniversaries,
    Continent,
    FrontPage,
    Kind,
    Level,
    PartnershipCreate,
    PartnershipEnd,
    PartnershipPage,
    PartnershipQuery,
    PartnershipRead,
    PartnershipUpdate,
    PlacePartners,
    Region,
    Status,
)

router = APIRouter(prefix="/api/v1", tags=["partnerships"])

PartnershipId = Annotated[Id, Path(description="The partnership's id.")]


def _filters(
    q: str | None = Query(None, max_length=100, description="Text in either side's names."),
    country: list[str] = Query([], description="ISO 3166-1 alpha-2; either side."),
    continent: list[Continent] = Query([], description="Either side's continent."),
    province: list[str] = Query([], description="GB/T 2260 provincial code; either side."),
    region: list[Region] = Query([], description="China's belt, either side."),
    level: list[Level] = Query([]),
    kind: list[Kind] = Query([]),
    status: list[Status] = Query([]),
    source: list[str] = Query([]),
    place: list[Id] = Query([], description="A place id: its partnerships."),
    established_from: int | None = Query(
        None, ge=1, le=9999, description="Signed in this year or later (undated pairs left out)."
    ),
    established_to: int | None = Query(None, ge=1, le=9999, description="Signed by this year."),
    sort: str = Query("id", description=f"One of {', '.join(SORT_KEYS)}; prefix - to descend."),
) -> dict:
    return {
        "q": q,
        "country": country,
        "continent": continent,
        "province": province,
        "region": region,
        "level": level,
        "kind": kind,
        "status": status,
        "source": source,
        "place": place,
        "established_from": established_from,
        "established_to": established_to,
        "sort": sort,
    }


def _query(fields: dict) -> PartnershipQuery:
    try:
        return PartnershipQuery(**fields)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in error.errors()]
        ) from None


def partnership_query(
    filters: dict = Depends(_filters),
    page: Annotated[Id, Query()] = 1,
    per_page: int = Query(50, ge=1, le=MAX_PER_PAGE, description=f"At most {MAX_PER_PAGE}."),
) -> PartnershipQuery:
    """The list query from the URL (several values of a filter: repeat the parameter)."""
    return _query({**filters, "page": page, "per_page": per_page})


def export_query(filters: dict = Depends(_filters)) -> PartnershipQuery:
    """The selection to export: the list's filters and sort, every page."""
    return _query(filters)


_read = {"responses": READ_ERRORS}
_write = {
    "responses": WRITE_ERRORS,
    "dependencies": [Depends(require_json)],
}


@router.get(
    "/partnerships",
    response_model=PartnershipPage,
    **_read,
)
def list_partnerships(
    query: PartnershipQuery = Depends(partnership_query), session: Session = SESSION
) -> Response:
    """Partnerships matching the filters, a page of them, and facet counts.

    Several values of one filter mean any of them; different filters must all hold. A facet's
    counts ignore that facet's own filter, so they show what choosing another value gives.
    """
    # Already JSON (checked against PartnershipPage when rendered), kept per registry state.
    return Response(service.list_partnerships_json(session, query), media_type="application/json")




@router.get(
    "/partnerships/export.csv",
    response_class=StreamingResponse,
    responses={**READ_ERRORS, 200: {"content": {"text/csv": {}}, "description": "CSV"}},
)
def export_partnerships_csv(
    query: PartnershipQuery = Depends(export_query),
    encoding: CsvEncoding = Query("utf-8", description=CSV_ENCODING_HELP),
    session: Session = SESSION,
) -> StreamingResponse:
    """The whole selection as CSV with the registry's codes and ids, for programs (UTF-8 with a
    byte-order mark, so Excel reads Chinese; `encoding=gb18030` for older Excel)."""
    rows = list(service.iter_partnerships(session, query))
    return StreamingResponse(
        encode_csv(export.csv_text_chunks(rows), encoding),
        media_type=csv_media_type(encoding),
        headers={"Content-Disposition": 'attachment; filename="partnerships.csv"'},
    )


@router.get(
    "/partnerships/export.xlsx",
    response_class=Response,
    responses={**READ_ERRORS, 200: {"content": {export.XLSX_TYPE: {}}, "description": "Excel"}},
)
def export_partnerships_xlsx(
    request: Request,
    query: PartnershipQuery = Depends(export_query),
    lang: Literal["en", "zh"] | None = Query(
        None, description="The workbook's language (default: the page's, from the browser)."
    ),
    raw: bool = Query(False, description="The coded columns (ids, ISO codes, keys) instead."),
    session: Session = SESSION,
) -> Response:
    """The whole selection as an Excel workbook for people: names in the language, a frozen
    header with filters, and a sheet saying what was selected and when. `raw=true`: one sheet
    with the CSV's coded columns."""
    items = service.iter_partnerships(session, query)
    if raw:
        content = export.xlsx_bytes(items)
    else:
        locale = lang or i18n.choose_locale(request)
        content = export_people.people_xlsx(session, query, items, locale=locale)
    name = "partnerships-raw.xlsx" if raw else "partnerships.xlsx"
    return Response(
        content,
        media_type=export.XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/partnerships/{partnership_id}", response_model=PartnershipRead, **_read)
def get_partnership(
    partnership_id: PartnershipId, session: Session = SESSION
) -> dict:
    """One partnership with everything stored about it."""
    return service.get_partnership(session, partnership_id)


@router.post("/partnerships", response_model=PartnershipRead, status_code=201, **_write)
def create_partnership(
    data: PartnershipCreate,
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:
    """Record a partnership between two known places (needs an API token)."""
    return service.create_partnership(session, data, actor=actor)


@router.patch("/partnerships/{partnership_id}", response_model=PartnershipRead, **_write)
def update_partnership(
    data: PartnershipUpdate,
    partnership_id: PartnershipId,
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:
    """Change a partnership's details (needs an API token)."""
    return service.update_partnership(session, partnership_id, data, actor=actor)


@router.post("/partnerships/{partnership_id}/end", response_model=PartnershipRead, **_write)
def end_partnership(
    data: PartnershipEnd,
    partnership_id: PartnershipId,
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:
    """End a partnership: status terminated, kept in the registry (needs an API token)."""
    return service.end_partnership(
        session, partnership_id, data.ended_on, data.reason, actor=actor
    )


@router.get("/places/{place_id}/partners", response_model=PlacePartners, **_read)
def place_partners(place_id: Annotated[Id, Path()], session: Session = SESSION) -> dict:
    """A place and its partners, each with the relationship."""
    return service.place_partners(session, place_id)


@router.get("/about/data", response_model=AboutData, **_read)
def about_data(session: Session = SESSION) -> dict:
    """The twin of the page /about/data: the registry's totals and partnerships per source."""
    facets = service.list_partnerships(session, PartnershipQuery(per_page=1))["facets"]
    return {"stats": service.registry_stats(session), "by_source": facets.get("source", [])}


_OFFICE = "A place id: its office's partnerships (a province's with its cities'); all if left out."
_FROM = "First day of the twelve months (YYYY-MM-DD); today when left out."


@router.get(
    "/anniversaries",
    response_model=Anniversaries,
    **_read,
)
def list_anniversaries(
    office: Annotated[Id | None, Query(description=_OFFICE)] = None,
    start: Annotated[date | None, Query(alias="from", description=_FROM)] = None,
    session: Session = SESSION,
) -> dict:
    """Round anniversaries (5, 10, 20, 25, 30, 40, 50, then every 10 years) in the twelve months
    from `from`, soonest first; the JSON twin of /anniversaries (and of /anniversaries.ics).

    A date known only to the year or month is listed with that precision and `in_calendar`
    false: no day is made up.
    """
    if start is not None and not 1 <= start.year <= 9998:  # the window must end in a real year
        raise InvalidInput("`from` must be a date between years 1 and 9998.", {"from": str(start)})
    return anniversaries.upcoming(session, office_id=office, start=start)


@router.get("/", response_model=FrontPage, **_read)
def front_page(
    lang: Literal["en", "zh"] = Query("en", description="The language of the names."),
    session: Session = SESSION,
) -> dict:
    """The home page's twin: the registry's totals, partnerships per country for the map (HK, MO
    and TW take the home country's colour), the top countries."""
    return service.front_page(session, locale=lang)

"""The exchanges and relationship-health API under /api/v1 (writes need an API token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.auth.permissions import Actor
from amity.auth.web import api_actor
from amity.core.bounds import Id, Year
from amity.core.listing import MAX_PER_PAGE
from amity.core.spreadsheets import (
    CSV_ENCODING_HELP,
    CsvEncoding,
    csv_media_type,
    encode_csv,
)
from amity.exchanges import export, health_office, service, taxonomy
from amity.exchanges.models import TAXONOMIES
from amity.exchanges.schemas import (
    Direction,
    ExchangeCreate,
    ExchangePage,
    ExchangeQuery,
    ExchangeRead,
    ExchangeUpdate,
    HealthAction,
    HealthList,
    PartnershipActivity,
    PartnershipHealth,
    PlaceExchanges,
    Taxonomy,
    Term,
    TermCreate,
    Timeline,
)
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS, WRITE_ERRORS, require_json

router = APIRouter(prefix="/api/v1", tags=["exchanges"])

ExchangeId = Annotated[Id, Path(description="The exchange's id.")]
PartnershipId = Annotated[Id, Path(description="The partnership's id.")]
_read = {"responses": READ_ERRORS}
_write = {
    "responses": WRITE_ERRORS,
    "dependencies": [Depends(require_json)],
}


def _filters(
    q: str | None = Query(None, max_length=100, description="Text in title, people, outcome."),
    country: list[str] = Query([], description="ISO 3166-1 alpha-2; either side."),
    mode: list[str] = Query([], description="A mode code (see /exchanges/taxonomy)."),
    field: list[str] = Query([], description="A field code."),
    year: list[Year] = Query([], description="The year the exchange started."),
    direction: list[Direction] = Query([]),
    place: list[Id] = Query([], description="A place id: its exchanges."),
    partnership: list[Id] = Query([], description="A partnership id: its exchanges."),
    sort: str = Query("-start", description="start or id; prefix - to descend."),
) -> dict:
    return {
        "q": q, "country": country, "mode": mode, "field": field, "year": year,
        "direction": direction, "place": place, "partnership": partnership, "sort": sort,
    }  # fmt: skip


def _query(fields: dict) -> ExchangeQuery:
    try:
        return ExchangeQuery(**fields)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in error.errors()]
        ) from None


def exchange_query(
    filters: dict = Depends(_filters),
    page: Annotated[Id, Query()] = 1,
    per_page: int = Query(50, ge=1, le=MAX_PER_PAGE, description=f"At most {MAX_PER_PAGE}."),
) -> ExchangeQuery:
    """The list query from the URL (several values of a filter: repeat the parameter)."""
    return _query({**filters, "page": page, "per_page": per_page})


@router.get(
    "/exchanges",
    response_model=ExchangePage,
    **_read,
)
def list_exchanges(
    query: ExchangeQuery = Depends(exchange_query), session: Session = SESSION
) -> dict:
    """Exchanges matching the filters, a page of them, and facet counts (each ignoring its own)."""
    return service.list_exchanges(session, query)


@router.get(
    "/exchanges/export.csv",
    response_class=StreamingResponse,
    responses={**READ_ERRORS, 200: {"content": {"text/csv": {}}, "description": "CSV"}},
)
def export_exchanges_csv(
    filters: dict = Depends(_filters),
    encoding: CsvEncoding = Query("utf-8", description=CSV_ENCODING_HELP),
    session: Session = SESSION,
) -> StreamingResponse:
    """The whole selection as CSV in the import's columns (UTF-8 with a byte-order mark, so
    Excel reads Chinese; `encoding=gb18030` for older Excel)."""
    rows = list(service.iter_exchanges(session, _query(filters)))
    return StreamingResponse(
        encode_csv(export.csv_text_chunks(rows), encoding),
        media_type=csv_media_type(encoding),
        headers={"Content-Disposition": 'attachment; filename="exchanges.csv"'},
    )


@router.get("/exchanges/taxonomy", response_model=Taxonomy, **_read)
def get_taxonomy(session: Session = SESSION) -> dict:
    """The modes and fields of exchanges, with English and Chinese labels."""
    return taxonomy.taxonomy(session)


@router.post("/exchanges/taxonomy/{kind}", response_model=Term, status_code=201, **_write)
def add_term(
    data: TermCreate,
    kind: str = Path(description=f"One of {', '.join(TAXONOMIES)}."),
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:
    """Add a mode or a field (national administrators)."""
    return taxonomy.add_term(session, kind, data.code, label_en=data.label_en,
                             label_zh=data.label_zh, actor=actor)  # fmt: skip


@router.get("/exchanges/{exchange_id}", response_model=ExchangeRead, **_read)
def get_exchange(exchange_id: ExchangeId, session: Session = SESSION) -> dict:
    """One exchange."""
    return service.get_exchange(session, exchange_id)


@router.post("/exchanges", response_model=ExchangeRead, status_code=201, **_write)
def create_exchange(
    data: ExchangeCreate,
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:
    """Record an exchange: name its partnership, or its two places (needs an API token)."""
    return service.create_exchange(session, data, actor=actor)


@router.patch("/exchanges/{exchange_id}", response_model=ExchangeRead, **_write)
def update_exchange(
    data: ExchangeUpdate,
    exchange_id: ExchangeId,
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> dict:
    """Change an exchange's details (needs an API token)."""
    return service.update_exchange(session, exchange_id, data, actor=actor)


@router.delete(
    "/exchanges/{exchange_id}",
    status_code=204,
    response_class=Response,
    responses=WRITE_ERRORS,
)
def delete_exchange(
    exchange_id: ExchangeId,
    session: Session = SESSION,
    actor: Actor = Depends(api_actor),
) -> Response:
    """Delete an exchange recorded in error (needs an API token)."""
    service.delete_exchange(session, exchange_id, actor=actor)
    return Response(status_code=204)


@router.get("/partnerships/{partnership_id}/timeline", response_model=Timeline, **_read)
def timeline(partnership_id: PartnershipId, session: Session = SESSION) -> dict:
    """A partnership's exchanges, newest first."""
    return service.partnership_timeline(session, partnership_id)


@router.get("/partnerships/{partnership_id}/health", response_model=PartnershipHealth, **_read)
def partnership_health(
    partnership_id: PartnershipId, session: Session = SESSION
) -> dict:
    """A partnership's activity, dormancy, health score with reasons, and status history."""
    return health_office.partnership_health(session, partnership_id)


@router.get("/partnerships/{partnership_id}/activity", response_model=PartnershipActivity, **_read)
def partnership_activity(partnership_id: PartnershipId, session: Session = SESSION) -> dict:
    """The twin of the page /partnerships/{id}/activity: health with history, and exchanges."""
    return {
        "partnership_id": partnership_id,
        "health": health_office.partnership_health(session, partnership_id),
        "timeline": service.partnership_timeline(session, partnership_id),
    }


# /activity is the twin of the page /places/{id}/activity; /exchanges, the first path, stays.
@router.get(
    "/places/{place_id}/activity", response_model=PlaceExchanges,
    operation_id="place_exchanges_twin", **_read,
)
@router.get("/places/{place_id}/exchanges", response_model=PlaceExchanges, **_read)
def place_exchanges(place_id: Annotated[Id, Path()], session: Session = SESSION) -> dict:
    """A place's exchanges with any partner, newest first."""
    return service.place_exchanges(session, place_id)


# /health is the twin of the page /health; /attention, its name before, stays for integrators.
@router.get("/health", response_model=HealthList, operation_id="unhealthy_list_twin", **_read)
@router.get("/attention", response_model=HealthList, **_read)
def unhealthy_list(
    office: Annotated[
        Id, Query(description="The office's place id (a province sees its cities').")
    ],
    session: Session = SESSION,
) -> dict:
    """An office's dormant or declining partnerships not reviewed lately, worst first."""
    return health_office.unhealthy_list(session, office)


@router.get("/places/{place_id}/health", response_model=HealthList, **_read)
def place_health(place_id: Annotated[Id, Path()], session: Session = SESSION) -> dict:
    """The health of every partnership an office looks after, worst first."""
    return health_office.office_health(session, place_id)


def _action(name: str):
    def act(
        data: HealthAction,
        partnership_id: PartnershipId,
        session: Session = SESSION,
        actor: Actor = Depends(api_actor),
    ) -> dict:
        extra = {"days": data.days} if name == "review" else {}
        return health_office.ACTIONS[name](
            session, partnership_id, note=data.note, actor=actor, **extra
        )

    act.__doc__ = {
        "review": "Mark reviewed with a note; hidden from the health page's list for a while.",
        "reactivate": "Set the status back to active, with a note.",
        "propose-ending": "Record a proposal to end it; the status stays until decided.",
    }[name]
    act.__name__ = f"partnership_{name.replace('-', '_')}"
    return act


for _name in health_office.ACTIONS:
    router.post(
        f"/partnerships/{{partnership_id}}/{_name}", response_model=PartnershipHealth, **_write
    )(_action(_name))

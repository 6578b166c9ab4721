"""The partnerships list: text search, faceted filters with counts, sorting, pages, exports."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.listing import page_count
from amity.http.deps import SESSION
from amity.http.render import render
from amity.partnerships import service
from amity.partnerships.schemas import FACETS, PartnershipQuery
from amity.places.models import Place

router = APIRouter()
# Parameters of the page that are not part of the selection.
_PAGE_ONLY = ("lang", "page")


def selection_params(request: Request) -> list[tuple[str, str]]:
    """The query's non-empty parameters, as the form and the links carry them."""
    return [(k, v) for k, v in request.query_params.multi_items() if v.strip()]


def _problems(error: ValidationError) -> list[dict[str, str]]:
    """What was wrong with the selection, for the template to say in the page's language."""
    return [
        {
            "field": ".".join(str(p) for p in e["loc"] if not isinstance(p, int)),
            "unknown": e["type"] == "extra_forbidden",
            "value": str(e.get("input", "")),
            # The values a fixed-choice parameter takes (the sort), listed in the message.
            "allowed": re.findall(r"'([^']*)'", str((e.get("ctx") or {}).get("expected", ""))),
        }
        for e in error.errors()
    ]


@router.get("/partnerships", response_class=HTMLResponse)
def partnership_list(request: Request, session: Session = SESSION) -> HTMLResponse:
    params = selection_params(request)
    error = None
    try:
        query = PartnershipQuery.from_params(params)
    except ValidationError as exc:
        error, query, params = _problems(exc), PartnershipQuery(), []
    result = service.list_partnerships(session, query)
    # The places the list is narrowed to, named on the page and kept when another filter changes.
    chosen_places = [p for pid in query.place if (p := session.get(Place, pid)) is not None]
    selection = [(k, v) for k, v in params if k not in _PAGE_ONLY]
    export_query = "?" + urlencode(selection) if selection else ""
    # The workbook for people speaks the page's language (the CSV keeps codes: no language).
    xlsx_query = "?" + urlencode([*selection, ("lang", i18n.choose_locale(request))])
    gb18030_query = "?" + urlencode([*selection, ("encoding", "gb18030")])

    def page_url(page: int) -> str:
        return "/partnerships?" + urlencode([*selection, ("page", str(page))])

    def sort_url(key: str) -> str:
        """The list sorted by a column (the same filters, from page 1): ascending, or
        descending when it is sorted by that column ascending already."""
        order = f"-{key}" if query.sort == key else key
        kept = [(k, v) for k, v in selection if k != "sort"]
        return "/partnerships?" + urlencode([*kept, ("sort", order)])

    pages = page_count(result["total"], result["per_page"])

    return render(
        request,
        "partnerships/partnerships.html",
        result=result,
        facets=result["facets"],
        facet_names=FACETS,
        selected=dict(params),
        filtered=any(k not in ("lang", "sort", "page", "per_page") for k, _ in params),
        export_query=export_query,
        xlsx_query=xlsx_query,
        gb18030_query=gb18030_query,
        page_url=page_url,
        sort=query.sort,
        sort_url=sort_url,
        pages=pages,
        chosen_places=chosen_places,
        error=error,
        # A selection it cannot use (a page number past the range): shown, and a 422; a page
        # past the last one: said, with a link to the last one, and a 404.
        status_code=422 if error else 404 if query.page > pages else 200,
    )


"""The case library: search with facets and highlighted results, and each case in two languages."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from amity.attachments import service as attachments
from amity.auth.permissions import Actor
from amity.auth.web import current_actor
from amity.cases import service
from amity.cases.schemas import FACETS, CaseQuery
from amity.cases.search import search_cases, taxonomy_labels
from amity.core import i18n
from amity.core.bounds import Id
from amity.core.listing import page_count
from amity.http.deps import SESSION
from amity.http.render import render

router = APIRouter()
_PARAMS = ("q", *FACETS, "page")


@router.get("/cases", response_class=HTMLResponse)
def case_list(request: Request, session: Session = SESSION) -> HTMLResponse:
    params = [(k, v) for k, v in request.query_params.multi_items() if k in _PARAMS and v.strip()]
    error = False
    try:
        query = CaseQuery.from_params(params)
    except ValidationError:
        error, query, params = True, CaseQuery(), []
    result = search_cases(session, query)
    selection = [(k, v) for k, v in params if k != "page"]

    def toggle_url(name: str, value: object) -> str:
        """The search with a facet value added, or removed when it is already chosen."""
        pair = (name, str(value))
        chosen = [p for p in selection if p != pair]
        if pair not in selection:
            chosen.append(pair)
        return "/cases?" + urlencode(chosen)

    def page_url(page: int) -> str:
        return "/cases?" + urlencode([*selection, ("page", str(page))])

    return render(
        request,
        "cases/cases.html",
        result=result,
        facet_names=FACETS,
        chosen=set(selection),
        q=query.q or "",
        filtered=bool(selection),
        toggle_url=toggle_url,
        page_url=page_url,
        pages=page_count(result["total"], result["per_page"]),
        api_url="/api/v1/cases?" + urlencode(selection),
        error=error,
        # A selection it cannot use (a page number past the range): shown, and a 422.
        status_code=422 if error else 200,
    )


@router.get("/cases/{case_id:int}", response_class=HTMLResponse)
def case_page(
    case_id: Id, request: Request, session: Session = SESSION,
    actor: Actor = Depends(current_actor),
):  # fmt: skip
    case = service.case_dict(service.get_case(session, case_id))
    files = attachments.section(session, actor, "case", case_id, i18n.choose_locale(request),
                                request.query_params.get("attachment_error"))  # fmt: skip
    return render(request, "cases/case.html", case=case, labels=taxonomy_labels(session),
                  attachments=files)  # fmt: skip

"""Annual reports: the search page, a place's report, and its workbook and PDF downloads."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.bounds import Id, Year, parse_id
from amity.core.errors import InvalidInput, NotFound
from amity.http.deps import SESSION
from amity.http.render import not_found_page, render
from amity.places.service import resolve
from amity.reports.pdf import report_pdf
from amity.reports.service import FIRST_YEAR, annual_report
from amity.reports.workbook import report_workbook

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _years() -> list[int]:
    return list(range(date.today().year, FIRST_YEAR - 1, -1))


def _search(request: Request, status: int = 200, **context) -> HTMLResponse:
    context.setdefault("year", date.today().year - 1)
    return render(request, "reports/reports.html", status, years=_years(), **context)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, session: Session = SESSION) -> Response:
    """Choose a place (an id or a name) and a year; a name that resolves goes straight there."""
    query = request.query_params.get("place", "").strip()
    year_text = request.query_params.get("year", "").strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) <= 4 else date.today().year - 1
    # A place chosen from the suggestions (the form's hidden id) goes straight there.
    chosen = parse_id(request.query_params.get("place_id"))
    if chosen:
        return RedirectResponse(f"/reports/{chosen}/{year}", status_code=303)
    if not query:
        return _search(request, year=year)
    if query.isdigit():
        return RedirectResponse(f"/reports/{query}/{year}", status_code=303)
    result = resolve(session, query, limit=8)
    if result.status == "resolved":
        return RedirectResponse(f"/reports/{result.matches[0].id}/{year}", status_code=303)
    return _search(request, query=query, year=year, matches=result.matches)


def _report(request: Request, session: Session, place_id: int, year: int):
    """The report, or the error page to send instead."""
    try:
        return annual_report(session, place_id, year), None
    except NotFound:
        _ = i18n.translations(i18n.choose_locale(request)).gettext
        return None, not_found_page(request, _("No place with this id."))
    except InvalidInput as error:
        return None, _search(request, 422, year=year,
                             error=i18n.error_text(error, i18n.choose_locale(request)))


@router.get("/reports/{place_id:int}/{year:int}", response_class=HTMLResponse)
def report_page(
    place_id: Id, year: Year, request: Request, session: Session = SESSION
) -> Response:
    report, error = _report(request, session, place_id, year)
    return error or render(request, "reports/report.html", report=report, years=_years())


def _download(body: bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"
    })  # fmt: skip


@router.get("/reports/{place_id:int}/{year:int}.xlsx")
def report_xlsx(
    place_id: Id, year: Year, request: Request, session: Session = SESSION
) -> Response:
    report, error = _report(request, session, place_id, year)
    locale = i18n.choose_locale(request)
    return error or _download(
        report_workbook(report, locale), XLSX, f"amity-report-{place_id}-{year}-{locale}.xlsx"
    )


@router.get("/reports/{place_id:int}/{year:int}.pdf")
def report_pdf_download(
    place_id: Id, year: Year, request: Request, session: Session = SESSION
) -> Response:
    report, error = _report(request, session, place_id, year)
    locale = i18n.choose_locale(request)
    return error or _download(
        report_pdf(report, locale), "application/pdf",
        f"amity-report-{place_id}-{year}-{locale}.pdf",
    )  # fmt: skip

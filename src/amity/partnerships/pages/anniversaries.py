"""Round anniversaries of an office's partnerships (or all) in the coming twelve months, and
the same as an .ics feed; the import page with its templates."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.bounds import parse_id
from amity.core.errors import NotFound
from amity.http.deps import SESSION
from amity.http.render import render
from amity.partnerships import anniversaries
from amity.partnerships.template import HEADERS, template_csv, template_xlsx

router = APIRouter()
ICS = "text/calendar; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _params(request: Request) -> tuple[int | None, date | None, str | None]:
    """The office (a place id) and the first day of the window, or why they cannot be used."""
    _ = i18n.translations(i18n.choose_locale(request)).gettext
    office_text = request.query_params.get("office", "").strip()
    start_text = request.query_params.get("from", "").strip()
    office = parse_id(office_text) if office_text else None
    if office_text and office is None:
        return None, None, _("No place with this id.")
    try:
        start = date.fromisoformat(start_text) if start_text else None
    except ValueError:
        return office, None, _("Write the first day as YYYY-MM-DD.")
    if start is not None and not 1 <= start.year <= 9998:  # the window must end in a real year
        return office, None, _("Write the first day as YYYY-MM-DD.")
    return office, start, None


def _upcoming(request: Request, session: Session):
    office, start, error = _params(request)
    if error:
        return None, error
    try:
        return anniversaries.upcoming(session, office_id=office, start=start), None
    except NotFound:
        return None, i18n.translations(i18n.choose_locale(request)).gettext(
            "No place with this id."
        )


@router.get("/anniversaries", response_class=HTMLResponse)
def anniversaries_page(request: Request, session: Session = SESSION) -> HTMLResponse:
    result, error = _upcoming(request, session)
    params = {k: v for k in ("office", "from") if (v := request.query_params.get(k, "").strip())}
    return render(
        request, "partnerships/anniversaries.html", 422 if error else 200, result=result,
        error=error,
        office=params.get("office", ""), start=params.get("from", ""),
        ics_url="/anniversaries.ics" + ("?" + urlencode(params) if params else ""),
    )  # fmt: skip


@router.get("/anniversaries.ics")
def anniversaries_ics(request: Request, session: Session = SESSION) -> Response:
    """The anniversaries known to the day, as all-day events (RFC 5545)."""
    result, error = _upcoming(request, session)
    if error:
        return Response(error, status_code=422, media_type="text/plain; charset=utf-8")
    body = anniversaries.to_ics(result, locale=i18n.choose_locale(request))
    name = (
        f"amity-anniversaries-{result['office']['id']}.ics"
        if result["office"]
        else ("amity-anniversaries.ics")
    )
    return Response(body, media_type=ICS,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request) -> HTMLResponse:
    """How to import a table, the headers recognised, and the templates to download."""
    return render(request, "partnerships/import.html", headers=HEADERS)


@router.get("/import/template.csv")
def import_template_csv(request: Request) -> Response:
    """The blank table in the page's language (?lang=zh|en), as CSV."""
    return _template(request, "csv")


@router.get("/import/template.xlsx")
def import_template_xlsx(request: Request) -> Response:
    """The blank table in the page's language (?lang=zh|en), as an Excel workbook."""
    return _template(request, "xlsx")


def _template(request: Request, fmt: str) -> Response:
    lang = i18n.choose_locale(request)
    if fmt == "csv":
        body, media = template_csv(lang), "text/csv; charset=utf-8"
    else:
        body, media = template_xlsx(lang), XLSX
    name = f"amity-import-template-{lang}.{fmt}"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip

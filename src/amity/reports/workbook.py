"""The annual report as an Excel workbook: a summary sheet, then one sheet per table."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from amity.core.spreadsheets import xlsx_cell
from amity.reports.labels import Words
from amity.reports.tables import report_tables, summary_rows

HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
BOLD = Font(bold=True)
MAX_SHEET_TITLE = 31  # Excel's limit


def _header(sheet, headers: list[str], widths: list[int]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def report_workbook(report: dict, locale: str) -> bytes:
    """The .xlsx bytes of a report, headers in `locale`'s language."""
    w = Words(locale)
    book = Workbook()
    summary = book.active
    summary.title = w("Summary")[:MAX_SHEET_TITLE]
    _header(summary, [w.title(report), ""], [34, 40])
    for label, value in summary_rows(report, w):
        summary.append([xlsx_cell(summary, label), xlsx_cell(summary, value)])
    for table in report_tables(report, w):
        sheet = book.create_sheet(table.title[:MAX_SHEET_TITLE])
        _header(sheet, table.headers, table.widths)
        for row in table.rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
        if not table.rows and table.empty:
            sheet.append([table.empty])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""Cells a spreadsheet shows as text and never runs as a formula (CSV and formula injection).

Place names, titles and notes come from imported files and forms: a value such as
`=HYPERLINK("http://…")` must reach the person who opens an export as the text it is.
"""

from __future__ import annotations

# A CSV cell starting with one of these is read as a formula by Excel and LibreOffice.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """The value for a CSV cell: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def xlsx_cell(sheet, value: object) -> object:
    """The value for `sheet.append`: text stays text (openpyxl would store "=…" as a formula), and
    control characters Excel refuses (scraped names carry some) are dropped."""
    if not isinstance(value, str):
        return value
    # openpyxl (and numpy, which it loads) only here: csv_text is on the path of every command
    # and page that writes the audit log, and most never write a workbook.
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)  # a cell with a position: both kinds of sheet take it
    cell.data_type = "s"
    return cell

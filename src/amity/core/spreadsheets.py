"""Cells a spreadsheet shows as text and never runs as a formula (CSV and formula injection).

Place names, titles and notes come from imported files and forms: a value such as
`=HYPERLINK("http://…")` must reach the person who opens an export as the text it is.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

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


# CSV for people and programs. UTF-8 with a byte-order mark is what Excel needs to read Chinese;
# Excel before 2016 on a Chinese Windows reads the system code page instead, hence GB18030 (a
# superset of GBK that covers all of Unicode, so no name is lost; no BOM, which old Excel would
# show as characters).
CSV_ENCODINGS = ("utf-8", "gb18030")
CsvEncoding = Literal["utf-8", "gb18030"]
CSV_ENCODING_HELP = (
    "utf-8 (with a byte-order mark, the default) or gb18030 (older Excel in Chinese)"
)


def csv_media_type(encoding: str) -> str:
    return f"text/csv; charset={'GB18030' if encoding == 'gb18030' else 'utf-8'}"


def encode_csv(chunks: Iterable[str], encoding: str = "utf-8") -> Iterator[bytes]:
    """CSV text chunks as bytes: the first preceded by the BOM in UTF-8, none in GB18030."""
    if encoding not in CSV_ENCODINGS:
        raise ValueError(f"encoding must be one of {', '.join(CSV_ENCODINGS)}")
    first = True
    for chunk in chunks:
        if encoding == "utf-8":
            yield (("\ufeff" if first else "") + chunk).encode("utf-8")
        else:
            yield chunk.encode("gb18030")
        first = False
    if first:  # no chunk at all: still a file Excel recognises
        yield b"\xef\xbb\xbf" if encoding == "utf-8" else b""


# Workbooks for people: a table sheet with a frozen, bold header, an autofilter and widths that
# fit the content, then a sheet saying what the table is (the selection, the time, the source).
HEADER_FILL = "DCE6F0"
MIN_WIDTH, MAX_WIDTH = 6, 60


def text_width(value: object) -> int:
    """Columns a value takes in Excel: CJK characters count twice."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def people_workbook(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    about_title: str,
    about: Sequence[tuple[str, object]],
) -> bytes:
    """An .xlsx: sheet `title` with the table, sheet `about_title` with (label, value) rows."""
    return tables_workbook([(title, headers, rows)], about_title, about)


def tables_workbook(
    tables: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]],
    about_title: str,
    about: Sequence[tuple[str, object]],
) -> bytes:
    """An .xlsx with one sheet per (title, headers, rows), then the sheet about them."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in tables:
        _table_sheet(book.create_sheet(_sheet_title(title)), headers, rows)
    _about_sheet(book.create_sheet(_sheet_title(about_title)), about)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table_sheet(sheet, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A bold, filled, frozen header with an autofilter over the rows, widths to fit."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append(list(headers))
    # The header's filter button takes about two characters beside its text.
    widths = [text_width(h) + 2 for h in headers]
    count = 0
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
        widths = [max(w, text_width(v)) for w, v in zip(widths, row, strict=False)]
        count += 1
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, MIN_WIDTH), MAX_WIDTH
        )


def _about_sheet(sheet, about: Sequence[tuple[str, object]]) -> None:
    """(label, value) rows: labels bold, values wrapped in a wide column."""
    from openpyxl.styles import Alignment, Font

    for label, value in about:
        sheet.append([xlsx_cell(sheet, label), xlsx_cell(sheet, value)])
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    sheet.column_dimensions["A"].width = min(
        max((text_width(label) for label, _ in about), default=10) + 2, 30
    )
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows(min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_title(title: str) -> str:
    """Excel's limits: 31 characters, none of []:*?/\\."""
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"

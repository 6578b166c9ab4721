"""A selection of partnerships with the registry's codes and ids, for programs: CSV, or a raw
Excel workbook (`raw=true`; the workbook for people is amity.partnerships.export_people)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from amity.core.spreadsheets import csv_text, xlsx_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    "id",
    "a_id",
    "a_name",
    "a_name_zh",
    "a_country",
    "b_id",
    "b_name",
    "b_name_zh",
    "b_country",
    "kind",
    "level",
    "status",
    "established",
    "source",
)
_ROWS_PER_CHUNK = 500


def export_row(item: dict) -> list:
    """A list item (PartnershipItem shape) as the export's columns."""
    a, b = item["a"], item["b"]
    return [
        item["id"],
        a["id"],
        a["name"],
        a["name_zh"],
        a["country"],
        b["id"],
        b["name"],
        b["name_zh"],
        b["country"],
        item["kind"],
        item["level"],
        item["status"],
        item["established"],
        item["source"],
    ]


def csv_text_chunks(items: Iterable[dict]) -> Iterator[str]:
    """CSV text in chunks, the header first (amity.core.spreadsheets.encode_csv adds the BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n, item in enumerate(items, start=1):
        writer.writerow([csv_text(value) for value in export_row(item)])
        if n % _ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(items: Iterable[dict]) -> bytes:
    """An Excel workbook with one sheet, "partnerships", and a bold header row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("partnerships")
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for item in items:
        sheet.append([xlsx_cell(sheet, value) for value in export_row(item)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

"""Exchanges as CSV: the columns the importer reads, so an export can be imported elsewhere."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from amity.core.spreadsheets import csv_text

COLUMNS = (
    "id", "partnership_id", "a_name", "a_name_zh", "a_country", "b_name", "b_name_zh",
    "b_country", "title", "mode", "fields", "start", "end", "direction", "delegation_size",
    "delegation_level", "participants", "outcome", "budget_amount", "budget_currency", "source",
    "link",
)  # fmt: skip
_ROWS_PER_CHUNK = 500


def export_row(item: dict) -> list:
    """One exchange as a CSV row."""
    values = {
        **item,
        "a_name": item["a"]["name"],
        "a_name_zh": item["a"]["name_zh"],
        "a_country": item["a"]["country"],
        "b_name": item["b"]["name"],
        "b_name_zh": item["b"]["name_zh"],
        "b_country": item["b"]["country"],
        "fields": ";".join(item["fields"]),
    }
    return [_safe(values.get(column)) for column in COLUMNS]


def _safe(value: object) -> object:
    if value is None:
        return ""
    return csv_text(value)


def csv_text_chunks(items: Iterable[dict]) -> Iterator[str]:
    """CSV text in chunks, the header first (amity.core.spreadsheets.encode_csv adds the BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n, item in enumerate(items, start=1):
        writer.writerow(export_row(item))
        if n % _ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()

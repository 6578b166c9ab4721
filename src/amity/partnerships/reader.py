"""Reading an uploaded table (CSV, XLSX or JSON) into numbered rows of text."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from amity.core.errors import InvalidInput

FORMATS = ("csv", "xlsx", "json")
_DELIMITERS = (",", ";", "\t")


@dataclass
class Table:
    """Headers and rows of one file; each row keeps the line (or record) number it came from."""

    format: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


def read_table(data: bytes, *, filename: str, format: str | None = None) -> Table:
    """Read a file's bytes, detecting its format from the name or the content when not given."""
    if not data.strip():
        raise InvalidInput("The file is empty.", {"filename": filename})
    format = (format or _guess_format(data, filename)).lower()
    if format not in FORMATS:
        raise InvalidInput(f"Unknown format {format!r} (expected csv, xlsx or json).")
    readers = {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json}
    table = readers[format](data)
    if not table.rows:
        raise InvalidInput("The file has a header but no rows.", {"headers": table.headers})
    return table


def _guess_format(data: bytes, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix in ("csv", "tsv", "txt"):
        return "csv"
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix == "json":
        return "json"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else GB18030, as Chinese Excel exports are."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding, errors="strict")
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _control_share(text) > 0.01:
            break
        if encoding == "utf-8-sig":
            encoding = "utf-8-bom" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        return text, encoding
    raise InvalidInput("The file is not readable text (tried UTF-8 and GB18030).")


def _control_share(text: str) -> float:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return controls / max(len(sample), 1)


# Published tables often open with a title ("2023年友好城市一览表") above the header row.
TITLE_ROWS = 5


def _table_lines(lines: list[tuple[int, list[str]]]) -> tuple[list[str], list]:
    """The header and the numbered rows after it, past title rows (one cell filled) on top."""
    lines = [(n, [v.strip() for v in values]) for n, values in lines]
    lines = [(n, values) for n, values in lines if any(values)]
    skipped = 0
    while (
        len(lines) > 1 and skipped < TITLE_ROWS
        and sum(1 for v in lines[0][1] if v) == 1 and sum(1 for v in lines[1][1] if v) > 1
    ):  # fmt: skip
        lines.pop(0)
        skipped += 1
    if not lines:
        return [], []
    headers = list(lines[0][1])
    while headers and not headers[-1]:
        headers.pop()
    return headers, [(n, _record(headers, values)) for n, values in lines[1:]]


def _read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    lines = text.lstrip("\r\n").split("\n", TITLE_ROWS + 1)
    # The delimiter from the first line that has one (a title line above the header has none).
    first_line = next((line for line in lines if any(d in line for d in _DELIMITERS)), "")
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = []
    try:
        line = 1
        for values in reader:
            numbered.append((line, values))
            line = reader.line_num + 1
    except csv.Error as error:
        raise InvalidInput(f"Not a readable CSV file: {error}.") from None
    headers, rows = _table_lines(numbered)
    return Table("csv", headers, rows, encoding=encoding, delimiter=delimiter)


def _record(headers: list[str], values: list[str]) -> dict[str, str]:
    return {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(headers)}


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken or foreign file
        raise InvalidInput(f"Not a readable XLSX workbook: {error}.") from None
    try:
        sheet = workbook.worksheets[0]
        numbered = [
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    headers, rows = _table_lines(numbered)
    return Table("xlsx", headers, rows)


def _read_json(data: bytes) -> Table:
    text, encoding = decode_text(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"Not valid JSON: {error}.") from None
    if isinstance(document, dict):
        document = document.get("partnerships")
    if not isinstance(document, list) or not all(isinstance(i, dict) for i in document):
        raise InvalidInput('JSON must be a list of objects or {"partnerships": [...]}.')
    headers: list[str] = []
    for item in document:
        headers.extend(k for k in item if k not in headers)
    rows = [
        (number, {h: _cell_text(item.get(h)) for h in headers})
        for number, item in enumerate(document, start=1)
    ]
    return Table("json", headers, rows, encoding=encoding)

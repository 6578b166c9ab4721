"""Importing external indicator values (GDP per head, PM2.5, ...) from a table, all or nothing.

Columns: place (a name, resolved with amity.places.resolve) or place_id, optional country (a
hint), indicator (a code), value, year, source. Any invalid, ambiguous or unresolved row rejects
the file, reported by its line. A value already stored for the same place, indicator and year is
a duplicate (re-importing a file adds nothing); a different value for them is a conflict.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.permissions import LOCAL_ADMIN, Actor, guard
from amity.core.errors import InvalidInput
from amity.core.progress import Progress, silent
from amity.indices.framework import CODE
from amity.indices.models import IndicatorValue
from amity.partnerships.models import ImportBatch
from amity.partnerships.service import read_table
from amity.places.models import Place
from amity.places.service import resolve

COLUMNS = {
    "place": ("place", "city", "name", "地点", "城市", "地名"),
    "place_id": ("place_id", "id", "地点编号"),
    "country": ("country", "国家"),
    "indicator": ("indicator", "code", "指标", "指标代码"),
    "value": ("value", "数值", "值"),
    "year": ("year", "年份", "年"),
    "source": ("source", "来源", "数据来源"),
}
YEARS = (1900, 2100)


@dataclass
class IndicatorImportReport:
    filename: str
    sha256: str
    format: str
    encoding: str | None
    dry_run: bool
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    written: bool = False
    batch_id: int | None = None
    indicators: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _columns(headers: list[str]) -> dict[str, str]:
    found = {}
    for header in headers:
        key = header.strip().lower().replace(" ", "_")
        for name, aliases in COLUMNS.items():
            if key in aliases and name not in found:
                found[name] = header
    missing = [n for n in ("indicator", "value", "year") if n not in found]
    if "place" not in found and "place_id" not in found:
        missing.insert(0, "place (or place_id)")
    if missing:
        raise InvalidInput("The file lacks columns: " + ", ".join(missing), {"headers": headers})
    return found


def import_indicators(
    session: Session,
    path_or_bytes: str | Path | bytes,
    *,
    filename: str | None = None,
    format: str | None = None,
    dry_run: bool = False,
    source: str | None = None,
    progress: Progress = silent,
    actor: Actor | str = LOCAL_ADMIN,
) -> IndicatorImportReport:
    """Check every row, then write them all in the caller's transaction (unless dry_run)."""
    who = guard(actor, "indices.import")
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
    else:
        data = Path(path_or_bytes).read_bytes()
        filename = filename or Path(path_or_bytes).name
    filename = filename or "upload"
    table = read_table(data, filename=filename, format=format)
    columns = _columns(table.headers)
    report = IndicatorImportReport(
        filename=filename, sha256=hashlib.sha256(data).hexdigest(), format=table.format,
        encoding=table.encoding, dry_run=dry_run, rows_read=len(table.rows),
    )  # fmt: skip
    planned: dict[tuple[int, str, int], tuple[int, float, str]] = {}
    for done, (line, row) in enumerate(table.rows, start=1):
        try:
            key, value, row_source = _check(session, columns, row, source or filename)
        except InvalidInput as problem:
            report.problems.append({"line": line, "reason": problem.message} | problem.details)
            continue
        stored = session.scalar(
            select(IndicatorValue).where(
                IndicatorValue.place_id == key[0], IndicatorValue.indicator == key[1],
                IndicatorValue.year == key[2],
            )
        )  # fmt: skip
        earlier = planned.get(key)
        previous = (stored.value, stored.source) if stored else earlier and earlier[1:]
        if previous and math.isclose(previous[0], value, rel_tol=1e-9):
            report.duplicates += 1
        elif previous:
            report.problems.append({
                "line": line, "reason": f"{key[1]} {key[2]} of this place is already "
                f"{previous[0]} (from {previous[1]}); the file says {value}",
            })  # fmt: skip
        else:
            planned[key] = (line, value, row_source)
        if done % 200 == 0 or done == len(table.rows):
            progress("Checking rows", done, len(table.rows))
    report.rejected = len(report.problems)
    report.indicators = sorted({key[1] for key in planned})
    if report.problems or dry_run:
        return report
    report.imported = len(planned)
    if planned:
        batch = ImportBatch(filename=filename, sha256=report.sha256, kind="indicators")
        session.add(batch)
        session.flush()
        session.add_all(
            IndicatorValue(
                place_id=k[0],
                indicator=k[1],
                year=k[2],
                value=v[1],
                source=v[2],
                import_batch_id=batch.id,
            )  # fmt: skip
            for k, v in planned.items()
        )
        batch.report = report.to_dict() | {"batch_id": batch.id, "written": True}
        report.batch_id = batch.id
        session.flush()
    report.written = True
    audit.record(session, actor=who, action="import", entity="import_batch",
                 entity_id=report.batch_id, after=report.to_dict())  # fmt: skip
    return report


def _check(session: Session, columns: dict, row: dict, default_source: str):
    def cell(name: str) -> str:
        return row.get(columns[name], "").strip() if name in columns else ""

    code = cell("indicator")
    if not CODE.match(code):
        raise InvalidInput(f"indicator {code!r} is not a code (lower-case letters, digits, _)")
    try:
        value = float(cell("value").replace(",", ""))
    except ValueError:
        raise InvalidInput(f"value {cell('value')!r} is not a number") from None
    if not math.isfinite(value):
        raise InvalidInput(f"value {cell('value')!r} is not a finite number")
    year_text = cell("year")
    if not year_text.isdigit() or not YEARS[0] <= int(year_text) <= YEARS[1]:
        raise InvalidInput(f"year {year_text!r} is not a year from {YEARS[0]} to {YEARS[1]}")
    return (_place(session, cell("place_id"), cell("place"), cell("country")), code,
            int(year_text)), value, cell("source") or default_source  # fmt: skip


def _place(session: Session, place_id: str, name: str, country: str) -> int:
    if place_id:
        if not place_id.isdigit() or session.get(Place, int(place_id)) is None:
            raise InvalidInput(f"place_id {place_id!r} is not a known place")
        return int(place_id)
    if not name:
        raise InvalidInput("the place is empty")
    found = resolve(session, name, country=country or None, limit=5)
    if found.status == "resolved" and found.best is not None:
        return found.best.id
    if found.status == "ambiguous":
        raise InvalidInput(
            f"{name!r} is ambiguous: add a country or a place_id",
            {"status": "ambiguous",
             "candidates": [{"id": m.id, "name": m.name, "country": m.country}
                            for m in found.matches]},
        )  # fmt: skip
    raise InvalidInput(f"{name!r} is not a known place", {"status": "unresolved"})

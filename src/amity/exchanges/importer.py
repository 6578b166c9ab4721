"""Importing exchanges from a file, with the partnership importer's reader, matcher and rules.

Same contract as partnerships (see `amity.partnerships.importer`): every row is checked before
anything is written; without `partial`, one invalid, ambiguous or unresolved row rejects the
file; the writes happen in the caller's one transaction with an ImportBatch of kind
"exchanges"; an exchange already stored (same pair, mode, start, direction and title) is a
duplicate, never an error, so re-importing a file adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.permissions import LOCAL_ADMIN, Actor, guard
from amity.core.errors import InvalidInput
from amity.core.progress import Progress, silent
from amity.exchanges import service, taxonomy
from amity.exchanges.models import Exchange, ExchangeFieldLink
from amity.exchanges.schemas import ExchangeCreate
from amity.partnerships.models import ImportBatch
from amity.partnerships.service import (
    HEADER_ALIASES,
    PROBLEMS_KEPT_IN_BATCH,
    CountryHints,
    ImportReport,
    PlaceMatcher,
    RowProblem,
    SideMatch,
    normalise_header,
    read_table,
)

_SIDES = ("name", "country", "lat", "lon", "wikidata")
# The place columns as the partnership importer knows them, then the exchange's own.
ALIASES: dict[str, tuple[str, ...]] = {
    **{f"{s}_{f}": HEADER_ALIASES[f"{s}_{f}"] for s in ("a", "b") for f in _SIDES},
    "partnership_id": ("partnershipid", "partnership", "友城编号"),
    "title": ("title", "name", "event", "activity", "活动", "活动名称", "标题", "名称"),
    "mode": ("mode", "type", "kind", "形式", "交流形式", "方式", "类型"),
    "fields": ("fields", "field", "sector", "sectors", "领域", "合作领域"),
    "start": ("start", "date", "startdate", "from", "year", "开始", "开始日期", "日期", "时间"),
    "end": ("end", "enddate", "to", "until", "结束", "结束日期"),
    "direction": ("direction", "方向"),
    "delegation_size": ("delegationsize", "size", "人数", "代表团人数"),
    "delegation_level": ("delegationlevel", "level", "级别", "代表团级别"),
    "participants": ("participants", "people", "参加人员", "人员"),
    "outcome": ("outcome", "outcomes", "result", "results", "成果"),
    "budget_amount": ("budget", "budgetamount", "amount", "预算", "金额"),
    "budget_currency": ("currency", "budgetcurrency", "币种"),
    "source": ("source", "来源"),
    "link": ("link", "url", "链接"),
}
_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
DIRECTION_WORDS = {
    "a->b": "a_to_b", "a→b": "a_to_b", "a to b": "a_to_b", "b->a": "b_to_a", "b→a": "b_to_a",
    "b to a": "b_to_a", "双向": "both", "互访": "both", "共同": "joint", "联合": "joint",
}  # fmt: skip
LEVEL_WORDS = {
    "主要领导": "head_of_government", "正职": "head_of_government", "副职": "vice_level",
    "部门": "department", "民间": "civil_society", "其他": "other",
}  # fmt: skip
_LIST_SEPARATORS = re.compile(r"[;,；，、|]")


def columns_of(headers: list[str]) -> dict[str, str]:
    """Map fields to headers; needed: both places (or a partnership id), a mode, a start."""
    columns: dict[str, str] = {}
    for header in headers:
        name = _LOOKUP.get(normalise_header(header))
        if name and name not in columns:
            columns[name] = header
    lone = columns.get("a_country")
    if lone and "b_country" not in columns and normalise_header(lone) == "国家":
        # As in partnership registers: with 中方城市/外方城市, one 国家 column is the foreign one.
        columns["b_country"] = columns.pop("a_country")
    places = {"a_name", "b_name"} <= columns.keys() or "partnership_id" in columns
    missing = [n for n in ("mode", "start") if n not in columns] + (
        [] if places else ["a_name", "b_name"]
    )
    if missing:
        raise InvalidInput(
            f"The file lacks the columns {', '.join(missing)}; found: {', '.join(headers)}.",
            {"headers": headers, "missing": missing},
        )
    return columns


def import_exchanges(
    session: Session,
    path_or_bytes: str | Path | bytes,
    *,
    filename: str | None = None,
    format: str | None = None,
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress = silent,
    actor: Actor | str = LOCAL_ADMIN,
) -> ImportReport:
    """Import a CSV/XLSX/JSON file of exchanges; see the module docstring for the rules."""
    who = guard(actor, "exchange.import")
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
    else:
        data = Path(path_or_bytes).read_bytes()
        filename = filename or Path(path_or_bytes).name
    filename = filename or "upload"
    table = read_table(_unwrapped_json(data), filename=filename, format=format)
    columns = columns_of(table.headers)
    report = ImportReport(
        filename=filename, sha256=hashlib.sha256(data).hexdigest(), format=table.format,
        encoding=table.encoding, columns=columns, dry_run=dry_run, partial=partial,
        rows_read=len(table.rows),
    )  # fmt: skip
    report.previous_batch_id = session.scalar(
        select(ImportBatch.id)
        .where(ImportBatch.sha256 == report.sha256, ImportBatch.kind == "exchanges")
        .order_by(ImportBatch.id)
    )
    checker = _RowChecker(session, columns, filename)
    planned: list[dict] = []
    seen: set[tuple] = set()
    for done, (line, row) in enumerate(table.rows, start=1):
        outcome = checker.check(line, row)
        if isinstance(outcome, RowProblem):
            report.problems.append(outcome)
            setattr(report, outcome.status, getattr(report, outcome.status) + 1)
        elif (key := _key(outcome)) in checker.stored or key in seen:
            report.duplicates += 1
        else:
            seen.add(key)
            planned.append(outcome)
        if done % 200 == 0 or done == len(table.rows):
            progress("Checking rows", done, len(table.rows))
    if not dry_run and (partial or not report.rejected_rows):
        _write(session, report, planned)
        audit.record(session, actor=who, action="import", entity="import_batch",
                     entity_id=report.batch_id, after=report.to_dict())  # fmt: skip
    return report


def _unwrapped_json(data: bytes) -> bytes:
    # {"exchanges": [...]} is read like a bare list (the reader knows {"partnerships": [...]}).
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head != b"{":
        return data
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data
    if isinstance(document, dict) and "exchanges" in document:
        return json.dumps(document["exchanges"], ensure_ascii=False).encode()
    return data


def _key(values: dict) -> tuple:
    return (values["place_a_id"], values["place_b_id"], values["mode"], values["start"],
            values["direction"], values.get("title") or "")  # fmt: skip


class _RowChecker:
    """Turns one row into the values of an exchange, or a RowProblem."""

    def __init__(self, session: Session, columns: dict[str, str], source: str):
        self.session = session
        self.columns = columns
        self.source = source[:100]
        self.countries = CountryHints(session)
        self.matcher = PlaceMatcher(session)
        self.terms = {kind: taxonomy.labels(session, kind) for kind in ("mode", "field")}
        self.stored = {
            (a, b, mode, start, direction, title or "")
            for a, b, mode, start, direction, title in session.execute(
                select(
                    Exchange.place_a_id,
                    Exchange.place_b_id,
                    Exchange.mode,
                    Exchange.start,
                    Exchange.direction,
                    Exchange.title,
                )  # fmt: skip
            )
        }

    def value(self, row: dict[str, str], name: str) -> str:
        header = self.columns.get(name)
        return row.get(header, "").strip() if header else ""

    def check(self, line: int, row: dict[str, str]) -> dict | RowProblem:
        a_name, b_name = self.value(row, "a_name"), self.value(row, "b_name")
        try:
            sides = self._sides(row, a_name, b_name)
        except InvalidInput as error:
            return RowProblem(line, "invalid", error.message, a_name, b_name)
        for status in ("ambiguous", "unresolved"):
            if bad := [s for s in sides if s.status == status]:
                candidates = [c for s in bad for c in s.candidates]
                reason = "; ".join(s.reason for s in bad)
                return RowProblem(line, status, reason, a_name, b_name, candidates)
        try:
            return self._values(row, sides)
        except InvalidInput as error:
            return RowProblem(line, "invalid", error.message, a_name, b_name)

    def _sides(self, row: dict[str, str], a_name: str, b_name: str) -> list[SideMatch]:
        if self.value(row, "partnership_id") and not (a_name or b_name):
            return []
        if not a_name or not b_name:
            raise InvalidInput("both place names (or a partnership id) are needed")
        return [self._side(row, side) for side in ("a", "b")]

    def _side(self, row: dict[str, str], side: str) -> SideMatch:
        name = self.value(row, f"{side}_name")
        country_text = self.value(row, f"{side}_country")
        country = self.countries.code(country_text)
        if country_text and not country:
            return SideMatch("unresolved", reason=f"{name!r}: unknown country {country_text!r}")
        lat, lon = (_number(self.value(row, f"{side}_{c}"), f"{side}_{c}") for c in ("lat", "lon"))
        wikidata = self.value(row, f"{side}_wikidata") or None
        match = self.matcher.match(name, country=country, lat=lat, lon=lon, wikidata=wikidata)
        if match.status == "new":
            # An exchange never adds places: import the partnership (or the place) first.
            return SideMatch("unresolved", reason=f"{name!r} is not in the registry")
        return match

    def _values(self, row: dict[str, str], sides: list[SideMatch]) -> dict:
        raw = {name: self.value(row, name) for name in ALIASES if name[:2] not in ("a_", "b_")}
        fields = [f for f in _LIST_SEPARATORS.split(raw["fields"]) if f.strip()]
        data = {
            "title": raw["title"] or None,
            "mode": taxonomy.resolve_term(raw["mode"], self.terms["mode"], "mode"),
            "fields": [taxonomy.resolve_term(f, self.terms["field"], "field") for f in fields],
            "start": raw["start"],
            "end": raw["end"] or None,
            "direction": _word(raw["direction"], DIRECTION_WORDS) or "joint",
            "delegation_size": raw["delegation_size"] or None,
            "delegation_level": _word(raw["delegation_level"], LEVEL_WORDS),
            "participants": raw["participants"] or None,
            "outcome": raw["outcome"] or None,
            "budget_amount": raw["budget_amount"].replace(",", "") or None,
            "budget_currency": raw["budget_currency"].upper() or None,
            "source": raw["source"] or self.source,
            "link": raw["link"] or None,
            "partnership_id": raw["partnership_id"] or None,
            "place_a_id": sides[0].place_id if sides else None,
            "place_b_id": sides[1].place_id if sides else None,
        }
        try:
            create = ExchangeCreate(**data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(map(str, first["loc"]))
            raise InvalidInput(f"{where}: {first['msg']}") from None
        partnership_id, a_id, b_id, swapped = service.resolve_pair(
            self.session, partnership_id=create.partnership_id, place_a_id=create.place_a_id,
            place_b_id=create.place_b_id,
        )  # fmt: skip
        values = service.checked_values(
            self.session, create.model_dump(exclude={"partnership_id", "place_a_id", "place_b_id"})
        )
        service.check_span(values["start"], values.get("end"))
        if swapped:
            values["direction"] = service.SWAPPED.get(values["direction"], values["direction"])
        return values | {"partnership_id": partnership_id, "place_a_id": a_id, "place_b_id": b_id}


def _word(text: str, words: dict[str, str]) -> str | None:
    key = text.strip().lower()
    return words.get(key, key.replace(" ", "_")) if key else None


def _number(text: str, what: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"{what} is not a number: {text!r}") from None


def _write(session: Session, report: ImportReport, planned: list[dict]) -> None:
    batch = ImportBatch(filename=report.filename[:300], sha256=report.sha256, kind="exchanges")
    session.add(batch)
    session.flush()
    for values in planned:
        fields = values.pop("fields")
        exchange = Exchange(**values, import_batch_id=batch.id)
        exchange.field_links = [ExchangeFieldLink(field_code=code) for code in fields]
        session.add(exchange)
    report.imported = len(planned)
    report.written = True
    report.batch_id = batch.id
    summary = report.to_dict()
    summary["problems"] = summary["problems"][:PROBLEMS_KEPT_IN_BATCH]
    batch.report = summary
    session.flush()

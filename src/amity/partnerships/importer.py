"""Importing partnerships from a file: read, map, validate, resolve, then write all or nothing.

Nothing is written while rows are checked; the writes (new places, the batch, the partnerships)
happen at the end inside the caller's one transaction. Without `partial`, any invalid,
ambiguous or unresolved row rejects the whole file. Duplicates (already stored, or repeated in
the file) never reject it: re-importing a file adds nothing and succeeds.

One door into the registry: only a registry steward's import records partnerships (the file,
its SHA-256 and source are the evidence, audited as "steward_import"). Anyone else's import, or
a steward's with `drafts=True` (the command line's default), drafts a proposal per new pair
instead, for the review to decide; rows that cannot be a proposal (not a home place with a
partner abroad, or outside the importer's scope) are rejected like invalid rows.

Signing dates of pairs already stored (an official table brings dates to a registry that has
the pairs): a stored pair without a date takes the file's date (a steward's import only; the
report lists it under `new_dates` either way); a stored date that differs from the file's is
never overwritten but listed under `date_conflicts`, by line, for a person to decide.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.permissions import LOCAL_ADMIN, Actor, as_actor, can, guard
from amity.core.errors import InvalidInput
from amity.core.lengths import limit, too_long
from amity.core.progress import Progress, silent
from amity.partnerships import rules
from amity.partnerships.columns import guess_columns
from amity.partnerships.country_hints import CountryHints
from amity.partnerships.models import ImportBatch, Partnership
from amity.partnerships.place_lookup import NewPlace, PlaceMatcher, SideMatch
from amity.partnerships.reader import read_table
from amity.places.models import Place
from amity.places.service import create_place, place_name_problems

PROBLEMS_KEPT_IN_BATCH = 500


@dataclass
class RowProblem:
    """A row that was not imported, by its line in the file."""

    line: int
    status: str  # invalid | ambiguous | unresolved
    reason: str
    a_name: str = ""
    b_name: str = ""
    candidates: list[dict] = field(default_factory=list)


@dataclass
class DateNote:
    """A signing date the file gives for a pair already stored: new, or in conflict."""

    line: int
    partnership_id: int
    a_name: str
    b_name: str
    file_date: str
    stored_date: str | None = None


@dataclass
class ImportReport:
    filename: str
    sha256: str
    format: str
    encoding: str | None
    columns: dict[str, str]
    dry_run: bool
    partial: bool
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    ambiguous: int = 0
    unresolved: int = 0
    invalid: int = 0
    new_places: int = 0
    # "steward": partnerships recorded; "proposals": drafts for review.
    mode: str = "steward"
    proposals: int = 0
    written: bool = False
    batch_id: int | None = None
    previous_batch_id: int | None = None
    problems: list[RowProblem] = field(default_factory=list)
    # Stored pairs the file dates: filled in (steward imports), or different and kept.
    new_dates: list[DateNote] = field(default_factory=list)
    dates_added: int = 0
    date_conflicts: list[DateNote] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return self.ambiguous + self.unresolved + self.invalid

    def to_dict(self) -> dict:
        return asdict(self) | {"rejected_rows": self.rejected_rows}


@dataclass
class _PlannedRow:
    line: int
    a: SideMatch
    b: SideMatch
    values: dict
    a_name: str = ""
    b_name: str = ""


def import_partnerships(
    session: Session,
    path_or_bytes: str | Path | bytes,
    *,
    filename: str | None = None,
    format: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    partial: bool = False,
    source: str | None = None,
    progress: Progress = silent,
    actor: Actor | str = LOCAL_ADMIN,
    drafts: bool = False,
) -> ImportReport:
    """Import a CSV/XLSX/JSON file of partnerships; see the module docstring for the rules."""
    who = as_actor(actor)
    drafting = drafts or not can(who, "registry.steward")
    if not drafting:
        guard(who, "partnership.import")
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
    else:
        data = Path(path_or_bytes).read_bytes()
        filename = filename or Path(path_or_bytes).name
    filename = filename or "upload"
    table = read_table(data, filename=filename, format=format)
    columns = guess_columns(table.headers, mapping)
    report = ImportReport(
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        format=table.format,
        encoding=table.encoding,
        columns=columns,
        dry_run=dry_run,
        partial=partial,
        rows_read=len(table.rows),
        mode="proposals" if drafting else "steward",
    )
    report.previous_batch_id = session.scalar(
        select(ImportBatch.id).where(ImportBatch.sha256 == report.sha256).order_by(ImportBatch.id)
    )
    checker = _RowChecker(session, columns, source or filename)
    drafter = _Drafter(session, who) if drafting else None
    planned: list[_PlannedRow] = []
    seen: dict[tuple, int] = {}
    dated: dict[int, str] = {}  # stored pair -> the date this file gives it
    total = len(table.rows)
    for done, (line, row) in enumerate(table.rows, start=1):
        outcome = checker.check(line, row)
        if drafter is not None and not isinstance(outcome, RowProblem):
            outcome = drafter.check(outcome)
        if isinstance(outcome, RowProblem):
            report.problems.append(outcome)
            setattr(report, outcome.status, getattr(report, outcome.status) + 1)
        else:
            pair = _pair_key(outcome)
            proposed = drafter is not None and pair in drafter.open_pairs
            if pair in checker.stored_pairs:
                report.duplicates += 1
                _compare_dates(report, outcome, checker.stored_pairs[pair], dated)
            elif pair in seen or proposed:
                report.duplicates += 1
            else:
                seen[pair] = line
                planned.append(outcome)
        if done % 200 == 0 or done == total:
            progress("Checking rows", done, total)
    report.new_places = len({s.new_place for r in planned for s in (r.a, r.b) if s.new_place})
    if not dry_run and (partial or not report.rejected_rows):
        if drafter is not None:
            drafter.write(report, planned, progress)
        else:
            # The dates first, so that a file's dates and its new pairs are one transaction
            # whichever step a kill interrupts (tests/partnerships/test_import_cli.py).
            _add_dates(session, report, progress)
            _write(session, report, planned, progress)
        action = "import_proposals" if drafter is not None else "steward_import"
        audit.record(session, actor=who, action=action, entity="import_batch",
                     entity_id=report.batch_id, after=report.to_dict())  # fmt: skip
    return report


def _compare_dates(report: ImportReport, row: _PlannedRow, stored: tuple[int, str | None],
                   dated: dict[int, str]) -> None:  # fmt: skip
    """Note the file's date for a stored pair: new if the pair has none, a conflict if it
    differs (a file giving one pair two dates conflicts with itself as well)."""
    file_date = row.values["established"]
    pid, stored_date = stored
    if not file_date:
        return
    note = DateNote(row.line, pid, row.a_name, row.b_name, file_date, stored_date)
    if stored_date is None and pid not in dated:
        dated[pid] = file_date
        report.new_dates.append(note)
    elif (stored_date or dated[pid]) != file_date:
        note.stored_date = stored_date or dated[pid]
        report.date_conflicts.append(note)


def _add_dates(session: Session, report: ImportReport, progress) -> None:
    """Fill in the dates of stored pairs that had none (the `is None` guard keeps a date a
    person entered meanwhile)."""
    for done, note in enumerate(report.new_dates, start=1):
        year = int(note.file_date[:4])
        report.dates_added += session.execute(
            update(Partnership)
            .where(Partnership.id == note.partnership_id, Partnership.established.is_(None))
            .values(established=note.file_date, established_year=year)
        ).rowcount
        if done % 200 == 0 or done == len(report.new_dates):
            progress("Adding signing dates", done, len(report.new_dates))
    session.flush()


def _pair_key(row: _PlannedRow) -> tuple:
    # Stored places sort by id (as stored pairs are); places still to be made come after them.
    keys = sorted(
        (row.a.key, row.b.key),
        key=lambda k: (1, 0, repr(k)) if isinstance(k, NewPlace) else (0, k, ""),
    )
    return tuple(keys)


class _RowChecker:
    """Turns one row into a planned partnership or a RowProblem."""

    def __init__(self, session: Session, columns: dict[str, str], source: str):
        self.columns = columns
        self.source = source
        # China's official tables list 友好城市 (friendship cities): without a kind column, a
        # table whose sides are headed 中方…/外方…/省份 is one of them.
        official = any(
            header.startswith(("中方", "外方", "省份"))
            for name, header in columns.items() if name in ("a_name", "b_name")
        )  # fmt: skip
        self.default_kind = "friendship_city" if official else "sister_city"
        self.countries = CountryHints(session)
        self.matcher = PlaceMatcher(session)
        # (place_a_id, place_b_id) -> (partnership id, its signing date)
        self.stored_pairs = {
            (a, b): (pid, established)
            for pid, a, b, established in session.execute(
                select(Partnership.id, Partnership.place_a_id, Partnership.place_b_id,
                       Partnership.established)  # fmt: skip
            )
        }

    def value(self, row: dict[str, str], name: str) -> str:
        header = self.columns.get(name)
        return row.get(header, "").strip() if header else ""

    def check(self, line: int, row: dict[str, str]) -> _PlannedRow | RowProblem:
        a_name, b_name = self.value(row, "a_name"), self.value(row, "b_name")
        try:
            values = self._values(row)
            if not a_name or not b_name:
                raise InvalidInput("both place names are needed")
            problems = [*place_name_problems(a_name), *place_name_problems(b_name)]
            problems += too_long(Partnership, values)
            if problems:  # SQLite would store them whole; PostgreSQL would fail the import
                raise InvalidInput("; ".join(problems))
            sides = [self._side(row, side) for side in ("a", "b")]
        except InvalidInput as error:
            return RowProblem(line, "invalid", error.message, a_name, b_name)
        for status in ("ambiguous", "unresolved"):
            bad = [s for s in sides if s.status == status]
            if bad:
                candidates = [c for s in bad for c in s.candidates]
                reason = "; ".join(s.reason for s in bad)
                return RowProblem(line, status, reason, a_name, b_name, candidates)
        if sides[0].key == sides[1].key:
            return RowProblem(line, "invalid", "both sides are the same place", a_name, b_name)
        return _PlannedRow(line, sides[0], sides[1], values, a_name, b_name)

    def _values(self, row: dict[str, str]) -> dict:
        established, year = rules.parse_partial_date(self.value(row, "established"))
        return {
            "established": established,
            "established_year": year,
            "kind": rules.parse_kind(self.value(row, "kind")) or self.default_kind,
            "level": rules.parse_level(self.value(row, "level")),
            "status": rules.parse_status(self.value(row, "status")) or "active",
            "note": self.value(row, "note") or None,
            # The file's name stands in for a missing source: cut to fit, it is only a label.
            "source": self.value(row, "source") or self.source[: limit(Partnership.source)],
            "source_ref": self.value(row, "source_ref") or None,
        }

    def _side(self, row: dict[str, str], side: str) -> SideMatch:
        country_text = self.value(row, f"{side}_country")
        country = self.countries.code(country_text)
        lat = _coordinate(self.value(row, f"{side}_lat"), 90, f"{side}_lat")
        lon = _coordinate(self.value(row, f"{side}_lon"), 180, f"{side}_lon")
        name = self.value(row, f"{side}_name")
        if country_text and not country:
            # Guessing past a country we cannot read could land on a namesake elsewhere.
            return SideMatch("unresolved", reason=f"{name!r}: unknown country {country_text!r}")
        wikidata = self.value(row, f"{side}_wikidata") or None
        province = self.value(row, "a_province") if side == "a" else ""
        return self.matcher.match(name, country=country, lat=lat, lon=lon, wikidata=wikidata,
                                  province=province or None)  # fmt: skip


def _coordinate(text: str, limit: float, what: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"{what} is not a number: {text!r}") from None
    if not -limit <= value <= limit:
        raise InvalidInput(f"{what} is out of range: {text!r}")
    return value


def _create_places(session: Session, report: ImportReport, planned: list[_PlannedRow],
                   progress) -> dict[NewPlace, Place]:  # fmt: skip
    created: dict[NewPlace, Place] = {}
    for side in (s for row in planned for s in (row.a, row.b)):
        if side.new_place and side.new_place not in created:
            new = side.new_place
            created[new] = create_place(
                session,
                name=new.name,
                country_code=new.country_code,
                lat=new.lat,
                lon=new.lon,
                wikidata=new.wikidata,
                source="import",
            )
            progress("Adding new places", len(created), report.new_places)
    session.flush()
    return created


def _write(session: Session, report: ImportReport, planned: list[_PlannedRow], progress) -> None:
    batch = ImportBatch(filename=report.filename[:300], sha256=report.sha256, kind="partnerships")
    session.add(batch)
    created = _create_places(session, report, planned, progress)
    ids = {s.place_id for row in planned for s in (row.a, row.b) if s.place_id is not None}
    kinds = dict(session.execute(select(Place.id, Place.kind).where(Place.id.in_(ids))).all())
    kinds.update({new: place.kind for new, place in created.items()})
    rows = []
    for row in planned:
        a_id, b_id = (
            s.place_id if s.place_id is not None else created[s.new_place].id
            for s in (row.a, row.b)
        )
        place_a_id, place_b_id = rules.normalise_pair(a_id, b_id)
        level = row.values["level"] or rules.infer_level(kinds[row.a.key], kinds[row.b.key])
        rows.append(
            row.values
            | {
                "level": level,
                "place_a_id": place_a_id,
                "place_b_id": place_b_id,
                "import_batch_id": batch.id,
            }
        )
    for start in range(0, len(rows), 2000):
        session.execute(insert(Partnership), rows[start : start + 2000])
        progress("Writing partnerships", min(start + 2000, len(rows)), len(rows))
    report.imported = len(rows)
    report.written = True
    report.batch_id = batch.id
    summary = report.to_dict()
    for kept in ("problems", "new_dates", "date_conflicts"):
        summary[kept] = summary[kept][:PROBLEMS_KEPT_IN_BATCH]
    batch.report = summary
    session.flush()


class ProposalDoor(Protocol):
    """What the proposals domain (above this one) hands over so that an import can draft
    proposals: see `proposal_door`."""

    def home_countries(self, session: Session) -> frozenset[str]: ...

    def open_pairs(self, session: Session) -> set[tuple[int, int]]: ...

    def draft(self, session: Session, *, place_id: int, partner_id: int, kind: str, level: str,
              rationale: str, actor: Actor) -> None: ...  # fmt: skip


_DOORS: list[ProposalDoor] = []


def proposal_door(door: ProposalDoor) -> ProposalDoor:
    """Register the door (amity.proposals.service does, at import): this domain cannot import
    the review workflow that sits above it."""
    _DOORS[:] = [door]
    return door


class _Drafter:
    """The proposals an import drafts for whoever may not record partnerships directly."""

    def __init__(self, session: Session, actor: Actor):
        if not _DOORS:
            raise InvalidInput("Drafting proposals needs the review workflow (amity.proposals).")
        self.door = _DOORS[0]
        self.session, self.actor = session, actor
        self.home = self.door.home_countries(session)
        # Pairs already proposed and still open (or approved) count as duplicates.
        self.open_pairs = self.door.open_pairs(session)
        self.places: dict[int, Place | None] = {}

    def _place(self, side: SideMatch) -> Place | None:
        if side.place_id is None:
            return None
        if side.place_id not in self.places:
            self.places[side.place_id] = self.session.get(Place, side.place_id)
        return self.places[side.place_id]

    def _country(self, side: SideMatch) -> str | None:
        place = self._place(side)
        return place.country_code if place is not None else side.new_place.country_code

    def check(self, row: _PlannedRow) -> _PlannedRow | RowProblem:
        """The row as (home, partner), or why it cannot be a proposal."""
        home_sides = [s for s in (row.a, row.b) if self._country(s) in self.home]
        if len(home_sides) != 1:
            return RowProblem(row.line, "invalid",
                              "a proposal pairs a home place with a partner abroad")  # fmt: skip
        home = home_sides[0]
        partner = row.b if home is row.a else row.a
        if not can(self.actor, "proposal.draft", places=[self._place(home)]):
            return RowProblem(row.line, "invalid", "outside your scope: you may not draft "
                              "proposals for this home place")  # fmt: skip
        return _PlannedRow(row.line, home, partner, row.values, row.a_name, row.b_name)

    def write(self, report: ImportReport, planned: list[_PlannedRow], progress) -> None:
        batch = ImportBatch(filename=report.filename[:300], sha256=report.sha256,
                            kind="proposals")  # fmt: skip
        self.session.add(batch)
        created = _create_places(self.session, report, planned, progress)
        for done, row in enumerate(planned, start=1):
            partner = row.b.place_id if row.b.place_id is not None else created[row.b.new_place].id
            values = row.values
            signed = values["established"]
            said = f" The file says: signed {signed}." if signed else ""
            note = f" {values['note']}" if values["note"] else ""
            rationale = f"Imported from {report.filename}, line {row.line}.{said}{note}"
            self.door.draft(self.session, place_id=row.a.place_id, partner_id=partner,
                            kind=values["kind"], level=values["level"],
                            rationale=rationale[:10000], actor=self.actor)  # fmt: skip
            progress("Drafting proposals", done, len(planned))
        report.proposals = len(planned)
        report.written = True
        report.batch_id = batch.id
        summary = report.to_dict()
        for kept in ("problems", "new_dates", "date_conflicts"):
            summary[kept] = summary[kept][:PROBLEMS_KEPT_IN_BATCH]
        batch.report = summary
        self.session.flush()

"""`amity sync wikidata`: ask Wikidata about the places in scope, show the diff, then write it.

1. `plan_sync` asks for the twinning statements (P190) of the places in scope, in batches, and
   compares them with the registry: it writes nothing (the dry run).
2. `apply_sync` writes a plan, all or nothing, in the caller's transaction: each field with a
   provenance row (source, retrieval time, statement), new pairs as the registry steward's act
   (a steward record whose evidence is the statement and its retrieval), one audit entry.

Places are matched by their Wikidata Q-id. A partner the registry lacks becomes a new place with
only its Q-id, names, coordinates, population and kind; a new pair needs a start date (the
steward's record needs the date signed), and a pair Wikidata says has ended is left to a person.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.permissions import Actor, as_actor, guard
from amity.core.errors import N_, Conflict, InvalidInput, NotFound
from amity.core.progress import Progress, silent
from amity.partnerships.models import (
    SYNC_SOURCE,
    FieldProvenance,
    ImportBatch,
    Partnership,
    StewardRecord,
)
from amity.partnerships.service import infer_level, normalise_pair
from amity.places.models import Country, Place, PlaceName
from amity.places.service import create_place, name_key
from amity.sync import plan as p
from amity.sync.wikidata import (
    Client,
    Partner,
    SyncError,
    Twinning,
    statements,
    twinning_query,
)

QID = re.compile(r"^Q[1-9]\d{0,11}$")
GB_CODE = re.compile(r"^\d{6}$")
BATCH_SIZE = 50
WRITTEN_MEANWHILE = (
    "Some of these records were written by someone else meanwhile, so nothing was written: "
    "check Wikidata again and review the new diff."
)
NO_PLACES = (
    "No place in scope has a Wikidata Q-id (%(scope)s): there is nothing to ask Wikidata about."
)
NOTHING_FOUND = (
    "Wikidata has no twinning statements for the %(count)s places in scope: nothing to change."
)


@dataclass(frozen=True)
class Scope:
    """Which places to ask about: a country, some places (ids or Q-ids), or all (neither)."""

    country: str | None = None
    places: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [f"country {self.country}"] if self.country else []
        parts += [f"place {', '.join(self.places)}"] if self.places else []
        return "; ".join(parts) or "all places"

    def as_dict(self) -> dict:
        return {"country": self.country, "places": list(self.places)}


def scope_places(session: Session, scope: Scope) -> list[Place]:
    """The places in scope that Wikidata can be asked about, by id: those with a Q-id, a
    GB/T 2260 code or a GeoNames id."""
    query = select(Place).where(or_(
        Place.wikidata.is_not(None), Place.gb_code.is_not(None), Place.geonames_id.is_not(None),
    )).order_by(Place.id)  # fmt: skip
    if scope.country:
        code = scope.country.strip().upper()
        if session.get(Country, code) is None:
            raise InvalidInput(N_("Unknown country code %(code)r."), {"country": code},
                               params={"code": code})  # fmt: skip
        query = query.where(Place.country_code == code)
    if scope.places:
        wanted = [x.strip().upper() for x in scope.places]
        ids = [int(x) for x in wanted if x.isdigit()]
        qids = [x for x in wanted if QID.match(x)]
        if bad := [x for x in wanted if not (x.isdigit() or QID.match(x))]:
            raise InvalidInput(f"Not a place id or Q-id: {', '.join(bad)}.", {"places": bad})
        query = query.where(or_(Place.id.in_(ids), Place.wikidata.in_(qids)))
        found = session.scalars(select(Place.id).where(Place.id.in_(ids))).all()
        if missing := sorted(set(ids) - set(found)):
            raise NotFound(f"No place {', '.join(map(str, missing))}.", {"place_ids": missing})
    return [place for place in session.scalars(query).unique() if _asked_as(place)]


def _asked_as(place: Place) -> tuple[str, str] | None:
    """How a place is named in the query: its Q-id, else its GB/T code, else its GeoNames id."""
    if place.wikidata and QID.match(place.wikidata):
        return "qid", place.wikidata
    if place.gb_code and GB_CODE.match(place.gb_code):
        return "gb", place.gb_code
    if place.geonames_id:
        return "gn", str(place.geonames_id)
    return None


def plan_sync(session: Session, scope: Scope, client: Client | None = None, *,
              batch_size: int = BATCH_SIZE, progress: Progress = silent,
              allow_empty: bool = False) -> p.SyncPlan:  # fmt: skip
    """Ask Wikidata and compare: the diff, with nothing written."""
    client = client or Client()
    places = scope_places(session, scope)
    if not places:
        raise SyncError(NO_PLACES, scope=scope.describe())
    batches = [places[i : i + batch_size] for i in range(0, len(places), batch_size)]
    plan = p.SyncPlan(scope=scope.as_dict(), places_in_scope=len(places), batches=len(batches),
                      endpoint=client.settings.endpoint)  # fmt: skip
    rows, digests, oldest = [], [], None
    for number, batch in enumerate(batches, start=1):
        names = {"qid": [], "gb": [], "gn": []}
        for place in batch:
            kind, value = _asked_as(place)
            names[kind].append(value)
        answer = client.ask(twinning_query(names["qid"], names["gb"], names["gn"]), batch=number)
        rows.extend(answer.bindings)
        digests.append(answer.digest)
        oldest = min(oldest or answer.retrieved_at, answer.retrieved_at)
        progress("Asking Wikidata", number, len(batches))
    twinnings, partners = statements(rows)
    plan.statements, plan.retrieved_at = len(twinnings), oldest
    plan.answers_digest = hashlib.sha256("".join(digests).encode()).hexdigest()
    if not twinnings and not allow_empty:
        raise SyncError(NOTHING_FOUND, count=len(places))
    _Planner(session, plan, partners).run(twinnings)
    return plan


class _Planner:
    """Compares statements with the registry and fills a plan."""

    def __init__(self, session: Session, plan: p.SyncPlan, partners: dict[str, Partner]):
        self.session, self.plan, self.partners = session, plan, partners
        # Stored places by Q-id, GB/T code, GeoNames id, and by (country, name key) to notice a
        # "new" partner that may be stored without any of them.
        self.by_qid, self.by_gb, self.by_gn, self.by_name = {}, {}, {}, {}
        columns = (Place.id, Place.wikidata, Place.gb_code, Place.geonames_id,
                   Place.country_code, Place.name, Place.name_zh)  # fmt: skip
        for pid, wikidata, gb, gn, country, name, name_zh in session.execute(select(*columns)):
            for index, key in ((self.by_qid, wikidata), (self.by_gb, gb), (self.by_gn, gn)):
                if key is not None:
                    index.setdefault(key, pid)
            for text in (name, name_zh):
                if text and (key := name_key(text)):
                    self.by_name.setdefault((country, key), pid)
        self.found: dict[str, Place | None] = {}
        self.pairs = {
            (a, b): pid for pid, a, b in session.execute(
                select(Partnership.id, Partnership.place_a_id, Partnership.place_b_id))
        }  # fmt: skip
        self.provenance = {
            (r.entity, r.entity_id, r.field): r for r in session.scalars(select(FieldProvenance))
        }

    def place(self, qid: str) -> Place | None:
        """The stored place for a Wikidata item: by Q-id, then GB/T code, then GeoNames id."""
        if qid not in self.found:
            data = self.partners.get(qid) or Partner(qid)
            pid = self.by_qid.get(qid)
            pid = pid or next((self.by_gb[c] for c in sorted(data.gb_codes) if c in self.by_gb),
                              None)  # fmt: skip
            pid = pid or next((self.by_gn[g] for g in sorted(data.geonames) if g in self.by_gn),
                              None)  # fmt: skip
            self.found[qid] = place = self.session.get(Place, pid) if pid else None
            if place is not None and place.wikidata != qid:
                self.plan.labels_zh[place.name] = place.name_zh or place.name
                # Matched by a code: the place learns its Q-id (or a different one is a conflict).
                self._field("place", place.id, place.name, "wikidata", place.wikidata, qid, qid,
                            self.plan.others)  # fmt: skip
        return self.found[qid]

    def run(self, twinnings: list[Twinning]) -> None:
        groups: dict[tuple, list[Twinning]] = {}
        for t in sorted(twinnings, key=lambda t: t.statement):
            item = self.place(t.item)
            if item is None or t.item == t.partner:
                continue
            partner = self.place(t.partner)
            if partner is not None and partner.id == item.id:
                continue
            other = ("id", partner.id) if partner else ("q", t.partner)
            key = tuple(sorted((("id", item.id), other)))
            groups.setdefault(key, []).append(t)
        touched: set[int] = set()
        for group in groups.values():
            self._pair(group)
            for t in group:
                if (partner := self.place(t.partner)) and partner.id not in touched:
                    touched.add(partner.id)
                    self._place(partner, self.partners[t.partner])
        # Dates first, then names, then the rest: a real disagreement about a signing date is
        # not lost among the many populations that differ between sources.
        order = {"established": 0, "ended_on": 1, "name_zh": 2, "name": 3, "wikidata": 4}
        self.plan.conflicts.sort(key=lambda c: order.get(c.field, 9))

    def _label(self, item: Place, partner: Place | None, qid: str) -> str:
        """The pair's label, e.g. Nanjing – Paris; its Chinese form is kept for the pages."""
        if partner is not None:
            other, other_zh = partner.name, partner.name_zh or partner.name
        else:
            data = self.partners[qid]
            other = data.labels.get("en") or qid
            other_zh = p.chinese_name(data, data.country)[0] or other
        label = f"{item.name} – {other}"
        self.plan.labels_zh[label] = f"{item.name_zh or item.name} – {other_zh}"
        return label

    def _pair(self, group: list[Twinning]) -> None:
        first = group[0]
        item, partner = self.place(first.item), self.place(first.partner)
        label = self._label(item, partner, first.partner)
        starts = [t.start for t in group if t.start]
        chosen = p.more_precise(starts) if starts else None
        statement = next((t.statement for t in group if t.start == chosen), first.statement)
        ended = next((t.end for t in group if t.end), None)
        pair_id = None
        if partner is not None:
            pair_id = self.pairs.get(normalise_pair(item.id, partner.id))
        if starts and chosen is None:
            self.plan.conflicts.append(p.Conflict(
                "partnership", pair_id, label, "established", None, " / ".join(sorted(set(starts))),
                "Wikidata's statements disagree", first.statement))  # fmt: skip
        if pair_id is None:
            self._new_pair(item, partner, first.partner, label, chosen, statement, ended, group)
            return
        if ended:
            pair = self.session.get(Partnership, pair_id)
            if pair.status != "terminated":
                self.plan.conflicts.append(p.Conflict(
                    "partnership", pair_id, label, "ended_on", None, ended,
                    "Wikidata says it ended: end it by hand if so", statement))  # fmt: skip
        if chosen:
            pair = self.session.get(Partnership, pair_id)
            self._field("partnership", pair_id, label, "established", pair.established, chosen,
                        statement, self.plan.dates)  # fmt: skip

    def _new_pair(self, item, partner, qid, label, start, statement, ended, group) -> None:
        if ended:
            self.plan.skipped.append(p.Skipped(statement, label, "ended", ended))
            return
        if not start:
            notes = [t.start_note for t in group if t.start_note]
            why = "no usable start date" if notes else "no start date"
            self.plan.skipped.append(p.Skipped(statement, label, why, notes[0] if notes else ""))
            return
        if partner is None and not self._new_place(qid, label, statement):
            return
        self.plan.new_pairs.append(p.NewPair(item.id, partner.id if partner else None, qid,
                                             label, start, statement))  # fmt: skip

    def _new_place(self, qid: str, label: str, statement: str) -> bool:
        if any(n.qid == qid for n in self.plan.new_places):
            return True
        data = self.partners[qid]
        country = data.country
        if not country or self.session.get(Country, country) is None:
            why = "the partner has no known country"
            self.plan.skipped.append(p.Skipped(statement, label, why))
            return False
        name_zh, rule = p.chinese_name(data, country)
        name = data.labels.get("en") or name_zh
        if not name or not name_key(name):
            self.plan.skipped.append(p.Skipped(statement, label, "the partner has no name"))
            return False
        namesake = next((self.by_name[(country, name_key(text))] for text in (name, name_zh)
                         if text and (country, name_key(text)) in self.by_name), None)  # fmt: skip
        if namesake is not None:
            # Perhaps the same place, stored without a Q-id or code: a person links it.
            self.plan.skipped.append(p.Skipped(statement, label, "a place of that name is stored "
                                               "without this Q-id", f"#{namesake}"))  # fmt: skip
            return False
        parent = next((self.by_qid[q] for q in sorted(data.parents) if q in self.by_qid), None)
        kind = "province" if data.instances & p.PROVINCE_CLASSES else "city"
        self.plan.new_places.append(p.NewPlace(
            qid, name[:200], name_zh, rule, country, kind, data.lat, data.lon, data.population,
            parent))  # fmt: skip
        return True

    def _place(self, place: Place, data: Partner) -> None:
        label = place.name
        self.plan.labels_zh[label] = place.name_zh or place.name
        name_zh, _rule = p.chinese_name(data, place.country_code)
        fields = (
            ("name", place.name, data.labels.get("en"), self.plan.names, p.same_name),
            ("name_zh", place.name_zh, name_zh, self.plan.names, p.same_name),
            ("population", None if place.population is None else str(place.population),
             None if data.population is None else str(data.population), self.plan.others,
             lambda a, b: a == b),
            ("coordinates", p.point_text(place.lat, place.lon), p.point_text(data.lat, data.lon),
             self.plan.others, p.same_point),
        )  # fmt: skip
        for name, stored, incoming, into, same in fields:
            self._field("place", place.id, label, name, stored, incoming, data.qid, into, same)

    def _field(self, entity, entity_id, label, name, stored, incoming, statement, into,
               same=lambda a, b: a == b) -> None:  # fmt: skip
        prov = self.provenance.get((entity, entity_id, name))
        verdict, reason = p.decide(stored, incoming, prov, same)
        if verdict == "same":
            self.plan.unchanged += incoming is not None
        elif verdict == "conflict":
            self.plan.conflicts.append(p.Conflict(entity, entity_id, label, name, stored,
                                                  incoming, reason, statement))  # fmt: skip
        else:
            into.append(p.Change(entity, entity_id, label, name, stored, incoming, statement,
                                 verdict))  # fmt: skip


# ---- writing ------------------------------------------------------------------------------


def apply_sync(session: Session, plan: p.SyncPlan, *, actor: Actor | str,
               progress: Progress = silent) -> p.SyncPlan:  # fmt: skip
    """Write a plan in the caller's transaction (all or nothing): the registry steward's act."""
    who = guard(as_actor(actor), "registry.steward")
    now = datetime.now().replace(microsecond=0)
    batch = ImportBatch(filename=f"wikidata sync: {json.dumps(plan.scope)}"[:300],
                        sha256=plan.answers_digest, kind="wikidata_sync")  # fmt: skip
    session.add(batch)
    session.flush()
    writer = _Writer(session, plan, who, now, batch.id)
    steps = [*(partial(writer.new_place, n) for n in plan.new_places),
             *(partial(writer.new_pair, n) for n in plan.new_pairs),
             *(partial(writer.change, c) for c in plan.changes)]  # fmt: skip
    try:
        for done, step in enumerate(steps, start=1):
            step()
            progress("Writing", done, len(steps))
        session.flush()
    except IntegrityError:
        # Someone recorded one of these pairs or places meanwhile; the caller rolls back.
        raise Conflict(WRITTEN_MEANWHILE) from None
    plan.written, plan.batch_id = True, batch.id
    summary = {"scope": plan.scope, "counts": plan.counts(), "endpoint": plan.endpoint,
               "retrieved_at": str(plan.retrieved_at), "answers_digest": plan.answers_digest,
               "new_pairs": writer.created_pairs,
               "changes": [[c.entity, c.entity_id, c.field, c.old, c.new, c.statement]
                           for c in plan.changes]}  # fmt: skip
    batch.report = json.loads(json.dumps(summary, default=str, ensure_ascii=False))
    audit.record(session, actor=who, action="steward_sync", entity="import_batch",
                 entity_id=batch.id, after=summary)  # fmt: skip
    return plan


class _Writer:
    def __init__(self, session, plan, who, now, batch_id):
        self.session, self.plan, self.who, self.now, self.batch_id = (
            session,
            plan,
            who,
            now,
            batch_id,
        )
        self.new_ids: dict[str, int] = {}
        self.created_pairs: list[dict] = []

    def provenance(self, entity: str, entity_id: int, field: str, value, statement: str) -> None:
        row = self.session.scalar(select(FieldProvenance).where(
            FieldProvenance.entity == entity, FieldProvenance.entity_id == entity_id,
            FieldProvenance.field == field))  # fmt: skip
        if row is None:
            row = FieldProvenance(entity=entity, entity_id=entity_id, field=field)
            self.session.add(row)
        row.value = None if value is None else str(value)
        row.source, row.statement = SYNC_SOURCE, statement[:120]
        row.retrieved_at, row.recorded_at = self.plan.retrieved_at, self.now
        row.batch_id = self.batch_id

    def new_place(self, new: p.NewPlace) -> None:
        place = create_place(self.session, name=new.name, country_code=new.country,
                             kind=new.kind, lat=new.lat, lon=new.lon, name_zh=new.name_zh,
                             wikidata=new.qid, population=new.population,
                             source=SYNC_SOURCE)  # fmt: skip
        place.parent_id = new.parent_id
        if new.population is not None:
            place.population_source = SYNC_SOURCE
        self.new_ids[new.qid] = place.id
        for field, value in (("name", place.name), ("name_zh", place.name_zh),
                             ("population", place.population),
                             ("coordinates", p.point_text(place.lat, place.lon))):  # fmt: skip
            if value is not None:
                self.provenance("place", place.id, field, value, new.qid)

    def new_pair(self, new: p.NewPair) -> None:
        partner_id = new.partner_id or self.new_ids[new.partner_qid]
        a_id, b_id = normalise_pair(new.place_id, partner_id)
        place_a, place_b = self.session.get(Place, a_id), self.session.get(Place, b_id)
        pair = Partnership(
            place_a_id=a_id, place_b_id=b_id, kind="sister_city",
            level=infer_level(place_a, place_b), status="active", established=new.established,
            established_year=int(new.established[:4]), source=SYNC_SOURCE,
            source_ref=new.statement[:100], import_batch_id=self.batch_id,
        )  # fmt: skip
        self.session.add(pair)
        self.session.flush()
        self.session.add(StewardRecord(
            partnership_id=pair.id, steward=self.who.name[:100], recorded_at=self.now,
            document=f"Wikidata statement {new.statement} (P190, start time P580)"[:300],
            signed_on=new.established,
            evidence_source=f"{self.plan.endpoint}, retrieved {self.plan.retrieved_at} UTC"[:300],
        ))  # fmt: skip
        self.provenance("partnership", pair.id, "established", new.established, new.statement)
        self.created_pairs.append({"id": pair.id, "statement": new.statement,
                                   "established": new.established})  # fmt: skip

    def change(self, c: p.Change) -> None:
        if c.entity == "partnership":
            pair = self.session.get(Partnership, c.entity_id)
            pair.established, pair.established_year = c.new, int(c.new[:4])
        else:
            self._place_field(self.session.get(Place, c.entity_id), c)
        self.provenance(c.entity, c.entity_id, c.field, c.new, c.statement)

    def _place_field(self, place: Place, c: p.Change) -> None:
        if c.field == "population":
            place.population, place.population_source = int(c.new), SYNC_SOURCE
        elif c.field == "coordinates":
            place.lat, place.lon = (float(n) for n in c.new.split(","))
        elif c.field == "wikidata":
            place.wikidata = c.new
        elif c.field in ("name", "name_zh"):
            setattr(place, c.field, c.new[:200] if c.field == "name" else c.new[:100])
            if c.field == "name_zh":
                place.name_zh_source = SYNC_SOURCE
            # The new name joins the place's names (resolution finds it); old ones stay.
            key = name_key(c.new)
            if key and key not in {n.key for n in place.names}:
                lang = "zh" if c.field == "name_zh" else "en"
                place.names.append(PlaceName(name=c.new[:200], key=key[:200], lang=lang))

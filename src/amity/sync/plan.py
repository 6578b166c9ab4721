"""The diff a sync would make: new pairs, new dates, names and other fields, and conflicts.

Rule for every field (see `decide`): an empty field is filled; a field the last sync wrote, and
nobody has changed since, is refreshed; any other value that differs from Wikidata (a person's,
a value loaded from another source, or one changed since the last sync) is kept and shown as a
conflict. A provenance row saying "person" always keeps the field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from amity.partnerships.models import PERSON, SYNC_SOURCE, FieldProvenance
from amity.places.service import RULE_SUFFIX, choose_chinese_name, convert, name_key
from amity.sync.wikidata import Partner

# Classes (P31) that make a new place a first-level division rather than a city.
PROVINCE_CLASSES = frozenset({
    "Q10864048",  # first-level administrative country subdivision
    "Q35657",  # state of the United States
    "Q50337",  # prefecture of Japan
    "Q1221156",  # state of Germany
    "Q34876",  # province
    "Q36784",  # region of France
    "Q107390",  # federated state
    "Q5852411",  # state of Australia
    "Q11828004",  # province of Canada
})  # fmt: skip
COORD_TOLERANCE = 0.01  # degrees (about a kilometre): closer points are the same place


@dataclass
class Change:
    """One field to write."""

    entity: str  # place | partnership
    entity_id: int
    label: str
    field: str  # established | name | name_zh | population | coordinates
    old: str | None
    new: str
    statement: str
    action: str  # fill | refresh


@dataclass
class Conflict:
    """A stored value that differs from Wikidata and is kept."""

    entity: str
    entity_id: int | None
    label: str
    field: str
    stored: str | None
    wikidata: str | None
    reason: str
    statement: str


@dataclass
class NewPlace:
    """A partner Wikidata knows and the registry does not: only its Q-id, names, place."""

    qid: str
    name: str
    name_zh: str | None
    name_zh_rule: str | None
    country: str
    kind: str
    lat: float | None
    lon: float | None
    population: int | None
    parent_id: int | None


@dataclass
class NewPair:
    """A twinning the registry lacks, to be recorded as the registry steward's act."""

    place_id: int
    partner_id: int | None  # None: the partner is a new place (partner_qid)
    partner_qid: str
    label: str
    established: str
    statement: str


@dataclass
class Skipped:
    statement: str
    label: str
    reason: str  # a fixed phrase (translated on the page); the particulars are in detail
    detail: str = ""


@dataclass
class SyncPlan:
    scope: dict
    places_in_scope: int
    batches: int = 0
    statements: int = 0
    retrieved_at: datetime | None = None
    endpoint: str = ""
    answers_digest: str = ""
    new_pairs: list[NewPair] = field(default_factory=list)
    new_places: list[NewPlace] = field(default_factory=list)
    dates: list[Change] = field(default_factory=list)
    names: list[Change] = field(default_factory=list)
    others: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unchanged: int = 0
    # The Chinese form of each label (places and pairs), for the pages in Chinese.
    labels_zh: dict[str, str] = field(default_factory=dict)
    # Set by apply.
    written: bool = False
    batch_id: int | None = None

    @property
    def changes(self) -> list[Change]:
        return [*self.dates, *self.names, *self.others]

    @property
    def empty(self) -> bool:
        return not (self.new_pairs or self.changes)

    def counts(self) -> dict[str, int]:
        return {
            "places_in_scope": self.places_in_scope, "statements": self.statements,
            "new_pairs": len(self.new_pairs), "new_places": len(self.new_places),
            "new_dates": len(self.dates), "names": len(self.names),
            "other_fields": len(self.others), "conflicts": len(self.conflicts),
            "skipped": len(self.skipped), "unchanged": self.unchanged,
        }  # fmt: skip

    def fingerprint(self) -> str:
        """A digest of what would be written: the confirm step checks it is still the same."""
        what = [asdict(p) for p in self.new_pairs] + [asdict(c) for c in self.changes]
        text = json.dumps([self.scope, what], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def label(self, text: str, locale: str) -> str:
        return self.labels_zh.get(text, text) if locale == "zh" else text

    def to_dict(self) -> dict:
        data = asdict(self)
        data["counts"] = self.counts()
        data["fingerprint"] = self.fingerprint()
        return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def decide(stored: str | None, incoming: str | None, prov: FieldProvenance | None,
           same=lambda a, b: a == b) -> tuple[str, str]:  # fmt: skip
    """("same" | "fill" | "refresh" | "conflict", reason) for one field."""
    if incoming is None or (stored is not None and same(stored, incoming)):
        return "same", ""
    if prov is not None and prov.source == PERSON:
        return "conflict", "entered by a person"
    synced = prov is not None and prov.source == SYNC_SOURCE
    if stored is None:
        if synced and prov.value is not None:
            return "conflict", "cleared by someone since the last sync"
        return "fill", ""
    if synced and prov.value == stored:
        return "refresh", ""
    if synced:
        return "conflict", "changed by someone since the last sync"
    return "conflict", "a different value is stored (not from a sync)"


def chinese_name(partner: Partner, country: str | None) -> tuple[str | None, str | None]:
    """The mainland Chinese name from the labels: zh-cn first (converted, so that a Taiwan or
    Hong Kong rendering is still replaced), else the chooser over zh-hans and zh."""
    if label := partner.labels.get("zh-cn"):
        result = convert(label, country=country)
        return result.name, (result.rules[-1] if result.rules else "kept")
    candidates = [partner.labels[k] for k in ("zh-hans", "zh") if partner.labels.get(k)]
    chosen = choose_chinese_name(candidates, country=country, local_name=partner.labels.get("en"))
    return (chosen.name, chosen.rule) if chosen else (None, None)


def name_zh_source(rule: str | None) -> str:
    return SYNC_SOURCE + RULE_SUFFIX.get(rule or "kept", "")


def same_name(a: str, b: str) -> bool:
    # 横滨 and 横滨市, "Osaka" and "osaka": one name.
    return name_key(a) == name_key(b)


def same_point(a: str, b: str) -> bool:
    (lat1, lon1), (lat2, lon2) = (tuple(float(n) for n in s.split(",")) for s in (a, b))
    return abs(lat1 - lat2) <= COORD_TOLERANCE and abs(lon1 - lon2) <= COORD_TOLERANCE


def point_text(lat: float | None, lon: float | None) -> str | None:
    return None if lat is None or lon is None else f"{lat:.5f},{lon:.5f}"


def more_precise(dates: list[str]) -> str | None:
    """The most precise of some partial dates if they agree ("1985" and "1985-06-14"), else None."""
    best = max(dates, key=len)
    return best if all(best.startswith(d) for d in dates) else None

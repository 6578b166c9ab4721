"""Resolve a place name, in any script or spelling, to places in the database.

The rule, so that an import never guesses silently:
1. Candidates are the places with a name whose lookup key (`names.name_key`) equals the query's.
   A country hint (ISO2, ISO3 or a country name; China includes HK, MO and TW) keeps only places
   in that country; a suffix in the query (省, 市, Province, City...) prefers that kind of place.
2. Each candidate gets a weight: its population (at least 10,000; a province without one counts as
   10 million), divided by 100 when only an alternate name ("Canton", "Victoria") matched, and, when
   coordinates are given, divided by 1 + (distance / 50 km)².
3. The result is "resolved" when there is one candidate, or the heaviest outweighs the next by 10x
   (Paris, France against Paris, Texas); otherwise "ambiguous" with the candidates best first
   (Springfield, US). Scores run from 1.0 (exact own name, heaviest) downwards.
4. Without an exact key, fuzzy matching (rapidfuzz ratio ≥ 85) proposes near spellings at lower
   scores; such results are always "ambiguous": a typo is a suggestion, never a silent answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from amity.places.geo import distance_km
from amity.places.name_table import (
    IndexedPlace,
    NameIndex,
    get_index,
    invalidate_index,
    pending_index,
)
from amity.places.names import has_han, name_key, parse_name

__all__ = ["Match", "ResolveResult", "invalidate_index", "resolve", "country_codes"]

DOMINANCE = 10.0
ALTERNATE_FACTOR = 0.01
NEAR_KM = 50.0
MIN_POPULATION = 10_000
PROVINCE_POPULATION = 10_000_000
FUZZY_CUTOFF = 85.0
FUZZY_MEMO_SIZE = 100_000
GREATER_CHINA = frozenset({"CN", "HK", "MO", "TW"})
COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "unitedstatesofamerica": "US", "america": "US", "uk": "GB",
    "greatbritain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northernireland": "GB", "korea": "KR", "southkorea": "KR", "republicofkorea": "KR",
    "northkorea": "KP", "russia": "RU", "czechrepublic": "CZ", "turkey": "TR", "holland": "NL",
    "thenetherlands": "NL", "vietnam": "VN", "ivorycoast": "CI", "burma": "MM",
    "prc": "CN", "peoplesrepublicofchina": "CN", "中华人民共和国": "CN", "中国大陆": "CN",
}  # fmt: skip


@dataclass
class Match:
    """One candidate place for a query, with a score in 0..1."""

    id: int
    name: str
    name_zh: str | None
    country: str
    kind: str
    lat: float | None
    lon: float | None
    score: float
    wikidata: str | None
    geonames_id: int | None = field(default=None, repr=False)
    gb_code: str | None = field(default=None, repr=False)
    population: int | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """The stable JSON shape used by the CLI and the API."""
        data = asdict(self)
        for extra in ("geonames_id", "gb_code", "population"):
            data.pop(extra)
        return data


@dataclass
class ResolveResult:
    """The candidates for a query, best first, and whether one of them is the answer."""

    query: str
    matches: list[Match]
    status: str  # resolved | ambiguous | unresolved

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def to_dict(self) -> dict:
        """`status` tells a program what the CLI's table title tells a person."""
        return {
            "query": self.query,
            "status": self.status,
            "matches": [m.to_dict() for m in self.matches],
        }


def country_codes(index: NameIndex, hint: str | None) -> frozenset[str] | None:
    """The ISO2 codes a country hint stands for; None when there is no usable hint."""
    if not hint or not hint.strip():
        return None
    hint = hint.strip()
    code = hint.upper() if len(hint) == 2 and hint.isascii() and hint.isalpha() else None
    if code is None:
        key = name_key(hint)
        code = COUNTRY_ALIASES.get(key) or index.countries.get(key)
    if code is None:
        return None
    return GREATER_CHINA if code == "CN" else frozenset({code})


def _candidates(
    index: NameIndex, pending: NameIndex | None, key: str
) -> dict[int, tuple[IndexedPlace, bool]]:
    found = {i: (index.places[i], primary) for i, primary in index.by_key.get(key, {}).items()}
    if pending is not None:
        for i, primary in pending.by_key.get(key, {}).items():
            found[i] = (pending.places[i], primary)
    return found


def _weight(place: IndexedPlace, primary: bool, lat: float | None, lon: float | None) -> float:
    default = PROVINCE_POPULATION if place.kind == "province" else MIN_POPULATION
    weight = float(max(place.population or default, MIN_POPULATION))
    if not primary:
        weight *= ALTERNATE_FACTOR
    if lat is not None and lon is not None and place.lat is not None and place.lon is not None:
        weight /= 1 + (distance_km(lat, lon, place.lat, place.lon) / NEAR_KM) ** 2
    return weight


def _match(place: IndexedPlace, score: float) -> Match:
    return Match(
        place.id, place.name, place.name_zh, place.country, place.kind, place.lat, place.lon,
        round(score, 3), place.wikidata, place.geonames_id, place.gb_code, place.population,
    )  # fmt: skip


def _fuzzy(
    index: NameIndex, pending: NameIndex | None, key: str, codes: frozenset[str] | None, limit: int
) -> dict[int, tuple[IndexedPlace, bool, float]]:
    if len(key) < (3 if has_han(key) else 4):
        return {}
    memo = index.fuzzy_memo()
    if (key, codes, limit) not in memo:
        if len(memo) > FUZZY_MEMO_SIZE:
            memo.clear()
        choices = index.keys_for(codes)
        memo[key, codes, limit] = [
            (near, ratio)
            for near, ratio, _ in process.extract(
                key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=limit * 3
            )
        ]
    found: dict[int, tuple[IndexedPlace, bool, float]] = {}
    for near, ratio in memo[key, codes, limit]:
        for i, (place, primary) in _candidates(index, pending, near).items():
            if i not in found or found[i][2] < ratio:
                found[i] = (place, primary, ratio)
    return found


def resolve(
    session: Session,
    query: str,
    *,
    country: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    limit: int = 10,
) -> ResolveResult:
    """Find the places a name stands for (see the module docstring for the rule)."""
    parsed = parse_name(query or "")
    if not parsed.key:
        return ResolveResult(query, [], "unresolved")
    index = get_index(session)
    pending = pending_index(session)
    codes = country_codes(index, country)
    exact = {
        i: (place, primary, 100.0)
        for i, (place, primary) in _candidates(index, pending, parsed.key).items()
        if codes is None or place.country in codes
    }
    found = exact or _fuzzy(index, pending, parsed.key, codes, limit)
    if codes is not None:
        found = {i: c for i, c in found.items() if c[0].country in codes}
    if parsed.kind and any(c[0].kind == parsed.kind for c in found.values()):
        found = {i: c for i, c in found.items() if c[0].kind == parsed.kind}
    if not found:
        return ResolveResult(query, [], "unresolved")

    # Nearer spellings first (all exact matches tie at 100), then heavier places.
    weighted = sorted(
        ((_weight(place, primary, lat, lon), place, primary, ratio)
         for place, primary, ratio in found.values()),
        key=lambda item: (-item[3], -item[0], item[1].id),
    )  # fmt: skip
    top = max(item[0] for item in weighted)
    matches = []
    for weight, place, primary, ratio in weighted[:limit]:
        if exact:
            score = (1.0 if primary else 0.9) * (0.5 + 0.5 * weight / top)
        else:
            # A near spelling is scored by its likeness alone; size only breaks ties (the sort).
            score = 0.8 * ratio / 100
        matches.append(_match(place, score))
    dominant = len(weighted) == 1 or weighted[0][0] >= DOMINANCE * weighted[1][0]
    return ResolveResult(query, matches, "resolved" if exact and dominant else "ambiguous")

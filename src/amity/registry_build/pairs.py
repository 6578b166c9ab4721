"""Rules on pairs: merge name variants, settle homophones, drop duplicates and level twins."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from amity.places.service import distance_km
from amity.registry_build.china import homophone_groups
from amity.registry_build.geonames import exact_key
from amity.registry_build.parse import name_variants, significant_words
from amity.registry_build.places import Place

VARIANT_KM = 15.0
REGION_VARIANT_KM = 150.0
LEVEL_TWIN_KM = 100.0
_REGIONS = ("subdivision1", "subdivision2")


@dataclass
class Pair:
    a: str  # place keys
    b: str
    source: str
    rows: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    guessed: set[str] = field(default_factory=set)  # sides placed only by the source's point


def _near(a: Place, b: Place, km: float) -> bool:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= km


def variant_merges(places: dict[str, Place]) -> dict[str, str]:
    """Rule: places of one country whose names are variants (Hutt / Lower Hutt, Rotorua /
    Rotorua Lakes, Rhône-Alpes / Auvergne-Rhône-Alpes) and that lie close together (15 km; 150 km
    for regions) are one place. Returns dropped key → kept key; the kept one has the stronger id
    (a GeoNames or ISO id over a bare name), then the larger population. Places of different
    levels are never merged here (Chiang Mai the city is not Chiang Mai Province)."""
    by_word: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for place in places.values():
        for word in sorted(set(significant_words(place.name))):  # sorted: no hash order
            by_word[(place.country, word)].append(place)
    merged: dict[str, str] = {}
    for group in by_word.values():
        if len(group) < 2 or len(group) > 200:
            continue
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.key == b.key:
                    continue
                regions = {a.level, b.level} <= set(_REGIONS) or (
                    {a.level, b.level} & set(_REGIONS) and "no_geonames" in a.flags + b.flags)
                if a.level != b.level and not regions:
                    continue
                if a.level == "district" and a.parent_key != b.parent_key:
                    continue
                if not name_variants(a.name, b.name):
                    continue
                if not _near(a, b, REGION_VARIANT_KM if regions else VARIANT_KM):
                    continue
                keep, drop = sorted((a, b), key=_rank)
                if drop.key.startswith(("cn:", "iso:")) and keep.key.startswith(("cn:", "iso:")):
                    continue
                merged[drop.key] = keep.key
    return merged


def district_twins(places: dict[str, Place], within_km: float = 30.0) -> dict[str, str]:
    """Rule: a city that GeoNames does not know (a bare name and point) with exactly the name of
    a district of its country within 30 km is that district, seen from the other side of a pair
    (Wikidata's "Charlottenburg-Wilmersdorf" city and the Wikipedia lists'
    "Charlottenburg-Wilmersdorf (Berlin)"). Returns dropped city key → district key: the district
    keeps its level and parent, and takes the city's Q-id and population."""
    districts: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for place in places.values():
        if place.level == "district":
            districts[(place.country, exact_key(place.name))].append(place)
    merged = {}
    for place in places.values():
        if place.level != "city" or not place.key.startswith("n:"):
            continue
        near = [(distance_km(place.lat, place.lon, d.lat, d.lon), d.key)
                for d in districts.get((place.country, exact_key(place.name)), ())
                if _near(place, d, within_km)]
        if near:
            merged[place.key] = min(near)[1]
    return merged


def _rank(place: Place) -> tuple:
    strong = place.key.startswith(("cn:", "iso:", "gn:"))
    return (not strong, place.level not in _REGIONS, -(place.population or 0), place.key)


def settle_homophones(pairs: list[Pair], places: dict[str, Place]) -> int:
    """Rule: a bare romanisation ("Taizhou" on Kotka's list, placed by the geocoder's point) is
    the same relationship as a row that names the prefecture with certainty ("Taizhou, Jiangsu"
    on China's list, or a Wikidata statement) for the same foreign partner: the bare row joins
    the certain one. Returns the number of rows moved; after this, no foreign place holds pairs
    with two prefectures of one romanisation unless two certain rows say so."""
    groups = {d.adcode: key for key, ds in homophone_groups().items() for d in ds}

    def homophone(key: str) -> str | None:
        place = places[key]
        return groups.get(place.cn_prefecture) if place.level == "city" else None

    certain: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pair in pairs:
        for cn, other in ((pair.a, pair.b), (pair.b, pair.a)):
            if homophone(cn) and cn not in pair.guessed:
                certain[(other, homophone(cn))].add(cn)
    moved = 0
    for pair in pairs:
        for attr, other in (("a", pair.b), ("b", pair.a)):
            cn = getattr(pair, attr)
            if not homophone(cn) or cn not in pair.guessed:
                continue
            sure = certain.get((other, homophone(cn)), set())
            if len(sure) == 1 and cn not in sure:
                setattr(pair, attr, next(iter(sure)))
                pair.guessed.discard(cn)
                pair.flags.append("homophone_settled")
                moved += 1
    return moved


def homophone_conflicts(pairs: list[Pair], places: dict[str, Place]) -> list[tuple[str, str]]:
    """(foreign place key, romanisation) holding pairs with two prefectures of one romanisation."""
    groups = {d.adcode: key for key, ds in homophone_groups().items() for d in ds}
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pair in pairs:
        for cn, other in ((pair.a, pair.b), (pair.b, pair.a)):
            prefecture = places[cn].cn_prefecture
            if prefecture in groups and places[cn].level == "city":
                seen[(other, groups[prefecture])].add(prefecture)
    return sorted(k for k, v in seen.items() if len(v) > 1)


def dedupe(pairs: list[Pair]) -> tuple[list[Pair], int, int]:
    """Rule: one pair per two places (Wikipedia lists give most pairs twice, once from each
    side; Wikidata repeats many): the rows are kept as its sources, the Wikipedia source first.
    Self-pairs are dropped. Returns (pairs, duplicates, self-pairs)."""
    kept: dict[tuple[str, str], Pair] = {}
    duplicates = selfs = 0
    for pair in pairs:
        if pair.a == pair.b:
            selfs += 1
            continue
        key = (min(pair.a, pair.b), max(pair.a, pair.b))
        if key in kept:
            duplicates += 1
            known = kept[key]
            known.rows.extend(pair.rows)
            known.flags.extend(f for f in pair.flags if f not in known.flags)
            if known.source == "wikidata" and pair.source == "wikipedia":
                known.source = "wikipedia"
                known.rows.sort()
            continue
        kept[key] = Pair(key[0], key[1], pair.source, list(pair.rows), list(pair.flags))
    return list(kept.values()), duplicates, selfs


def level_twins(pairs: list[Pair], places: dict[str, Place]) -> tuple[list[Pair], list[Pair]]:
    """Rule: a partner holding both a city and the region named after it (Shanghai with Chiang
    Mai and Chiang Mai Province, with Manila and Metro Manila) holds one relationship: the region
    when the partner is itself a region or a Chinese municipality, else the city. Returns
    (kept, dropped)."""
    by_partner: dict[str, list[tuple[Pair, str]]] = defaultdict(list)
    for pair in pairs:
        by_partner[pair.a].append((pair, pair.b))
        by_partner[pair.b].append((pair, pair.a))
    dropped: set[int] = set()
    for partner, items in by_partner.items():
        home = places[partner]
        wants_region = home.level in _REGIONS or home.cn_municipality
        for i, (pa, xa) in enumerate(items):
            for pb, xb in items[i + 1 :]:
                a, b = places[xa], places[xb]
                if a.country != b.country or (a.level in _REGIONS) == (b.level in _REGIONS):
                    continue
                if not name_variants(a.name, b.name) or not _near(a, b, LEVEL_TWIN_KM):
                    continue
                region_pair, city_pair = (pa, pb) if a.level in _REGIONS else (pb, pa)
                dropped.add(id(city_pair if wants_region else region_pair))
    kept = [p for p in pairs if id(p) not in dropped]
    return kept, [p for p in pairs if id(p) in dropped]

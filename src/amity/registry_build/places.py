"""Rules that turn one source side into a place: identity, level, point, population, names.

A side's identity is the strongest id it can be given, in this order: the Chinese division
(GB/T 2260, plus the district's own name under it), an ISO 3166-2 subdivision, a GeoNames id, a
district of a GeoNames city, else its name and rounded point (flagged `no_geonames`). The
Wikidata Q-id is attached where the source has one (or a Wikidata city of the same name lies
within 30 km); ids seen together on one side join their places (`Identities`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from amity.places.service import RULE_SUFFIX, choose_chinese_name, distance_km, name_key
from amity.registry_build.china import chinese_division
from amity.registry_build.geonames import GeoNames, GeoPlace, exact_key
from amity.registry_build.levels import subdivision_level, unit_word
from amity.registry_build.parse import district_key, split_name
from amity.registry_build.sources import Side

NEAR_KM = 30.0


@dataclass
class Place:
    key: str
    name: str
    country: str
    level: str  # subdivision1 | subdivision2 | city | district
    lat: float | None
    lon: float | None
    wikidata: str | None = None
    geonames_id: int | None = None
    population: int | None = None
    population_source: str | None = None
    iso3166_2: str | None = None
    parent: str | None = None  # the parent place's name (a district's city)
    parent_key: str | None = None
    cn_province: str | None = None
    cn_prefecture: str | None = None
    cn_region3: str | None = None
    cn_municipality: bool = False
    admin1: str | None = None  # GeoNames admin1 code (a state/province) where known
    name_zh: str | None = None
    name_zh_source: str | None = None
    method: str = ""
    flags: list[str] = field(default_factory=list)


def point_outside_country(side: Side, geonames: GeoNames) -> bool:
    """Rule: a point whose nearest populated place lies in another country is a bogus geocode
    (Florida, Uruguay geocoded in Florida, USA)."""
    if side.lat is None or side.lon is None or not side.country:
        return False
    near = geonames.nearest(side.lat, side.lon, within_km=15)
    return near is not None and near.country != side.country


def shared_points(sides: list[Side]) -> set[tuple[str, float, float]]:
    """Rule: points that sides with different names share (229 partnered places in the old
    registry: Sakuragawa and Sukagawa both at 38.322, 142.369). Such a point identifies neither."""
    names: dict[tuple[str, float, float], set[str]] = defaultdict(set)
    for side in sides:
        if side.lat is not None and side.lon is not None and side.country:
            names[(side.country, side.lat, side.lon)].add(name_key(split_name(side.name).name))
    return {point for point, keys in names.items() if len(keys) > 1}


def _chinese_name(geo: GeoPlace | None, country: str, name: str) -> tuple[str | None, str | None]:
    """Rule: the mainland Chinese name a GeoNames place's Han-script names agree on (Japanese
    kanji and traditional forms converted, Taiwan/Hong Kong exonyms mapped), with its source."""
    if geo is None or not geo.han_names:
        return None, None
    chosen = choose_chinese_name(geo.han_names, country=country, local_name=name)
    return (chosen.name, "geonames" + RULE_SUFFIX[chosen.rule]) if chosen else (None, None)


def _from_geonames(place: Place, geo: GeoPlace) -> None:
    place.geonames_id = geo.geonames_id
    place.admin1 = geo.admin1 or None
    place.lat, place.lon = geo.lat, geo.lon
    if geo.population:
        place.population, place.population_source = geo.population, "geonames"
    place.name_zh, place.name_zh_source = _chinese_name(geo, place.country, geo.name)


def resolve_side(side: Side, geonames: GeoNames, trusted_point: bool) -> Place | None:
    """The place a side denotes, or None when no rule can decide (listed as undecided)."""
    country = side.country
    if not country:
        return None
    split = split_name(side.name)
    lat, lon = (side.lat, side.lon) if trusted_point else (None, None)
    if country == "CN":
        return _chinese_place(side, split, lat, lon, geonames)
    if split.parent:
        parent = geonames.find(split.parent, country, lat, lon, within_km=60)
        if parent is not None and name_key(parent.name) != name_key(split.name):
            place = Place(f"d:{parent.geonames_id}:{district_key(split.name)}", split.name,
                          country, "district", lat, lon, parent=parent.name,
                          parent_key=f"gn:{parent.geonames_id}", method="district_of")
            own = geonames.find(split.name, country, lat or parent.lat, lon or parent.lon,
                                within_km=20)
            if own is not None:
                _from_geonames(place, own)
            elif lat is None:
                place.lat, place.lon = parent.lat, parent.lon
            return place
    name = split.name
    town = geonames.find(name, country, lat, lon, within_km=NEAR_KM)
    if town is None and name != side.name:
        town = geonames.find(side.name, country, lat, lon, within_km=NEAR_KM)
    if town is None and lat is not None and unit_word(name) is None:
        town = geonames.find_unique(name, country, lat, lon) or geonames.near_alike(
            name, lat, lon)
        if town is not None and town.country != country:
            town = None
    region = subdivision_level(name, country, is_town=town is not None)
    if region is not None:
        level, code = region
        key = f"iso:{code}" if code else f"r:{country}:{name_key(name)}"
        return Place(key, name, country, level, lat, lon, iso3166_2=code,
                     method="iso3166-2" if code else "unit_word")
    if town is not None:
        place = Place(f"gn:{town.geonames_id}", name, country, "city", lat, lon,
                      method="geonames")
        _from_geonames(place, town)
        return place
    if side.lat is None or side.lon is None:
        return None
    # A point that is not trusted (shared, or in another country) still tells same-named
    # places apart, but is not kept as the place's point.
    place = Place(f"n:{country}:{name_key(name)}:{side.lat:.1f}:{side.lon:.1f}", name, country,
                  "city", lat, lon, method="name_point", flags=["no_geonames"])
    return place


def _chinese_place(side: Side, split, lat, lon, geonames: GeoNames) -> Place | None:
    decision = chinese_division(split, lat, lon, geonames)
    if decision is None:
        return None
    d = decision.division
    municipality = d.level == "municipality"
    if decision.level == "district":
        key = f"cn:{d.adcode}:{district_key(decision.name)}"
        place = Place(key, decision.name, "CN", "district", side.lat, side.lon,
                      parent=d.name_en, parent_key=f"cn:{d.adcode}", method=decision.method)
        own = geonames.find(decision.name, "CN", side.lat, side.lon, within_km=NEAR_KM)
        if own is not None:
            _from_geonames(place, own)
    else:
        place = Place(f"cn:{d.adcode}", d.name_en, "CN", decision.level, d.lat, d.lon,
                      method=decision.method, name_zh=d.name_zh, name_zh_source="cn-divisions")
        seat = geonames.find(d.name_en, "CN", d.lat, d.lon, within_km=NEAR_KM)
        if seat is not None and decision.level == "city" and seat.population:
            place.population, place.population_source = seat.population, "geonames"
            place.geonames_id = seat.geonames_id
    place.cn_province, place.cn_region3 = d.province, d.region3
    place.cn_prefecture = d.adcode if decision.level != "subdivision1" else None
    place.cn_municipality = municipality and decision.level == "city"
    return place


class WikidataCities:
    """Wikidata cities by country and name, to give Wikipedia sides their Q-id and population."""

    def __init__(self, sides: list[Side]):
        self.by_key: dict[tuple[str, str], list[Side]] = defaultdict(list)
        seen = set()
        for side in sides:
            if side.wikidata and side.country and side.wikidata not in seen:
                seen.add(side.wikidata)
                self.by_key[(side.country, name_key(side.name))].append(side)

    def by_name(self, place: Place) -> Side | None:
        """The only Wikidata entity of exactly the place's name (unit words included: "Pavia
        Province" is not Pavia) in its country."""
        found = [s for s in self.by_key.get((place.country, name_key(place.name)), [])
                 if exact_key(s.name) == exact_key(place.name)]
        return found[0] if len(found) == 1 else None

    def find(self, place: Place, name: str, *, exact: bool = False) -> Side | None:
        """The Wikidata entity of the name nearest the place within 30 km; exact: of exactly
        that name, unit words included (a district is not the city it is named after)."""
        if place.lat is None or place.lon is None:
            return None
        best = None
        for key in sorted({name_key(name), name_key(place.name)}):
            for side in self.by_key.get((place.country, key), ()):
                if side.lat is None or side.lon is None:
                    continue
                if exact and exact_key(side.name) != exact_key(name):
                    continue
                km = distance_km(place.lat, place.lon, side.lat, side.lon)
                if km <= NEAR_KM and (best is None or km < best[0]):
                    best = (km, side)
        return best[1] if best else None


class Identities:
    """Union-find over the ids a side carries: a Q-id and a GeoNames id seen on one side make
    one place of everything either id names."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The stronger id stays the root: Chinese division, ISO code, GeoNames, district...
            keep, drop = sorted((ra, rb), key=_strength)
            self.parent[drop] = keep


_ORDER = ("cn:", "iso:", "gn:", "d:", "r:", "wd:", "n:")


def _strength(key: str) -> tuple[int, str]:
    return next(i for i, p in enumerate(_ORDER) if key.startswith(p)), key

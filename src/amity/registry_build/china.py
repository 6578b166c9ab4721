"""Rules for sides in mainland China: the GB/T 2260 division a name denotes, and homophones.

Several prefectures share one romanisation (台州 Zhejiang / 泰州 Jiangsu are both "Taizhou"). A
foreign list writes the bare romanisation; China's own list adds the province ("Taizhou,
Jiangsu"). So the decision goes: the source's qualifier, else the source's point (nearest seat),
and across rows `pairs.settle_homophones` lets a qualified row decide its bare twin.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from amity.places.service import distance_km, name_key, read_facts
from amity.registry_build.geonames import GeoNames
from amity.registry_build.parse import SplitName

COUNTY_RADIUS_KM = 150.0


@dataclass(frozen=True)
class Division:
    adcode: str
    name_en: str
    name_zh: str
    level: str  # GB/T: province, municipality, prefecture_city, autonomous_prefecture, ...
    province: str
    region3: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ChinaDecision:
    """Where a Chinese side lands: its division (prefecture, or province for a province), its
    own level and name (a district or county-level unit keeps its name under its prefecture)."""

    level: str  # subdivision1 | city | district
    division: Division
    name: str
    method: str  # province | prefecture | qualifier | point | district_of | county | nearest


@lru_cache(maxsize=1)
def divisions() -> tuple[dict[str, list[Division]], dict[str, Division], dict[str, str]]:
    """(prefectures by romanised key, provinces by key, GeoNames admin1 → province code)."""
    by_key: dict[str, list[Division]] = defaultdict(list)
    for f in read_facts("cn_prefectures"):
        d = Division(f["adcode"], f["name_en"], f["name_zh"], f["level"], f["province_adcode"],
                     f["region3"], float(f["lat"]), float(f["lon"]))
        for key in sorted({name_key(f["name_en"]), name_key(f["pinyin_base"])}):
            by_key[key].append(d)
    provinces, admin1 = {}, {}
    for p in read_facts("cn_provinces"):
        if p["type"] == "municipality":
            continue
        provinces[name_key(p["name_en"])] = Division(
            p["adcode"], p["name_en"], p["name_zh"], p["type"], p["adcode"], p["region3"],
            float(p["capital_lat"]), float(p["capital_lon"]))
        if p["geonames_admin1"]:
            admin1[p["geonames_admin1"]] = p["adcode"]
    return dict(by_key), provinces, admin1


def homophone_groups() -> dict[str, tuple[Division, ...]]:
    """Romanisations shared by more than one prefecture: taizhou → (台州, 泰州), ..."""
    by_key, _, _ = divisions()
    return {k: tuple(v) for k, v in by_key.items() if len({d.adcode for d in v}) > 1}


def _pick(candidates: list[Division], qualifier: str | None, lat, lon) -> tuple[Division, str]:
    if len(candidates) == 1:
        return candidates[0], "prefecture"
    _, provinces, _ = divisions()
    wanted = provinces.get(name_key(qualifier or ""))
    if wanted is not None:
        for d in candidates:
            if d.province == wanted.adcode:
                return d, "qualifier"
    if lat is not None and lon is not None:
        return min(candidates, key=lambda d: distance_km(lat, lon, d.lat, d.lon)), "point"
    return min(candidates, key=lambda d: d.adcode), "unknown"


def chinese_division(split: SplitName, lat: float | None, lon: float | None,
                     geonames: GeoNames) -> ChinaDecision | None:
    """The division of a mainland Chinese side, or None when nothing fits (listed undecided)."""
    by_key, provinces, admin1 = divisions()
    if split.parent:
        parents = by_key.get(name_key(split.parent))
        if parents:
            division, _ = _pick(parents, split.qualifier, lat, lon)
            return ChinaDecision("district", division, split.name, "district_of")
    key = name_key(split.name)
    if key in provinces and key not in by_key:
        return ChinaDecision("subdivision1", provinces[key], provinces[key].name_en, "province")
    if key in by_key:
        division, method = _pick(by_key[key], split.qualifier or split.parent, lat, lon)
        return ChinaDecision("city", division, division.name_en, method)
    place = geonames.find(split.name, "CN", lat, lon, within_km=60)
    if place is not None:
        lat, lon = place.lat, place.lon
        seats = by_key.get(name_key(place.name))
        if seats:  # another spelling of a prefecture's seat ("Peking", "Canton")
            division, method = _pick(seats, split.qualifier, lat, lon)
            return ChinaDecision("city", division, division.name_en, "seat_alias")
    if lat is None or lon is None:
        return None
    province = admin1.get(place.admin1) if place else None
    seats = [d for ds in by_key.values() for d in ds
             if province is None or d.province == province]
    seat = min(seats, key=lambda d: (distance_km(lat, lon, d.lat, d.lon), d.adcode))
    if distance_km(lat, lon, seat.lat, seat.lon) > COUNTY_RADIUS_KM:
        return None
    if seat.level == "municipality" and name_key(split.name) == name_key(seat.name_en):
        return ChinaDecision("city", seat, seat.name_en, "prefecture")
    return ChinaDecision("district", seat, split.name, "county" if place else "nearest")

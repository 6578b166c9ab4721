"""Load the shipped gazetteer: countries, China's divisions and the world's cities.

China's 34 provincial-level divisions and 337 prefecture-level divisions come from the facts files
(GB/T 2260 codes). The four municipalities are one place each (kind "city", admin level
"municipality"); the other provincial-level divisions are kind "province", Hong Kong, Macao and
Taiwan included, with country codes HK, MO and TW.

GeoNames cities that are the seat of a prefecture (same name, same province or within 30 km) are
merged into the prefecture's place rather than duplicated. Hong Kong and Macao: GeoNames lists each
as a city ("Hong Kong" 1819729, "Macau" 1821274) that is the whole SAR, so both are merged into the
SAR's place, which keeps kind "province" and GB/T code 810000 / 820000 and gains the GeoNames id,
population and alternate names. "Hong Kong", "香港" and "HK SAR" thus resolve to one place, and
cities inside the SAR (Kowloon, Tsuen Wan...) hang below it through parent_id.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from amity.core.progress import Progress, silent
from amity.places.facts import GeoNamesCity, read_cities, read_facts
from amity.places.geo import distance_km
from amity.places.mainland import RULE_SUFFIX, choose_chinese_name
from amity.places.models import Country, Place, PlaceName
from amity.places.name_table import invalidate_index
from amity.places.names import has_han, name_key, pinyin_of

# Provincial-level divisions outside mainland China keep their own ISO country codes.
REGION_COUNTRY = {"710000": "TW", "810000": "HK", "820000": "MO"}
COUNTRY_REGION = {country: code for code, country in REGION_COUNTRY.items()}
# GeoNames cities that are a whole SAR (see the module docstring).
SAR_CITIES = {1819729: "810000", 1821274: "820000"}
MERGE_RADIUS_KM = 30.0
_BATCH = 5000
_PLACE_COLUMNS = [c.name for c in Place.__table__.columns]


def load_gazetteer(session: Session, *, progress: Progress = silent) -> dict[str, int]:
    """Fill countries, China's divisions and world cities with their names; return counts."""
    countries = _country_rows()
    progress("Loading countries", 0, len(countries))
    session.execute(insert(Country.__table__), countries)
    progress("Loading countries", len(countries), len(countries))

    last_id = session.scalar(select(Place.id).order_by(Place.id.desc()).limit(1)) or 0
    builder = _PlaceBuilder(start_id=last_id + 1)
    provinces, prefectures = builder.add_chinese_divisions()
    merged, cities = builder.add_cities(progress)

    total = len(builder.places)
    for done in range(0, total, _BATCH):
        session.execute(insert(Place.__table__), builder.places[done : done + _BATCH])
        progress("Writing places", min(done + _BATCH, total), total)
    names = builder.name_rows()
    for done in range(0, len(names), _BATCH * 4):
        session.execute(insert(PlaceName.__table__), names[done : done + _BATCH * 4])
        progress("Writing place names", min(done + _BATCH * 4, len(names)), len(names))
    _advance_sequence(session)
    session.flush()
    invalidate_index()
    return {
        "countries": len(countries),
        "provincial": provinces,
        "prefectural": prefectures,
        "geonames_cities": cities,
        "merged": merged,
        "places": total,
        "names": len(names),
    }


def refresh_countries(session: Session) -> list[str]:
    """Bring the countries table in line with the shipped facts; return the codes changed.

    Countries are reference data the project ships (CLDR names with the home-country
    conventions, UN regions, Belt and Road status), not records anyone edits in Amity, so a
    corrected release (a wrong Chinese name fixed) must reach databases made before it. Only
    differing rows are written; a country the facts no longer list is kept (places use it).
    """
    stored = {c.iso2: c for c in session.scalars(select(Country))}
    changed = []
    for row in _country_rows():
        country = stored.get(row["iso2"])
        if country is None:
            session.add(Country(**row))
            changed.append(row["iso2"])
            continue
        if any(getattr(country, key) != value for key, value in row.items()):
            for key, value in row.items():
                setattr(country, key, value)
            changed.append(row["iso2"])
    session.flush()
    return changed


def _blank_to_none(row: dict[str, str]) -> dict[str, str | None]:
    return {key: (value or None) for key, value in row.items()}


def _country_rows() -> list[dict[str, Any]]:
    bri = {row["iso2"]: row for row in read_facts("bri_countries")}
    rows = []
    for row in map(_blank_to_none, read_facts("countries")):
        signed = bri.get(row["iso2"] or "")
        rows.append(
            {
                "iso2": row["iso2"],
                "iso3": row["iso3"],
                "m49": row["m49"],
                "name_en": row["name_en"],
                "name_zh": row["name_zh"],
                "continent": row["continent"],
                "continent_code": row["continent_code"],
                "un_region": row["un_region"],
                "un_subregion": row["un_subregion"],
                "un_intermediate_region": row["un_intermediate_region"],
                "bri_status": signed["status"] if signed else None,
                "bri_confidence": signed["confidence"] if signed else None,
            }
        )
    return rows


class _PlaceBuilder:
    """Collects place rows (with ids assigned up front, so parents can be referenced) and names."""

    def __init__(self, start_id: int):
        self.next_id = start_id
        self.places: list[dict[str, Any]] = []
        self.names: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.by_gb: dict[str, dict[str, Any]] = {}
        self.province_by_admin1: dict[str, dict[str, Any]] = {}

    def add(self, names: list[tuple[str, str]], **fields: Any) -> dict[str, Any]:
        row = dict.fromkeys(_PLACE_COLUMNS)
        row.update(fields, id=self.next_id)
        self.next_id += 1
        self.places.append(row)
        self.names[row["id"]].extend((n, lang) for n, lang in names if n)
        if row["gb_code"]:
            self.by_gb[row["gb_code"]] = row
        return row

    def add_chinese_divisions(self) -> tuple[int, int]:
        provinces = read_facts("cn_provinces")
        for p in provinces:
            municipality = p["type"] == "municipality"
            stem = name_key(p["name_zh"])
            names = [(p["name_en"], "en"), (p["name_zh"], "zh"), (pinyin_of(stem), "pinyin")]
            if p["adcode"] in REGION_COUNTRY:
                names.append(("中国" + stem, "zh"))
            row = self.add(
                names,
                kind="city" if municipality else "province",
                admin_level=p["type"],
                name=p["name_en"],
                name_zh=p["name_zh"],
                name_zh_source="cn-divisions",
                pinyin=pinyin_of(stem, tones=True),
                country_code=REGION_COUNTRY.get(p["adcode"], "CN"),
                gb_code=p["adcode"],
                province_code=p["adcode"],
                region3=p["region3"] or None,
                region4=p["region4"] or None,
                admin1=p["geonames_admin1"] or None,
                lat=float(p["capital_lat"]),
                lon=float(p["capital_lon"]),
                source="cn-divisions",
            )
            if p["geonames_admin1"]:
                self.province_by_admin1[p["geonames_admin1"]] = row
        prefectures = read_facts("cn_prefectures")
        for f in prefectures:
            if f["level"] == "municipality":
                continue
            province = self.by_gb[f["province_adcode"]]
            stem = name_key(f["name_zh"])
            names = [(f["name_en"], "en"), (f["name_zh"], "zh"), (f["pinyin_base"], "pinyin")]
            if f["level"] == "autonomous_prefecture":
                names.append((stem + "州", "zh"))  # the usual short form: 延边州, 恩施州
            self.add(
                names,
                kind="city",
                admin_level=f["level"],
                name=f["name_en"],
                name_zh=f["name_zh"],
                name_zh_source="cn-divisions",
                pinyin=pinyin_of(stem, tones=True),
                country_code="CN",
                parent_id=province["id"],
                gb_code=f["adcode"],
                province_code=f["province_adcode"],
                region3=f["region3"] or None,
                region4=f["region4"] or None,
                admin1=province["admin1"],
                lat=float(f["lat"]),
                lon=float(f["lon"]),
                source="cn-divisions",
            )
        return len(provinces), len(prefectures)

    def _seats(self, cities: list[GeoNamesCity]) -> dict[int, dict[str, Any]]:
        """GeoNames id → the prefecture (or municipality, or SAR) place it is the seat of."""
        by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.places:
            if row["kind"] == "city" and row["country_code"] == "CN":
                for name, _lang in self.names[row["id"]]:
                    by_key[name_key(name)].append(row)
        pairs = []
        for city in cities:
            if city.country_code != "CN":
                continue
            province = self.province_by_admin1.get(city.admin1)
            keys = {name_key(city.name)} | {name_key(a) for a in city.alternates if has_han(a)}
            for place in {id(p): p for k in keys for p in by_key.get(k, ())}.values():
                km = distance_km(city.lat, city.lon, place["lat"], place["lon"])
                same_province = (
                    province is not None and province["gb_code"] == place["province_code"]
                )
                if same_province or km <= MERGE_RADIUS_KM:
                    pairs.append((km, city.geonames_id, place))
        seats: dict[int, dict[str, Any]] = {}
        taken: set[int] = set()
        for _km, gid, place in sorted(pairs, key=lambda p: (p[0], p[1])):
            if gid not in seats and place["id"] not in taken:
                seats[gid] = place
                taken.add(place["id"])
        for gid, gb_code in SAR_CITIES.items():
            seats[gid] = self.by_gb[gb_code]
        return seats

    def add_cities(self, progress: Progress) -> tuple[int, int]:
        cities = list(read_cities())
        seats = self._seats(cities)
        added = 0
        for done, city in enumerate(cities, 1):
            alternates = [(a, _alternate_lang(a)) for a in city.alternates]
            seat = seats.get(city.geonames_id)
            if seat is not None:
                seat.update(
                    geonames_id=city.geonames_id,
                    population=city.population,
                    population_source="geonames" if city.population else None,
                )
                self.names[seat["id"]].extend([(city.name, "en"), *alternates])
            else:
                self._add_city(city, alternates)
                added += 1
            if done % 2000 == 0 or done == len(cities):
                progress("Preparing cities", done, len(cities))
        return len(seats), added

    def _add_city(self, city: GeoNamesCity, alternates: list[tuple[str, str]]) -> None:
        if city.country_code == "CN":
            province = self.province_by_admin1.get(city.admin1)
        else:
            province = self.by_gb.get(COUNTRY_REGION.get(city.country_code, ""))
        name_zh, name_zh_source = chinese_name(city)
        chinese = city.country_code in ("CN", *COUNTRY_REGION)
        # The mainland form is a name of the place too (横滨 finds Yokohama, not only 横浜).
        zh_names = [(name_zh, "zh")] if name_zh else []
        self.add(
            [(city.name, "en"), *zh_names, *alternates],
            kind="city",
            name=city.name,
            name_zh=name_zh,
            name_zh_source=name_zh_source,
            pinyin=pinyin_of(name_key(name_zh), tones=True) if chinese and name_zh else None,
            country_code=city.country_code,
            parent_id=province["id"] if province else None,
            province_code=province["gb_code"] if province else None,
            region3=province["region3"] if province else None,
            region4=province["region4"] if province else None,
            geonames_id=city.geonames_id,
            admin1=city.admin1 or None,
            lat=city.lat,
            lon=city.lon,
            population=city.population,
            population_source="geonames" if city.population else None,
            source="geonames",
        )

    def name_rows(self) -> list[dict[str, Any]]:
        """One row per distinct lookup key of each place, its first (most official) spelling."""
        rows = []
        for place_id, names in self.names.items():
            seen: set[str] = set()
            for name, lang in names:
                key = name_key(name)
                if key and key not in seen:
                    seen.add(key)
                    rows.append(
                        {"place_id": place_id, "name": name[:200], "key": key[:200], "lang": lang}
                    )
        return rows


def _alternate_lang(name: str) -> str:
    if has_han(name):
        return "zh"
    return "pinyin" if name == name.lower() else "alt"


def chinese_name(city: GeoNamesCity) -> tuple[str | None, str | None]:
    """A GeoNames city's Chinese name in mainland form and its source, or (None, None).

    cities15000 does not say which Han-script alternates are Chinese and which Japanese or
    Korean: `choose_chinese_name` converts them all and picks the one they agree on.
    """
    chosen = choose_chinese_name(city.alternates, country=city.country_code, local_name=city.name)
    if chosen is None:
        return None, None
    return chosen.name, "geonames" + RULE_SUFFIX[chosen.rule]


def _advance_sequence(session: Session) -> None:
    """PostgreSQL: ids were given explicitly, so move the id sequence past them."""
    if session.get_bind().dialect.name == "postgresql":
        sequence = "pg_get_serial_sequence('places', 'id')"
        session.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM places))"))

"""Loading the shipped demo registry (data/registry, see its README) onto the gazetteer.

Each side of a pair becomes one place, tried in this order: the Chinese division with its GB/T
2260 prefecture (else province) code; a place already holding its Wikidata id; a gazetteer place
of the same name and country within 50 km; else a new place (source "registry"). Everything is
matched in memory and written with bulk inserts, so the load takes seconds, not minutes.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from amity.core.progress import Progress, silent
from amity.partnerships.models import Partnership
from amity.partnerships.rules import infer_level
from amity.places.models import Place, PlaceName
from amity.places.service import distance_km, invalidate_index, name_key

REGISTRY_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "registry" / "pairs_combined.csv.gz"
)
NEAR_KM = 50.0
SOURCES = {"wikipedia": "wikipedia", "wikidata": "wikidata"}
_BATCH = 5000
_PLACE_COLUMNS = [c.name for c in Place.__table__.columns]


def read_registry(path: Path = REGISTRY_FILE) -> list[dict[str, str]]:
    """The rows of the registry file (gzip-compressed or plain CSV)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def load_demo(
    session: Session, *, progress: Progress = silent, path: Path = REGISTRY_FILE
) -> dict[str, int]:
    """Load the demo registry's places and partnerships; return what was added and skipped."""
    rows = read_registry(path)
    matcher = _RegistryPlaces(session)
    counts: Counter[str] = Counter(rows=len(rows))
    pairs: dict[tuple[int, int], dict[str, Any]] = {}
    for done, row in enumerate(rows, start=1):
        a, b = matcher.place_id(row, "a"), matcher.place_id(row, "b")
        if a is None or b is None:
            counts["skipped_no_country"] += 1
        elif a == b:
            counts["skipped_self_pairs"] += 1
        elif (min(a, b), max(a, b)) in pairs or (min(a, b), max(a, b)) in matcher.stored_pairs:
            counts["skipped_duplicates"] += 1
        else:
            pairs[(min(a, b), max(a, b))] = row
        if done % 1000 == 0 or done == len(rows):
            progress("Matching registry places", done, len(rows))
    matcher.write(progress)
    records = [
        {
            "place_a_id": a,
            "place_b_id": b,
            "kind": "sister_city",
            "level": row.get("level") or infer_level(matcher.kinds[a], matcher.kinds[b]),
            "status": "active",
            "source": _short_source(row["source"]),
            "source_ref": row["pair_id"],
            "quality_flags": (row["quality_flags"] or "")[:300] or None,
        }
        for (a, b), row in pairs.items()
    ]
    for start in range(0, len(records), _BATCH):
        session.execute(insert(Partnership), records[start : start + _BATCH])
        progress("Writing partnerships", min(start + _BATCH, len(records)), len(records))
    session.flush()
    invalidate_index()
    counts.update(
        partnerships=len(records),
        new_places=len(matcher.new_rows),
        matched_by_code=matcher.how["code"],
        matched_by_geonames=matcher.how["geonames"],
        matched_by_wikidata=matcher.how["wikidata"],
        matched_by_name=matcher.how["name"],
    )
    return dict(counts)


def _short_source(text: str) -> str:
    word = text.split()[0].lower() if text else ""
    return next((short for key, short in SOURCES.items() if word.startswith(key)), "registry")


def _float(text: str) -> float | None:
    return float(text) if text else None


class _RegistryPlaces:
    """Maps registry sides to place ids in memory; new places get ids up front.

    A side is one place per build identity (`{side}_key`): its Chinese division (GB/T code) or,
    for a district or county-level unit, a new place under that division; else the place with its
    GeoNames id, else with its Wikidata id, else a same-named city within 50 km, else a new
    place with the build's level, parent, ids, population and Chinese name (and their sources).
    """

    def __init__(self, session: Session):
        self.session = session
        self.by_gb = dict(
            session.execute(select(Place.gb_code, Place.id).where(Place.gb_code.is_not(None))).all()
        )
        self.by_wikidata = dict(
            session.execute(
                select(Place.wikidata, Place.id).where(Place.wikidata.is_not(None))
            ).all()
        )
        self.by_geonames = dict(
            session.execute(
                select(Place.geonames_id, Place.id).where(Place.geonames_id.is_not(None))
            ).all()
        )
        self.with_wikidata = set(self.by_wikidata.values())
        self.kinds: dict[int, str] = {}
        self.points: dict[int, tuple[float | None, float | None, int]] = {}
        self.divisions: dict[int, tuple[str | None, str | None, str | None]] = {}
        for pid, kind, lat, lon, population, province, region3, region4 in session.execute(
            select(Place.id, Place.kind, Place.lat, Place.lon, Place.population,
                   Place.province_code, Place.region3, Place.region4)
        ):
            self.kinds[pid] = kind
            self.points[pid] = (lat, lon, population or 0)
            self.divisions[pid] = (province, region3, region4)
        self.by_name: dict[tuple[str, str], set[int]] = defaultdict(set)
        for key, country, pid in session.execute(
            select(PlaceName.key, Place.country_code, Place.id).join(Place)
        ):
            self.by_name[(key, country)].add(pid)
        self.stored_pairs = {
            (a, b)
            for a, b in session.execute(select(Partnership.place_a_id, Partnership.place_b_id))
        }
        self.by_key: dict[str, int] = {}
        self.known_levels = set(
            session.scalars(select(Place.id).where(Place.admin_level.is_not(None)))
        )
        self.level_updates: list[dict[str, Any]] = []
        self.new_ids: set[int] = set()
        self.next_id = max(self.kinds, default=0) + 1
        self.new_rows: list[dict[str, Any]] = []
        self.new_names: list[dict[str, Any]] = []
        self.wikidata_updates: dict[int, str] = {}
        self.how: Counter[str] = Counter()

    def place_id(self, row: dict[str, str], side: str) -> int | None:
        """The place for side "a" or "b" of a row; None when the side has no country."""
        field = {c: row.get(f"{side}_{c}") or "" for c in _SIDE_FIELDS}
        if not field["country_iso2"]:
            return None
        key = field["key"]
        if key and key in self.by_key:
            return self.by_key[key]
        found = self._existing(field)
        if found is None:
            found = self._new_place(field)
        elif found not in self.new_ids and field["level"] and found not in self.known_levels:
            # A gazetteer city the build found to be a district (Dongcheng of Beijing) or a
            # region learns its level, and its parent when it had none.
            self.known_levels.add(found)
            update_row = {"id": found, "admin_level": field["level"]}
            parent = self._parent(field) if field["level"] == "district" else None
            if parent is not None and parent != found:
                update_row["parent_id"] = parent
            self.level_updates.append(update_row)
        if key:
            self.by_key[key] = found
        return found

    def _existing(self, f: dict[str, str]) -> int | None:
        level = f["level"]
        if level != "district":
            for code in (f["cn_prefecture_adcode"], f["cn_province_adcode"]):
                if code in self.by_gb:
                    self.how["code"] += 1
                    return self._remember_wikidata(self.by_gb[code], f["wikidata"])
        geonames_id = int(f["geonames_id"]) if f["geonames_id"] else None
        if geonames_id in self.by_geonames:
            self.how["geonames"] += 1
            return self._remember_wikidata(self.by_geonames[geonames_id], f["wikidata"])
        wikidata = f["wikidata"] or None
        if wikidata in self.by_wikidata:
            self.how["wikidata"] += 1
            return self.by_wikidata[wikidata]
        if level in ("", "city"):
            found = self._nearest(name_key(f["name"]), f["country_iso2"], _float(f["lat"]),
                                  _float(f["lon"]))
            if found is not None:
                self.how["name"] += 1
                return self._remember_wikidata(found, wikidata)
        return None

    def _nearest(self, key: str, country: str, lat: float | None, lon: float | None) -> int | None:
        candidates = self.by_name.get((key, country))
        if not candidates:
            return None
        if lat is None or lon is None:
            return max(candidates, key=lambda pid: self.points[pid][2])
        best, best_km = None, NEAR_KM
        for pid in candidates:
            plat, plon, _population = self.points[pid]
            if plat is None or plon is None:
                continue
            km = distance_km(lat, lon, plat, plon)
            if km <= best_km:
                best, best_km = pid, km
        return best

    def _remember_wikidata(self, place_id: int, wikidata: str | None) -> int:
        # One Q-id, one place: later sides with this Q-id land here, whatever their spelling.
        if wikidata and wikidata not in self.by_wikidata:
            self.by_wikidata[wikidata] = place_id
            if place_id not in self.with_wikidata:
                self.with_wikidata.add(place_id)
                self.wikidata_updates[place_id] = wikidata
        return place_id

    def _parent(self, f: dict[str, str]) -> int | None:
        if f["cn_prefecture_adcode"] in self.by_gb:
            return self.by_gb[f["cn_prefecture_adcode"]]
        parent_key = f["parent_key"]
        if parent_key in self.by_key:
            return self.by_key[parent_key]
        if parent_key.startswith("gn:") and int(parent_key[3:]) in self.by_geonames:
            return self.by_geonames[int(parent_key[3:])]
        return None

    def _new_place(self, f: dict[str, str]) -> int:
        name, country, level = f["name"], f["country_iso2"], f["level"] or "city"
        lat, lon = _float(f["lat"]), _float(f["lon"])
        population = int(float(f["population"])) if f["population"] else None
        geonames_id = int(f["geonames_id"]) if f["geonames_id"] else None
        wikidata = f["wikidata"] or None
        if wikidata in self.by_wikidata:
            wikidata = None  # the Q-id already names another place (a district of its city)
        parent = self._parent(f)
        province, region3, region4 = self.divisions.get(parent, (None, None, None))
        row = dict.fromkeys(_PLACE_COLUMNS)
        row.update(
            id=self.next_id,
            kind="province" if level.startswith("subdivision") else "city",
            admin_level=level,
            name=name[:200],
            name_zh=f["name_zh"] or None,
            name_zh_source=(f["name_zh_source"] or None) if f["name_zh"] else None,
            country_code=country,
            parent_id=parent,
            province_code=province,
            region3=region3,
            region4=region4,
            geonames_id=geonames_id,
            wikidata=wikidata,
            admin1=f["admin1"] or (f["iso3166_2"].split("-", 1)[-1] if f["iso3166_2"] else None),
            lat=lat,
            lon=lon,
            population=population,
            population_source=f["population_source"] or None if population else None,
            source=_place_source(f),
        )
        self.next_id += 1
        self.new_rows.append(row)
        self.new_ids.add(row["id"])
        for written in filter(None, (name, f["name_zh"])):
            key = name_key(written)
            if key:
                lang = "zh" if written == f["name_zh"] else "en"
                self.new_names.append(
                    {"place_id": row["id"], "name": written[:200], "key": key[:200], "lang": lang}
                )
                self.by_name[(key, country)].add(row["id"])
        if wikidata:
            self.by_wikidata[wikidata] = row["id"]
            self.with_wikidata.add(row["id"])
        if geonames_id:
            self.by_geonames[geonames_id] = row["id"]
        self.kinds[row["id"]] = row["kind"]
        self.points[row["id"]] = (lat, lon, population or 0)
        self.divisions[row["id"]] = (province, region3, region4)
        return row["id"]

    def write(self, progress: Progress) -> None:
        """Insert the new places and their names; give matched places their Wikidata ids."""
        total = len(self.new_rows)
        for start in range(0, total, _BATCH):
            self.session.execute(insert(Place.__table__), self.new_rows[start : start + _BATCH])
            progress("Writing new places", min(start + _BATCH, total), total)
        if self.new_names:
            self.session.execute(insert(PlaceName.__table__), self.new_names)
        if self.wikidata_updates:
            self.session.execute(
                update(Place),
                [{"id": pid, "wikidata": q} for pid, q in self.wikidata_updates.items()],
            )
        for keys in ({"id", "admin_level"}, {"id", "admin_level", "parent_id"}):
            batch = [u for u in self.level_updates if set(u) == keys]
            if batch:
                self.session.execute(update(Place), batch)
        if self.session.get_bind().dialect.name == "postgresql":
            # Ids were given explicitly, so the id sequence must move past them.
            self.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('places', 'id'), "
                    "(SELECT max(id) FROM places))"
                )
            )


_SIDE_FIELDS = (
    "name", "name_zh", "name_zh_source", "country_iso2", "level", "lat", "lon", "wikidata",
    "geonames_id", "iso3166_2", "population", "population_source", "cn_province_adcode",
    "cn_prefecture_adcode", "admin1", "key", "parent_key",
)


def _place_source(f: dict[str, str]) -> str:
    """Where a new place's identity comes from: its GeoNames id, its ISO 3166-2 code, its
    Wikidata id, else the registry itself."""
    if f["geonames_id"]:
        return "geonames"
    if f["iso3166_2"]:
        return "iso3166-2"
    return "wikidata" if f["wikidata"] else "registry"

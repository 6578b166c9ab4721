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

from amity.partnerships.models import Partnership
from amity.partnerships.rules import infer_level
from amity.places import resolve
from amity.places.geo import distance_km
from amity.places.models import Place, PlaceName
from amity.places.names import name_key
from amity.progress import Progress, silent

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
            "level": infer_level(matcher.kinds[a], matcher.kinds[b]),
            "status": "active",
            "source": _short_source(row["source"]),
            "source_ref": row["pair_id"],
            "quality_flags": row["quality_flags"] or None,
        }
        for (a, b), row in pairs.items()
    ]
    for start in range(0, len(records), _BATCH):
        session.execute(insert(Partnership), records[start : start + _BATCH])
        progress("Writing partnerships", min(start + _BATCH, len(records)), len(records))
    session.flush()
    resolve.invalidate_index()
    counts.update(
        partnerships=len(records),
        new_places=len(matcher.new_rows),
        matched_by_code=matcher.how["code"],
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
    """Maps registry sides to place ids in memory; new places get ids up front."""

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
        self.with_wikidata = set(self.by_wikidata.values())
        self.kinds: dict[int, str] = {}
        self.points: dict[int, tuple[float | None, float | None, int]] = {}
        for pid, kind, lat, lon, population in session.execute(
            select(Place.id, Place.kind, Place.lat, Place.lon, Place.population)
        ):
            self.kinds[pid] = kind
            self.points[pid] = (lat, lon, population or 0)
        self.by_name: dict[tuple[str, str], set[int]] = defaultdict(set)
        for key, country, pid in session.execute(
            select(PlaceName.key, Place.country_code, Place.id).join(Place)
        ):
            self.by_name[(key, country)].add(pid)
        self.stored_pairs = {
            (a, b)
            for a, b in session.execute(select(Partnership.place_a_id, Partnership.place_b_id))
        }
        self.next_id = max(self.kinds, default=0) + 1
        self.new_rows: list[dict[str, Any]] = []
        self.new_names: list[dict[str, Any]] = []
        self.wikidata_updates: dict[int, str] = {}
        self.how: Counter[str] = Counter()

    def place_id(self, row: dict[str, str], side: str) -> int | None:
        """The place for side "a" or "b" of a row; None when the side has no country."""
        country = row[f"{side}_country_iso2"]
        if not country:
            return None
        for code in (row[f"{side}_cn_prefecture_adcode"], row[f"{side}_cn_province_adcode"]):
            if code in self.by_gb:
                self.how["code"] += 1
                return self._remember_wikidata(self.by_gb[code], row[f"{side}_wikidata"])
        wikidata = row[f"{side}_wikidata"] or None
        if wikidata in self.by_wikidata:
            self.how["wikidata"] += 1
            return self.by_wikidata[wikidata]
        name = row[f"{side}_name"]
        key = name_key(name)
        lat, lon = _float(row[f"{side}_lat"]), _float(row[f"{side}_lon"])
        found = self._nearest(key, country, lat, lon)
        if found is not None:
            self.how["name"] += 1
            return self._remember_wikidata(found, wikidata)
        population = row[f"{side}_population"]
        return self._new_place(
            name, key, country, lat, lon, wikidata, int(float(population)) if population else None
        )

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

    def _new_place(self, name, key, country, lat, lon, wikidata, population) -> int:
        row = dict.fromkeys(_PLACE_COLUMNS)
        row.update(
            id=self.next_id,
            kind="city",
            name=name[:200],
            country_code=country,
            wikidata=wikidata,
            lat=lat,
            lon=lon,
            population=population,
            source="registry",
        )
        self.next_id += 1
        self.new_rows.append(row)
        if key:
            self.new_names.append(
                {"place_id": row["id"], "name": name[:200], "key": key[:200], "lang": "en"}
            )
            self.by_name[(key, country)].add(row["id"])
        if wikidata:
            self.by_wikidata[wikidata] = row["id"]
            self.with_wikidata.add(row["id"])
        self.kinds[row["id"]] = "city"
        self.points[row["id"]] = (lat, lon, population or 0)
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
        if self.session.get_bind().dialect.name == "postgresql":
            # Ids were given explicitly, so the id sequence must move past them.
            self.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('places', 'id'), "
                    "(SELECT max(id) FROM places))"
                )
            )

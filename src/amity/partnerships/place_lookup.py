"""Finding the place a row names: Wikidata id, then the resolver, checked against coordinates."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.places.models import Place
from amity.places.service import Match, distance_km, name_key, resolve

# A resolved name whose place lies farther than this from the row's coordinates is another
# place of the same name (a province's point is its capital, hence the wider allowance).
NEAR_KM = {"city": 50.0, "province": 400.0}


@dataclass(frozen=True)
class NewPlace:
    """A place the import will create: named in the row, with a country and coordinates."""

    name: str
    country_code: str
    lat: float
    lon: float
    wikidata: str | None = None


@dataclass
class SideMatch:
    """How one side of a row was matched: status resolved|new|ambiguous|unresolved."""

    status: str
    place_id: int | None = None
    new_place: NewPlace | None = None
    reason: str = ""
    candidates: list[dict] = field(default_factory=list)

    @property
    def key(self) -> object:
        return self.place_id if self.place_id is not None else self.new_place


class PlaceMatcher:
    """Matches the sides of rows to places, remembering answers (registers repeat names)."""

    def __init__(self, session: Session):
        self.session = session
        self._cache: dict[tuple, SideMatch] = {}
        self._new: dict[tuple[str, str], list[NewPlace]] = {}
        self._provinces: dict[str, str | None] = {}
        self._by_wikidata = dict(
            session.execute(
                select(Place.wikidata, Place.id).where(Place.wikidata.is_not(None))
            ).all()
        )

    def match(
        self,
        name: str,
        *,
        country: str | None,
        lat: float | None,
        lon: float | None,
        wikidata: str | None = None,
        province: str | None = None,
    ) -> SideMatch:
        """The place for one side of a row (cached on name, country, rounded point, Q-id).

        `province`: the Chinese province the row puts the place in (a 省份 column), which
        decides between namesakes in different provinces."""
        point = (round(lat, 2), round(lon, 2)) if lat is not None and lon is not None else None
        key = (name.casefold(), country, point, wikidata, province)
        if key not in self._cache:
            self._cache[key] = self._match(name, country, lat, lon, wikidata, province)
        return self._cache[key]

    def province_prefix(self, text: str) -> str | None:
        """The two-digit GB/T 2260 prefix of a Chinese province named in a row, if it is one."""
        if text not in self._provinces:
            best = resolve(self.session, text, country="CN", limit=3).best
            known = best is not None and best.kind == "province" and best.gb_code
            self._provinces[text] = best.gb_code[:2] if known else None
        return self._provinces[text]

    def _match(self, name, country, lat, lon, wikidata, province=None) -> SideMatch:
        if wikidata and wikidata in self._by_wikidata:
            return SideMatch("resolved", self._by_wikidata[wikidata])
        if lat is None or lon is None:
            result = resolve(self.session, name, country=country, limit=5)
            if result.status == "resolved":
                return SideMatch("resolved", result.best.id)
            if result.status == "ambiguous":
                prefix = self.province_prefix(province) if province else None
                inside = [m for m in result.matches if prefix and (m.gb_code or "")[:2] == prefix]
                if len(inside) == 1:
                    return SideMatch("resolved", inside[0].id)
                return _ambiguous(name, result.matches)
            where = f" in {country}" if country else ""
            return SideMatch(
                "unresolved",
                reason=f"no place named {name!r}{where}; give a country and coordinates to add it",
            )
        # With a point, only places near it count: the same answer whatever else shares the name,
        # so a re-import finds the places an earlier import created.
        result = resolve(self.session, name, country=country, lat=lat, lon=lon, limit=20)
        near = sorted(
            ((d, m) for m in result.matches if (d := _distance(m, lat, lon)) <= _radius(m)),
            key=lambda pair: pair[0],
        )
        if len(near) == 1 or (near and near[1][0] > 2 * near[0][0] + 1.0):
            return SideMatch("resolved", near[0][1].id)
        if near:
            return _ambiguous(name, [m for _d, m in near])
        if country:
            return SideMatch("new", new_place=self._new_place(name, country, lat, lon, wikidata))
        return SideMatch("unresolved", reason=f"no place named {name!r} near the given point")

    def _new_place(self, name, country, lat, lon, wikidata) -> NewPlace:
        # One new place per spelling (name key) and country, unless the rows put them far apart.
        planned = self._new.setdefault((name_key(name), country), [])
        for place in planned:
            if distance_km(lat, lon, place.lat, place.lon) <= NEAR_KM["city"]:
                return place
        place = NewPlace(name, country, lat, lon, wikidata)
        planned.append(place)
        return place


def _distance(match: Match, lat: float, lon: float) -> float:
    if match.lat is None or match.lon is None:
        return 0.0
    return distance_km(lat, lon, match.lat, match.lon)


def _radius(match: Match) -> float:
    return NEAR_KM.get(match.kind, NEAR_KM["city"])


def _ambiguous(name: str, matches: list[Match]) -> SideMatch:
    candidates = [
        {"id": m.id, "name": m.name, "country": m.country, "score": m.score} for m in matches
    ]
    return SideMatch("ambiguous", reason=f"{name!r} matches several places", candidates=candidates)

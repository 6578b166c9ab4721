"""Finding the place a row names: Wikidata id, then the resolver, checked against coordinates."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.places.geo import distance_km
from amity.places.models import Place
from amity.places.resolve import Match, resolve

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
    ) -> SideMatch:
        """The place for one side of a row (cached on name, country, rounded point, Q-id)."""
        point = (round(lat, 2), round(lon, 2)) if lat is not None and lon is not None else None
        key = (name.casefold(), country, point, wikidata)
        if key not in self._cache:
            self._cache[key] = self._match(name, country, lat, lon, wikidata)
        return self._cache[key]

    def _match(self, name, country, lat, lon, wikidata) -> SideMatch:
        if wikidata and wikidata in self._by_wikidata:
            return SideMatch("resolved", self._by_wikidata[wikidata])
        has_point = lat is not None and lon is not None
        result = resolve(self.session, name, country=country, lat=lat, lon=lon, limit=5)
        if result.status == "resolved" and (not has_point or _near(result.best, lat, lon)):
            return SideMatch("resolved", result.best.id)
        if result.status == "ambiguous":
            near = [m for m in result.matches if has_point and _near(m, lat, lon)]
            if len(near) == 1:
                return SideMatch("resolved", near[0].id)
            if not has_point or near:
                candidates = [
                    {"id": m.id, "name": m.name, "country": m.country, "score": m.score}
                    for m in (near or result.matches)
                ]
                return SideMatch(
                    "ambiguous", reason=f"{name!r} matches several places", candidates=candidates
                )
        if country and has_point:
            return SideMatch("new", new_place=self._new_place(name, country, lat, lon, wikidata))
        where = f" in {country}" if country else ""
        return SideMatch(
            "unresolved",
            reason=f"no place named {name!r}{where}; give a country and coordinates to add it",
        )

    def _new_place(self, name, country, lat, lon, wikidata) -> NewPlace:
        # One new place per name and country, unless the rows put them far apart.
        planned = self._new.setdefault((name.casefold(), country), [])
        for place in planned:
            if distance_km(lat, lon, place.lat, place.lon) <= NEAR_KM["city"]:
                return place
        place = NewPlace(name, country, lat, lon, wikidata)
        planned.append(place)
        return place


def _near(match: Match, lat: float, lon: float) -> bool:
    if match.lat is None or match.lon is None:
        return True
    return distance_km(lat, lon, match.lat, match.lon) <= NEAR_KM.get(match.kind, NEAR_KM["city"])

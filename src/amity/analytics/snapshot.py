"""The registry as plain rows: every pair with both places and their countries, read in one go."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from amity.partnerships.models import Partnership
from amity.places.models import Country, Place


@dataclass(frozen=True, slots=True)
class CountryInfo:
    iso2: str
    name_en: str
    name_zh: str | None
    continent: str | None
    un_region: str | None
    un_subregion: str | None
    bri_status: str | None


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    id: int
    kind: str
    name: str
    name_zh: str | None
    country_code: str
    province_code: str | None
    region3: str | None
    region4: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int | None


@dataclass(frozen=True, slots=True)
class PairInfo:
    id: int
    a: int
    b: int
    kind: str
    level: str
    status: str
    established: str | None
    established_year: int | None
    source: str


@dataclass(frozen=True)
class Snapshot:
    countries: dict[str, CountryInfo]
    places: dict[int, PlaceInfo]
    pairs: list[PairInfo]


def load_snapshot(session: Session) -> Snapshot:
    """Every partnership, the places on either side and all countries."""
    countries = {
        row.iso2: CountryInfo(
            row.iso2,
            row.name_en,
            row.name_zh,
            row.continent,
            row.un_region,
            row.un_subregion,
            row.bri_status,
        )
        for row in session.execute(
            select(
                Country.iso2,
                Country.name_en,
                Country.name_zh,
                Country.continent,
                Country.un_region,
                Country.un_subregion,
                Country.bri_status,
            )
        )
    }
    pairs = [
        PairInfo(*row)
        for row in session.execute(
            select(
                Partnership.id,
                Partnership.place_a_id,
                Partnership.place_b_id,
                Partnership.kind,
                Partnership.level,
                Partnership.status,
                Partnership.established,
                Partnership.established_year,
                Partnership.source,
            ).order_by(Partnership.id)
        )
    ]
    in_network = union(select(Partnership.place_a_id), select(Partnership.place_b_id)).subquery()
    places = {
        row[0]: PlaceInfo(*row)
        for row in session.execute(
            select(
                Place.id,
                Place.kind,
                Place.name,
                Place.name_zh,
                Place.country_code,
                Place.province_code,
                Place.region3,
                Place.region4,
                Place.admin1,
                Place.lat,
                Place.lon,
                Place.population,
            ).where(Place.id.in_(select(in_network.c[0])))
        )
    }
    return Snapshot(countries, places, pairs)

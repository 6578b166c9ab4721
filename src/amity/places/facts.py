"""Readers for the data files shipped in amity/data (see its README for provenance)."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FACTS_DIR = DATA_DIR / "facts"
CITIES_FILE = DATA_DIR / "gazetteer" / "cities15000.tsv.gz"


def read_facts(name: str) -> list[dict[str, str]]:
    """Rows of one CSV file in data/facts, e.g. read_facts("countries")."""
    with (FACTS_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class GeoNamesCity:
    """One row of the compact GeoNames city file."""

    geonames_id: int
    name: str
    lat: float
    lon: float
    country_code: str
    admin1: str
    population: int
    alternates: tuple[str, ...]


def read_cities() -> Iterator[GeoNamesCity]:
    """The world cities of the shipped gazetteer, in GeoNames id order."""
    with gzip.open(CITIES_FILE, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            gid, name, lat, lon, country, admin1, population, alternates = fields
            yield GeoNamesCity(
                int(gid),
                name,
                float(lat),
                float(lon),
                country,
                admin1,
                int(population),
                tuple(alternates.split("|")) if alternates else (),
            )

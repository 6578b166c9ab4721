"""Layout balance: how evenly the home country's provinces take part, and where partners are.

Provinces: China's 31 mainland provincial-level divisions with their 2020 census population. For
another home country, the first-level divisions are the GeoNames admin1 codes of its places, named
after its places of kind "province" where the database has them. A division's population is its
province record's where there is one, else the summed population of the gazetteer's cities in it:
a proxy (cities of 15,000 people or more, so rural people are missing and per-capita figures run
high). `population_source` says which, for each division and overall.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.analytics.home import HomeView, home_view
from amity.analytics.measures import gini, herfindahl, share, theil, theil_decomposed
from amity.analytics.official import china_province_population, china_provinces
from amity.analytics.snapshot import CountryInfo, Snapshot
from amity.places.models import Place

# UN M49 Southern Europe's Balkan states, with Bulgaria, Romania and Moldova (M49 Eastern Europe).
SOUTHEAST_EUROPE = ("AL", "BA", "BG", "GR", "HR", "MD", "ME", "MK", "RO", "RS", "SI", "XK")

PARTNER_GROUPS = {
    "africa": lambda c: c.un_region == "Africa",
    "latin_america": lambda c: c.un_subregion == "Latin America and the Caribbean",
    "south_asia": lambda c: c.un_subregion == "Southern Asia",
    "southeast_europe": lambda c: c.iso2 in SOUTHEAST_EUROPE,
    "belt_and_road": lambda c: c.bri_status == "active",
}


def layout_balance(session: Session, snap: Snapshot, home: str) -> dict[str, Any]:
    """Province inequality (Gini, Theil, regional shares, gaps) and partner concentration."""
    view = home_view(snap, home)
    return {
        "home": home,
        "provinces": _province_balance(session, view),
        "partners": _partner_balance(snap, view),
    }


def _province_units(session: Session, view: HomeView) -> tuple[dict[str, dict[str, Any]], str]:
    """The home country's provinces keyed by code, each with a name, region and population."""
    if view.home == "CN":
        facts = china_provinces()
        units = {
            code: {
                "name_en": facts[code]["name_en"],
                "name_zh": facts[code]["name_zh"],
                "region3": facts[code]["region3"],
                "region4": facts[code]["region4"],
                "population": population,
                "population_source": "census-2020",
            }
            for code, population in china_province_population().items()
        }
        return units, "census-2020"
    provinces = session.execute(
        select(Place.admin1, Place.name, Place.name_zh, Place.population).where(
            Place.country_code == view.home, Place.kind == "province", Place.admin1.is_not(None)
        )
    ).all()
    city_population = dict(
        session.execute(
            select(Place.admin1, func.sum(Place.population))
            .where(Place.country_code == view.home, Place.kind == "city")
            .group_by(Place.admin1)
        ).all()
    )
    units = {
        admin1: {"name_en": admin1, "name_zh": None, "population": population or None,
                 "population_source": "sum-of-city-populations"}
        for admin1, population in city_population.items()
        if admin1
    }  # fmt: skip
    for row in provinces:
        unit = units.setdefault(row.admin1, {"population": None, "population_source": None})
        unit.update(name_en=row.name, name_zh=row.name_zh)
        if row.population:
            unit.update(population=row.population, population_source="province-record")
    for unit in units.values():
        unit.update(region3=None, region4=None)
    sources = {unit["population_source"] for unit in units.values()}
    if sources == {"province-record"}:
        return units, "province-records"
    if sources <= {"sum-of-city-populations", None}:
        return units, "sum-of-city-populations"
    return units, "mixed"


def _province_balance(session: Session, view: HomeView) -> dict[str, Any]:
    units, population_source = _province_units(session, view)
    key = "province_code" if view.home == "CN" else "admin1"
    counts = Counter(getattr(p.home, key) for p in view.foreign)
    unassigned = sum(n for code, n in counts.items() if code not in units)
    pairs = {code: counts.get(code, 0) for code in units}
    population = {code: unit["population"] or 0 for code, unit in units.items()}
    total_pairs = sum(pairs.values())
    total_population = sum(population.values())
    rows = []
    for code, unit in units.items():
        pop = population[code]
        expected = total_pairs * pop / total_population if total_population else None
        rows.append(
            {
                "code": code,
                **unit,
                "pairs": pairs[code],
                "per_million": round(pairs[code] / pop * 1e6, 4) if pop else None,
                "pairs_share": _round(share(pairs[code], total_pairs)),
                "population_share": _round(share(pop, total_population)),
                "expected_pairs": _round(expected),
                "gap": _round(pairs[code] - expected if expected is not None else None),
            }
        )
    rows.sort(key=lambda row: (-row["pairs"], row["code"]))
    with_population = [code for code in units if population[code] > 0]
    rates = [pairs[c] / population[c] * 1e6 for c in with_population]
    return {
        "population_source": population_source,
        "count": len(units),
        "pairs": total_pairs,
        "unassigned_pairs": unassigned,
        "gini": {"raw": _round(gini(list(pairs.values()))), "per_million": _round(gini(rates))},
        "theil": {
            "raw": _round(theil(list(pairs.values()))),
            "per_million": _round(theil(rates)),
            "population_weighted": {
                k: _round(v)
                for k, v in theil_decomposed(
                    [(units[c]["region3"] or "", pairs[c], population[c]) for c in with_population]
                ).items()
            },
        },
        "regions3": _region_shares(rows, "region3") if view.home == "CN" else [],
        "regions4": _region_shares(rows, "region4") if view.home == "CN" else [],
        "rows": rows,
    }


def _region_shares(rows: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    pairs: Counter = Counter()
    population: Counter = Counter()
    for row in rows:
        pairs[row[field]] += row["pairs"]
        population[row[field]] += row["population"] or 0
    total_pairs, total_population = sum(pairs.values()), sum(population.values())
    result = []
    for region in sorted(population, key=lambda r: -population[r]):
        pair_share = share(pairs[region], total_pairs)
        population_share = share(population[region], total_population)
        result.append(
            {
                "region": region,
                "pairs": pairs[region],
                "pairs_share": _round(pair_share),
                "population": population[region],
                "population_share": _round(population_share),
                "ratio": _round(pair_share / population_share)
                if pair_share is not None and population_share
                else None,
            }
        )
    return result


def _partner_balance(snap: Snapshot, view: HomeView) -> dict[str, Any]:
    counts = Counter(p.partner.country_code for p in view.foreign)
    total = sum(counts.values())
    hhi = herfindahl(list(counts.values()))
    groups = {}
    for name, member in PARTNER_GROUPS.items():
        countries = [c for c in counts if _matches(snap.countries.get(c), member)]
        group_pairs = sum(counts[c] for c in countries)
        groups[name] = {
            "pairs": group_pairs,
            "share": _round(share(group_pairs, total)),
            "partner_countries": len(countries),
        }
    return {
        "pairs": total,
        "partner_countries": len(counts),
        "hhi": _round(hhi),
        "hhi_10000": round(hhi * 10000, 1) if hhi is not None else None,
        "equivalent_countries": _round(1 / hhi) if hhi else None,
        "groups": groups,
        "southeast_europe_countries": list(SOUTHEAST_EUROPE),
    }


def _matches(country: CountryInfo | None, member) -> bool:
    return country is not None and bool(member(country))


def _round(value: float | None, digits: int = 6) -> float | None:
    return round(value, digits) if value is not None else None

"""Statistics of the registry and the layout balance of the home country's partnerships.

Conventions (see docs/analytics.md): "by partner country" counts the pairs between the home country
and a foreign place by the partner's country; "world" tables count every pair once for each
distinct country (or continent) on it. Results are cached until the next write to the registry.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from amity.analytics import layout
from amity.analytics.home import HomeView, home_view
from amity.analytics.official import china_provinces, read_official
from amity.analytics.phases import phase_rows, year_rows
from amity.analytics.scope import Scope, resolve_country, resolve_scope
from amity.analytics.snapshot import PlaceInfo, Snapshot, load_snapshot
from amity.analytics.tables import count_rows, country_rows, decade_rows, place_row, top_places
from amity.core import i18n
from amity.core.conventions import home_regions
from amity.core.settings import get_settings
from amity.partnerships.service import registry_cached
from amity.places.service import country_choices

TOP = 20
MAX_LINES = 5000


def snapshot(session: Session) -> Snapshot:
    """The registry as rows, read once per change."""
    return registry_cached(session, "snapshot", lambda: load_snapshot(session))


def resolve_home(session: Session, home: str | None) -> str:
    """The home country's ISO code: the argument, else AMITY_HOME_COUNTRY; must be known (an
    unknown one, or a continent's name, is refused with what is allowed)."""
    return resolve_country(snapshot(session), home or get_settings().home_country, "home")


def statistics(
    session: Session,
    *,
    home: str | None = None,
    continent: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    """Partnerships counted by country, continent, region, province, level, kind, status,
    decade: all of them, or those with one continent or one country (amity.analytics.scope)."""
    code = resolve_home(session, home)
    scope = resolve_scope(snapshot(session), continent, country)
    return registry_cached(
        session,
        f"statistics:{code}:{scope.key}",
        lambda: _statistics(snapshot(session), code, scope),
    )


def layout_balance(session: Session, *, home: str | None = None) -> dict[str, Any]:
    """Inequality across the home country's provinces and concentration of its partner countries."""
    code = resolve_home(session, home)
    return registry_cached(
        session, f"layout:{code}", lambda: layout.layout_balance(session, snapshot(session), code)
    )


def partnership_lines(
    session: Session,
    *,
    country: str | None = None,
    province: str | None = None,
    place: int | None = None,
    limit: int = MAX_LINES,
) -> dict[str, Any]:
    """Pairs with coordinates on both sides for a map, selected by either side's country (ISO2),
    Chinese province (GB/T 2260) or place id; the first `limit` pairs by id, with their places."""
    snap = snapshot(session)
    wanted = {
        "country": country.upper() if country else None,
        "province": province,
        "place": place,
    }

    def chosen(p: PlaceInfo) -> bool:
        return (
            (wanted["country"] is None or p.country_code == wanted["country"])
            and (province is None or p.province_code == province)
            and (place is None or p.id == place)
        )

    pairs = []
    for pair in snap.pairs:
        a, b = snap.places[pair.a], snap.places[pair.b]
        if None in (a.lat, a.lon, b.lat, b.lon) or not (chosen(a) or chosen(b)):
            continue
        pairs.append(pair)
    kept = pairs[:limit]
    ids = sorted({pid for pair in kept for pid in (pair.a, pair.b)})
    return {
        "filter": {k: v for k, v in wanted.items() if v is not None},
        "count": len(pairs),
        "truncated": len(pairs) > limit,
        "places": [
            place_row(snap.places[pid], lat=snap.places[pid].lat, lon=snap.places[pid].lon)
            for pid in ids
        ],
        "pairs": [[pair.id, pair.a, pair.b] for pair in kept],
    }


def _statistics(snap: Snapshot, home: str, scope: Scope) -> dict[str, Any]:
    """The tables for the scope: the world's over the pairs with a side within it, the home
    country's over its pairs with a partner within it (China with Africa: the African partners)."""
    named = {**scope.describe(snap), "home": home, "home_name_en": snap.countries[home].name_en}
    if not scope.key:
        view = home_view(snap, home)
        return {
            "scope": named,
            "home": _home_statistics(snap, view),
            "world": _world_statistics(snap),
            "coverage": coverage(view) if home == "CN" else None,
        }
    scoped = Snapshot(snap.countries, snap.places, scope.pairs(snap))
    view = home_view(scoped, home)
    within = [p for p in view.foreign if scope.holds(snap, p.partner.country_code)]
    view = replace(view, foreign=within)
    return {
        "scope": named,
        "home": _home_statistics(scoped, view),
        "world": _world_statistics(scoped),
        "coverage": None,  # the official totals count all partners, not a continent's
    }


def _home_statistics(snap: Snapshot, view: HomeView) -> dict[str, Any]:
    pairs = view.foreign
    total = len(pairs)
    partner_country = Counter(p.partner.country_code for p in pairs)
    info = [snap.countries.get(p.partner.country_code) for p in pairs]
    provinces = _province_counter(view)
    bri = Counter(c for c in partner_country if _is_bri(snap, c))
    bri_pairs = sum(partner_country[c] for c in bri)
    bri_countries = sum(1 for c in snap.countries.values() if c.bri_status == "active")
    return {
        "country": view.home,
        "members": sorted(view.members),
        "pairs": total,
        "domestic_pairs": view.domestic,
        "regions_foreign_pairs": view.regions_foreign,
        "regions_foreign_by_region": {
            code: view.regions_foreign_by.get(code, 0)
            for code in sorted(view.members - {view.home})
        },
        "partner_countries": len(partner_country),
        "home_places": len({p.home.id for p in pairs}),
        "partner_places": len({p.partner.id for p in pairs}),
        "by_partner_country": country_rows(partner_country, snap.countries, total),
        "by_partner_continent": count_rows(
            Counter(c.continent if c else None for c in info), "continent", total
        ),
        "by_partner_un_region": count_rows(
            Counter(c.un_region if c else None for c in info), "un_region", total
        ),
        "by_partner_un_subregion": count_rows(
            Counter(c.un_subregion if c else None for c in info), "un_subregion", total
        ),
        "by_province": provinces,
        "by_region3": count_rows(Counter(p.home.region3 for p in pairs), "region", total)
        if view.home == "CN"
        else [],
        "by_region4": count_rows(Counter(p.home.region4 for p in pairs), "region", total)
        if view.home == "CN"
        else [],
        "by_level": count_rows(Counter(p.pair.level for p in pairs), "level", total),
        "by_kind": count_rows(Counter(p.pair.kind for p in pairs), "kind", total),
        "by_status": count_rows(Counter(p.pair.status for p in pairs), "status", total),
        "by_decade": decade_rows(p.pair for p in pairs),
        "by_year": year_rows(p.pair for p in pairs),
        "by_phase": phase_rows(p.pair for p in pairs),
        "belt_and_road": {
            "countries_signed": bri_countries,
            "partner_countries": len(bri),
            "pairs": bri_pairs,
            "share": round(bri_pairs / total, 6) if total else None,
            "by_country": country_rows(
                Counter({c: partner_country[c] for c in bri}), snap.countries, total
            ),
        },
        "top_places": top_places(Counter(p.home.id for p in pairs), snap.places, TOP),
        "top_partner_places": top_places(Counter(p.partner.id for p in pairs), snap.places, TOP),
    }


def _province_counter(view: HomeView) -> list[dict[str, Any]]:
    """Home-side pairs by province: GB/T code in China, the GeoNames admin1 code elsewhere."""
    counter: Counter = Counter()
    places: dict[str | None, set[int]] = {}
    for p in view.foreign:
        key = p.home.province_code if view.home == "CN" else p.home.admin1
        counter[key] += 1
        places.setdefault(key, set()).add(p.home.id)
    rows = count_rows(counter, "code", len(view.foreign))
    names = china_provinces() if view.home == "CN" else {}
    for row in rows:
        facts = names.get(row["code"] or "", {})
        row["name_en"] = facts.get("name_en")
        row["name_zh"] = facts.get("name_zh")
        row["region3"] = facts.get("region3") or None
        row["places"] = len(places[row["code"]])
    return rows


def _world_statistics(snap: Snapshot) -> dict[str, Any]:
    by_country: Counter = Counter()
    by_continent: Counter = Counter()
    degree: Counter = Counter()
    cross_border = 0
    for pair in snap.pairs:
        a, b = snap.places[pair.a], snap.places[pair.b]
        by_country.update({a.country_code, b.country_code})
        continents = {snap.countries[c].continent for c in (a.country_code, b.country_code)}
        by_continent.update(continents)
        cross_border += a.country_code != b.country_code
        degree.update((pair.a, pair.b))
    return {
        "pairs": len(snap.pairs),
        "places": len(degree),
        "countries": len(by_country),
        "cross_border_pairs": cross_border,
        "by_country": country_rows(by_country, snap.countries, len(snap.pairs)),
        "by_continent": count_rows(by_continent, "continent", len(snap.pairs)),
        "by_level": count_rows(Counter(p.level for p in snap.pairs), "level"),
        "by_kind": count_rows(Counter(p.kind for p in snap.pairs), "kind"),
        "by_status": count_rows(Counter(p.status for p in snap.pairs), "status"),
        "by_decade": decade_rows(snap.pairs),
        "by_year": year_rows(snap.pairs),
        "top_places": top_places(degree, snap.places, TOP),
    }


def _is_bri(snap: Snapshot, iso2: str) -> bool:
    info = snap.countries.get(iso2)
    return info is not None and info.bri_status == "active"


def coverage(view: HomeView) -> dict[str, Any]:
    """The registry's China count beside the official totals over time, and the share covered.

    The registry's current total stands beside every official figure (the latest is the fair
    comparison); `growth` is the running count of its dated pairs by year, to draw against the
    official totals on a time axis (empty while no pair carries a date).
    """
    pairs = view.foreign
    registry = {
        "pairs": len(pairs),
        "partner_countries": len({p.partner.country_code for p in pairs}),
        "cn_provinces": len({p.home.province_code for p in pairs if p.home.province_code}),
        "cn_places": len({p.home.id for p in pairs}),
        "foreign_places": len({p.partner.id for p in pairs}),
    }
    series = []
    for row in read_official("cn_friendship_totals"):
        official = int(row["pairs"])
        countries = int(row["partner_countries"]) if row["partner_countries"] else None
        series.append(
            {
                "as_of": row["as_of"],
                "pairs": official,
                "partner_countries": countries,
                "cn_provinces": int(row["cn_provinces"]) if row["cn_provinces"] else None,
                "cn_cities": int(row["cn_cities"]) if row["cn_cities"] else None,
                "pairs_share": round(len(pairs) / official, 4),
                "countries_share": round(registry["partner_countries"] / countries, 4)
                if countries
                else None,
                "source": row["source"],
            }
        )
    growth = year_rows(p.pair for p in pairs)
    return {
        "registry": registry,
        "growth": [{"year": r["year"], "pairs": r["cumulative"]} for r in growth["rows"]],
        "dated": growth["dated"],
        "undated": growth["undated"],
        "official": series,
        "latest": series[-1] if series else None,
        "excluded_regions": sorted(home_regions(view.home)),
    }


# What the pages' filters and charts need that the API leaves coded.


def province_choices(locale: str) -> list[dict[str, str]]:
    """China's provincial-level divisions for the map filter, by GB/T 2260 code."""
    return [
        {"value": code, "label": row["name_zh"] if locale == "zh" else row["name_en"]}
        for code, row in sorted(china_provinces().items())
    ]


def chart_names(locale: str, home: str) -> dict[str, Any]:
    """What the charts' script needs that the API leaves coded: provinces (name, belt, capital)
    and the names of China's regions HK/MO/TW."""
    provinces = {
        code: {
            "name": row["name_zh"] if locale == "zh" else row["name_en"],
            "region3": row["region3"] or None,
            "capital": [float(row["capital_lon"]), float(row["capital_lat"])],
        }
        for code, row in china_provinces().items()
    }
    regions = {iso2: i18n.country_name(iso2, locale, home=home) for iso2 in home_regions(home)}
    return {"provinces": provinces, "china_regions": regions}


def network(session: Session):
    """The partnership network (amity.analytics.network), read here when asked: that module
    imports this one, so importing it at the top of either would fail when it comes first."""
    from amity.analytics.network import network as build

    return build(session)


def warm(session: Session) -> None:
    """Load (or build) the network report as a worker starts (`amity serve`)."""
    from amity.analytics.network import network_report

    network_report(session)


def dashboard_choices(session: Session, *, locale: str, home: str | None = None) -> dict:
    """The dashboard's filter choices (countries; China's provinces when China is home) and the
    names its charts need, in the locale."""
    home = (home or get_settings().home_country).upper()
    return {
        "home": home,
        "countries": country_choices(session, locale, home),
        "provinces": province_choices(locale) if home == "CN" else [],
        "names": chart_names(locale, home),
    }


# What other domains use of this domain's modules is imported from here
# (docs/architecture.md); at the end, as its modules may import this one.
from amity.analytics.measures import gini as gini
from amity.analytics.measures import herfindahl as herfindahl
from amity.analytics.official import china_province_population as china_province_population
from amity.analytics.snapshot import CountryInfo as CountryInfo


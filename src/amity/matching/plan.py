"""The layout plan: N new pairings for a province (or the whole home country) that fit well and
make the layout more even.

A pair's value is its recommendation score plus `balance_weight` x 100 x the improvement it brings
on its own to the layout measures (the fall in the Gini coefficient of pairs across provinces and
in the partner countries' HHI): marginal effects, so the programme stays linear. The measures before
and after are recomputed exactly for the chosen set.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analytics import service as analytics
from amity.analytics.service import china_province_population, gini, herfindahl, home_view
from amity.core.conventions import home_country, home_members
from amity.core.errors import InvalidInput
from amity.matching.engine import engine
from amity.matching.recommend import constraint_reasons, score_all
from amity.matching.settings import MatchingSettings, matching_settings
from amity.matching.solver import choose
from amity.places.models import Place

CANDIDATES_PER_PLACE = 15
MAX_PLACES = 400
MAX_NEW = 200


def plan(
    session: Session,
    *,
    new: int,
    province: str | None = None,
    home: str | None = None,
    settings: MatchingSettings | None = None,
) -> dict[str, Any]:
    """Choose `new` pairings for the home places of a province (GB/T code) or the home country."""
    if not 1 <= new <= MAX_NEW:
        raise InvalidInput(f"new must be between 1 and {MAX_NEW}", {"new": new})
    started = time.perf_counter()
    settings = settings or matching_settings()
    code = home_country(home)
    eng = engine(session)
    index = eng.index
    places = _home_places(session, eng, code, province)
    view = home_view(eng.snapshot, code)
    by_province = Counter(p.home.province_code if code == "CN" else p.home.admin1
                          for p in view.foreign)  # fmt: skip
    by_country = Counter(p.partner.country_code for p in view.foreign)
    provinces = _province_keys(code, by_province)
    values, ends, details = [], [], []
    home = home_members(code)
    for place in places:
        scored = score_all(session, eng, place, settings)
        excluded = np.zeros(index.size, dtype=bool)
        for mask in constraint_reasons(eng, place, settings).values():
            excluded |= mask
        foreign = np.array([index.places[i].country_code not in home for i in range(index.size)])
        pool = np.flatnonzero(foreign & ~excluded)
        best = pool[np.argsort(-scored["total"][pool])[:CANDIDATES_PER_PLACE]]
        key = place.province_code if code == "CN" else place.admin1
        for pos in best.tolist():
            partner = index.places[pos]
            balance = _balance_gain(by_province, provinces, key, by_country, partner.country_code)
            suitability = float(scored["total"][pos])
            values.append(suitability + settings.balance_weight * 100 * balance)
            ends.append((-place.id, partner.id))
            details.append((place, partner, suitability, balance))
    limits = {end: settings.max_new_per_place if end < 0 else 1 for pair in ends for end in pair}
    # A shift larger than any sum of values makes the count come first: n pairs whenever possible.
    shift = sum(abs(v) for v in values) + 1.0
    choice = choose([v + shift for v in values], ends, new, limits)
    chosen = [details[i] for i in choice.chosen]
    after_province = by_province.copy()
    after_country = by_country.copy()
    for place, partner, _, _ in chosen:
        after_province[place.province_code if code == "CN" else place.admin1] += 1
        after_country[partner.country_code] += 1
    return {
        "home": code,
        "province": province,
        "new": new,
        "places_considered": len(places),
        "pairs_considered": len(values),
        "method": choice.method,
        "objective": round(choice.value - shift * len(choice.chosen), 4),
        "bound": round(choice.bound - shift * len(choice.chosen), 4),
        "pairs": [
            {
                "place": {"id": p.id, "name": p.name, "name_zh": p.name_zh},
                "partner": {
                    "id": q.id,
                    "name": q.name,
                    "name_zh": q.name_zh,
                    "country_code": q.country_code,
                },
                "suitability": round(s, 4),
                "balance_gain": round(b, 6),
            }
            for p, q, s, b in chosen
        ],  # fmt: skip
        "balance": {
            "before": _measures(by_province, provinces, by_country, eng),
            "after": _measures(after_province, provinces, after_country, eng),
        },
        "seconds": round(time.perf_counter() - started, 2),
    }


def _home_places(session: Session, eng, code: str, province: str | None) -> list[Place]:
    query = select(Place).where(Place.country_code == code, Place.kind == "city")
    if province:
        if code != "CN":
            query = query.where(Place.admin1 == province)
        else:
            query = query.where(Place.province_code == province)
    places = [p for p in session.scalars(query) if p.id in eng.index.pos]
    if not places:
        raise InvalidInput("No places of the network in that province", {"province": province})
    places.sort(key=lambda p: (-int(eng.index.degree[eng.index.pos[p.id]]), p.id))
    return places[:MAX_PLACES]


def _province_keys(code: str, by_province: Counter) -> list[str]:
    if code == "CN":
        return sorted(china_province_population())
    return sorted(k for k in by_province if k)


def _balance_gain(
    by_province: Counter, provinces: list[str], key: str | None, by_country: Counter, country: str
) -> float:
    """Fall in province Gini plus fall in partner-country HHI from one more pair."""
    before_g = gini([by_province.get(p, 0) for p in provinces]) or 0.0
    after = by_province.copy()
    after[key] += 1
    after_g = gini([after.get(p, 0) for p in provinces]) or 0.0
    before_h = herfindahl(list(by_country.values())) or 0.0
    more = by_country.copy()
    more[country] += 1
    after_h = herfindahl(list(more.values())) or 0.0
    return (before_g - after_g) + (before_h - after_h)


def _measures(by_province: Counter, provinces: list[str], by_country: Counter, eng) -> dict:
    total = sum(by_country.values())
    groups = Counter()
    for country, n in by_country.items():
        info = eng.snapshot.countries.get(country)
        if info is None:
            continue
        groups["belt_and_road"] += n if info.bri_status == "active" else 0
        groups["africa"] += n if info.un_region == "Africa" else 0
        groups["latin_america"] += (
            n if info.un_subregion == "Latin America and the Caribbean" else 0
        )
    return {
        "pairs": total,
        "province_gini": round(gini([by_province.get(p, 0) for p in provinces]) or 0.0, 6),
        "partner_hhi": round(herfindahl(list(by_country.values())) or 0.0, 6),
        "partner_countries": len([c for c, n in by_country.items() if n]),
        "shares": {name: round(n / total, 6) if total else None for name, n in groups.items()},
    }


def layout(session: Session, home: str | None = None) -> dict[str, Any]:
    """The current layout balance (as the analytics domain reports it), for the plan page."""
    return analytics.layout_balance(session, home=home)

"""Recommendations for one place: candidates ranked by score, each factor's share in words.

Candidates (the general rule): a place of the home country (AMITY_HOME_COUNTRY, China by default,
with HK/MO/TW counted as China) gets places outside it; a place outside it gets places of the home
country. `scope="world"` drops that rule (any place but itself), as the evaluation does. Either
way a place is offered places of its level only (amity.matching.levels), and the filters keep the
candidates of the office's priorities: a country, a continent, a UN sub-region, Belt and Road
countries, countries with few pairs with the home country.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from amity.core.conventions import home_country
from amity.core.errors import InvalidInput, NotFound
from amity.core.i18n import place_name
from amity.matching.candidates import latitude_band, name_key
from amity.matching.coast import coastal_flags, unit_vectors
from amity.matching.engine import Engine, engine_knowing
from amity.matching.factors import (
    FACTORS,
    REGIONS_ZH,
    TITLES,
    Facts,
    Near,
    Typical,
    country_label,
    detail,
)
from amity.matching.features import FEATURES, NAMES, Query, against_all, query_at
from amity.matching.levels import filled_slots, index_levels, level_of, offered, slots
from amity.matching.profiles import profile_matches
from amity.matching.reasons import breakdown, factor_words, pieces, shown
from amity.matching.settings import MatchingSettings, matching_settings
from amity.places.models import Place

SCOPES = ("home", "world")
MAX_K = 100
EXCLUDED_EXAMPLES = 10
REASONS = {
    "self": ("the place itself", "本地自身"),
    "already_partnered": ("already a partner", "已是友城"),
    "excluded_country": ("its country is on the excluded list", "所在国家在排除名单上"),
    "other_level": (
        "not at this place's level (cities are offered cities; provinces, provinces and states)",
        "行政级别不对等（城市对城市，省对省、州）",
    ),
    "home_level_taken": (
        "already paired with a place of the home country at the same level "
        "(a municipality counts as a city)",
        "已与我国同级别地方结好（直辖市按城市计）",
    ),
}
# The filters' allowed values: the continents and UN M49 sub-regions of the countries' facts.
CONTINENTS = (
    "Africa", "Antarctica", "Asia", "Europe", "North America", "Oceania", "South America",
)  # fmt: skip
REGIONS = (
    "Australia and New Zealand", "Central Asia", "Eastern Asia", "Eastern Europe",
    "Latin America and the Caribbean", "Melanesia", "Micronesia", "Northern Africa",
    "Northern America", "Northern Europe", "Polynesia", "South-eastern Asia", "Southern Asia",
    "Southern Europe", "Sub-Saharan Africa", "Western Asia", "Western Europe",
)  # fmt: skip
# A country is under-represented when it has fewer partnerships than this with the home country
# (HK, MO and TW included) on the registry: 202 of the 246 countries abroad on the demo registry;
# the 44 others (Japan 214 pairs, the United States, South Korea, Russia...) have 10 or more.
UNDER_REPRESENTED_BELOW = 10


@dataclass(frozen=True)
class Filters:
    """What the office asks for: the candidate's country, continent, UN sub-region, a Belt and
    Road country, a country with few pairs with the home country (all that are given apply)."""

    country: str | None = None
    continent: str | None = None
    region: str | None = None
    belt_and_road: bool = False
    under_represented: bool = False


def recommend(
    session: Session,
    place_id: int,
    *,
    k: int = 10,
    country: str | None = None,
    continent: str | None = None,
    region: str | None = None,
    belt_and_road: bool = False,
    under_represented: bool = False,
    scope: str = "home",
    explain_excluded: bool = False,
    settings: MatchingSettings | None = None,
    diverse: bool = True,
) -> dict[str, Any]:
    """The top-k candidates for a place, each with its score and every factor's contribution.

    diverse: for a home place, rank with the diversity penalties (amity.matching.diversity).
    Each row's `score` is the model's (its factors add up to it), `penalty` the diversity
    penalty subtracted from it (0 for most), `rank_score` what the list is ordered by (score
    less penalty), `diversity` for a penalised place how widely it would be recommended without
    the penalty, in figures and in words."""
    filters = Filters(country, continent, region, belt_and_road, under_represented)
    if not 1 <= k <= MAX_K:
        raise InvalidInput(f"k must be between 1 and {MAX_K}", {"k": k})
    if scope not in SCOPES:
        raise InvalidInput(f"Unknown scope: {scope}", {"scope": scope, "allowed": list(SCOPES)})
    settings = settings or matching_settings()
    eng = engine_knowing(session, place_id)
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound(f"No place with id {place_id}", {"place": place_id})
    allowed = _scope_mask(eng, place, scope) & _filter_mask(eng, filters)
    scored = score_all(session, eng, place, settings)
    reasons = constraint_reasons(eng, place, settings)
    excluded = np.zeros(eng.index.size, dtype=bool)
    for mask in reasons.values():
        excluded |= mask
    total = scored["total"]
    pool = np.flatnonzero(allowed & ~excluded)
    penalty = np.zeros(eng.index.size)
    if diverse and eng.diversity is not None and place.country_code in eng.home:
        # Places already in many home cities' lists give way where they fit less well.
        penalty = eng.diversity.penalty
    top = pool[np.argsort(-(total - penalty)[pool], kind="stable")[:k]]
    result: dict[str, Any] = {
        "place": _place_row(place),
        "scope": scope,
        "filter": {**asdict(filters), "under_represented_below": UNDER_REPRESENTED_BELOW},
        "candidates": int(len(pool)),
        "weights": eng.model.describe(scored["query"].country),
        "as_of": eng.as_of.as_dict() if eng.as_of else None,
        "results": [
            {**_result(eng, scored, int(pos)), **_ranking(eng, scored, penalty, int(pos))}
            for pos in top
        ],
    }
    if explain_excluded:
        result["excluded"] = _explain(eng, scored, allowed, reasons)
    return result


def score_all(
    session: Session, eng: Engine, place: Place, settings: MatchingSettings
) -> dict[str, Any]:
    """Scores of every network place as the place's partner, split by factor."""
    index = eng.index
    query = _query(eng, place)
    features = against_all(index, query, eng.shares)
    contributions = eng.model.for_country(query.country).contributions(features)
    by_factor = {factor: np.zeros(index.size) for factor in FACTORS}
    for column, name in enumerate(NAMES):
        by_factor[FEATURES[name]] += contributions[:, column]
    matches = profile_matches(session, place.id, index.ids)
    by_factor["profile"] = np.array([len(m) for m in matches]) * settings.profile_per_match
    strategy, strategy_words = _strategy(eng, place, settings)
    by_factor["strategy"] = strategy
    return {
        "query": query,
        "features": features,
        "by_factor": by_factor,
        "total": sum(by_factor.values()),
        "profile_matches": matches,
        "strategy_words": strategy_words,
    }


def _query(eng: Engine, place: Place) -> Query:
    index = eng.index
    if place.id in index.pos:
        return query_at(index, index.pos[place.id])
    lat = place.lat if place.lat is not None else np.nan
    lon = place.lon if place.lon is not None else np.nan
    known = place.lat is not None and place.lon is not None
    return Query(
        pos=None,
        country=index.country_pos[place.country_code],
        xyz=np.nan_to_num(unit_vectors(np.array([lat]), np.array([lon]))[0]),
        known_point=known,
        log_population=float(np.log10(place.population)) if place.population else np.nan,
        kind=0 if place.kind == "city" else 1,
        name=_name_number(index, place.name),
        coastal=bool(coastal_flags(np.array([lat]), np.array([lon]))[0]),
        band=latitude_band(place.lat),
        neighbours=np.zeros(0, dtype=np.int64),
        partners_in=np.zeros(len(index.countries), dtype=np.int32),
        degree=0,
        region=-1,
    )


def _name_number(index, name: str) -> int:
    key = name_key(name)
    for pos, info in enumerate(index.places):
        if name_key(info.name) == key:
            return int(index.name[pos])
    return -1


def _scope_mask(eng: Engine, place: Place, scope: str) -> np.ndarray:
    if scope == "world":
        return np.ones(eng.index.size, dtype=bool)
    inside = eng.in_home
    return ~inside if place.country_code in eng.home else inside


def _filter_mask(eng: Engine, filters: Filters) -> np.ndarray:
    """The candidates whose country passes every filter given (checked before any scoring)."""
    index = eng.index
    infos = [eng.snapshot.countries.get(c) or _NONE for c in index.countries]
    keep = np.ones(len(index.countries), dtype=bool)  # per country
    if filters.country:
        code = filters.country.upper()
        if code not in index.country_pos:
            raise InvalidInput(
                "Unknown country: give the ISO 3166-1 alpha-2 code of a country of the registry.",
                {"country": filters.country},
            )
        keep &= np.arange(len(index.countries)) == index.country_pos[code]
    if filters.continent:
        if filters.continent not in CONTINENTS:
            raise InvalidInput(
                f"Unknown continent. Allowed: {', '.join(CONTINENTS)}.",
                {"continent": filters.continent, "allowed": list(CONTINENTS)},
            )
        keep &= np.array([info.continent == filters.continent for info in infos], dtype=bool)
    if filters.region:
        if filters.region not in REGIONS:
            raise InvalidInput(
                f"Unknown region. Allowed (UN M49 sub-regions): {', '.join(REGIONS)}.",
                {"region": filters.region, "allowed": list(REGIONS)},
            )
        keep &= np.array([info.un_subregion == filters.region for info in infos], dtype=bool)
    if filters.belt_and_road:
        # Active signatories of the official list (amity/data/facts/bri_countries.csv).
        keep &= np.array([info.bri_status == "active" for info in infos], dtype=bool)
    if filters.under_represented:
        keep &= _under_represented(eng)
    return keep[index.country]


def _under_represented(eng: Engine) -> np.ndarray:
    """Per country: outside the home country, fewer than UNDER_REPRESENTED_BELOW pairs with it."""
    index = eng.index
    home = [index.country_pos[c] for c in eng.home if c in index.country_pos]
    with_home = index.country_pairs[home].sum(axis=0)
    few = with_home < UNDER_REPRESENTED_BELOW
    few[home] = False
    return few


class _NoCountry:
    continent = None
    bri_status = None
    un_subregion = None


_NONE = _NoCountry()


def constraint_reasons(
    eng: Engine, place: Place, settings: MatchingSettings
) -> dict[str, np.ndarray]:
    """Per constraint, the candidates it rules out (a candidate may fall under several)."""
    index = eng.index
    self_mask = index.ids == place.id
    partnered = np.zeros(index.size, dtype=bool)
    if place.id in index.pos:
        partnered[index.neighbours[index.pos[place.id]]] = True
    excluded = np.isin(
        index.country, [index.country_pos[c] for c in settings.excluded_countries
                        if c in index.country_pos]
    )  # fmt: skip
    levels = index_levels(index, eng.levels)
    level = _place_level(eng, place, levels)
    reasons = {
        "self": self_mask,
        "already_partnered": partnered,
        "excluded_country": excluded,
        "other_level": ~offered(level, levels),
    }
    if settings.one_home_partner_per_level:
        reasons["home_level_taken"] = _level_taken(eng, place, levels, level)
    return reasons


def _place_level(eng: Engine, place: Place, levels: np.ndarray) -> int:
    if place.id in eng.index.pos:
        return int(levels[eng.index.pos[place.id]])
    return level_of(place.kind, place.admin_level)


def _level_taken(eng: Engine, place: Place, levels: np.ndarray, level: int) -> np.ndarray:
    """The rule that a foreign place pairs with one home place per slot (amity.matching.levels).

    For a home place: the foreign candidates whose slot for a pair with it is filled already.
    For a foreign place: the home candidates whose pair with it would fill a slot it has filled.
    """
    index = eng.index
    filled = filled_slots(index, levels, eng.in_home)
    if place.country_code in eng.home:
        return ~eng.in_home & filled[slots(level, levels), np.arange(index.size)]
    if place.id not in index.pos:
        return np.zeros(index.size, dtype=bool)
    mine = filled[:, index.pos[place.id]]
    return eng.in_home & mine[slots(levels, level)]


def _strategy(
    eng: Engine, place: Place, settings: MatchingSettings
) -> tuple[np.ndarray, list[tuple[tuple[str, str], ...]]]:
    """Policy boosts of foreign candidates for a home place: Belt and Road, continents, regions."""
    index = eng.index
    members = eng.home
    boost = np.zeros(len(index.countries))
    words: list[tuple[tuple[str, str], ...]] = []
    for i, code in enumerate(index.countries):
        info = eng.snapshot.countries.get(code) or _NONE
        parts: list[tuple[str, str]] = []
        if place.country_code in members and code not in members:
            if info.bri_status == "active" and settings.belt_and_road:
                boost[i] += settings.belt_and_road
                parts.append(("Belt and Road partner country", "“一带一路”合作国家"))
            if info.continent in settings.continents:
                boost[i] += settings.continents[info.continent]
                zh = REGIONS_ZH.get(info.continent, info.continent)
                parts.append((f"under-represented continent ({info.continent})",
                              f"布局薄弱的大洲（{zh}）"))  # fmt: skip
            if info.un_subregion in settings.subregions:
                boost[i] += settings.subregions[info.un_subregion]
                zh = REGIONS_ZH.get(info.un_subregion, info.un_subregion)
                parts.append((f"under-represented region ({info.un_subregion})",
                              f"布局薄弱的地区（{zh}）"))  # fmt: skip
        words.append(tuple(parts))
    return boost[index.country], [words[c] for c in index.country]


def facts(eng: Engine, scored: dict[str, Any], pos: int) -> Facts:
    """The raw values behind one candidate's reasons, with the names they cite."""
    index = eng.index
    query: Query = scored["query"]
    x = scored["features"][pos]
    column = {name: i for i, name in enumerate(NAMES)}
    known = query.known_point and not np.isnan(index.lat[pos])
    cos = float(np.clip(index.xyz[pos] @ query.xyz, -1, 1))
    info = index.places[pos]
    query_population = None if np.isnan(query.log_population) else round(10**query.log_population)
    ours = np.asarray(query.neighbours)
    theirs = index.neighbours[pos]
    common = np.intersect1d(ours, theirs)
    common = common[np.argsort(-index.degree[common], kind="stable")]
    links, link = _links(index, ours, theirs)
    countries = (
        eng.snapshot.countries.get(index.countries[query.country]),
        eng.snapshot.countries.get(info.country_code),
    )
    means = eng.model.for_country(query.country).means
    typical = Typical(
        km=float(10 ** means[column["log_distance"]] - 10),
        country_pairs=float(np.expm1(means[column["country_pairs"]])),
        degree=float(np.expm1(means[column["candidate_degree"]])),
        near_km=float(10 ** means[column["near_partner_back"]] - 10),
    )
    return Facts(
        distance_km=float(np.arccos(cos) * 6371.0088) if known else None,
        population=(query_population, info.population),
        same_level=bool(x[column["same_level"]]),
        bands=(query.band, int(index.band[pos])),
        coastal=(query.coastal, bool(index.coastal[pos])),
        common=int(round(np.expm1(x[column["common_neighbours"]]))),
        adamic_adar=float(x[column["adamic_adar"]]),
        country_pairs=int(round(np.expm1(x[column["country_pairs"]]))),
        partner_in_country=int(round(np.expm1(x[column["partner_in_country"]]))),
        candidate_in_query_country=int(round(np.expm1(x[column["candidate_in_country"]]))),
        degrees=(query.degree, int(index.degree[pos])),
        same_name=bool(x[column["same_name"]]),
        countries=countries,
        profile_matches=tuple(scored["profile_matches"][pos]),
        strategy=scored["strategy_words"][pos],
        paths_of_three=float(np.expm1(x[column["paths_of_three"]])),
        partners_near=float(
            np.expm1(x[column["partners_near"]]) + np.expm1(x[column["partners_near_back"]])
        ),
        names=(_names(index.places[query.pos]) if query.pos is not None
               else ("this place", "本地"), _names(info)),  # fmt: skip
        common_names=tuple(_names(index.places[p]) for p in common),
        links=links,
        link=link,
        theirs_near=_nearest(index, theirs, query.xyz) if query.known_point else None,
        ours_near=_nearest(index, ours, index.xyz[pos]) if known else None,
        typical=typical,
        country_names=(country_label(countries[0]), country_label(countries[1])),
    )


def _names(info) -> tuple[str, str]:
    """A place's name in English and as the zh pages write it (its Chinese name, or marked)."""
    return (place_name(info, "en"), place_name(info, "zh"))


def _links(index, ours: np.ndarray, theirs: np.ndarray):
    """Ties between the place's partners and the candidate's: how many, and the strongest
    (the pair of least-connected ends, as L3 weighs them) as (ours, theirs) names."""
    if not len(ours) or not len(theirs) or index.adjacency is None:
        return 0, None
    rows, cols = index.adjacency[ours][:, theirs].nonzero()
    if not len(rows):
        return 0, None
    a, b = ours[rows], theirs[cols]
    best = int(np.lexsort((b, a, index.degree[a] * index.degree[b]))[0])
    return len(rows), (_names(index.places[int(a[best])]), _names(index.places[int(b[best])]))


def _nearest(index, partners: np.ndarray, xyz: np.ndarray) -> Near | None:
    """The partner (of `partners`) nearest the point, with its distance; None without any."""
    partners = partners[~np.isnan(index.lat[partners])] if len(partners) else partners
    if not len(partners):
        return None
    cos = np.clip(index.xyz[partners] @ xyz, -1.0, 1.0)
    best = int(np.argmax(cos))
    km = float(np.arccos(cos[best]) * 6371.0088)
    return Near(_names(index.places[int(partners[best])]), km)


def _result(eng: Engine, scored: dict[str, Any], pos: int) -> dict[str, Any]:
    """One candidate: its score, the reasons to show, and each factor with its details."""
    f = facts(eng, scored, pos)
    model = eng.model.for_country(scored["query"].country)
    row = model.contributions(scored["features"][pos : pos + 1])[0]
    by_feature = {name: float(value) for name, value in zip(NAMES, row, strict=True)}
    contributions = {name: float(scored["by_factor"][name][pos]) for name in FACTORS}
    evidence = pieces(f, by_feature, contributions)
    magnitude = sum(abs(c) for c in contributions.values()) or 1.0
    factors = []
    for name in FACTORS:
        en, zh = factor_words(evidence, name, contributions[name])
        tech_en, tech_zh = detail(name, f)
        parts_en, parts_zh = breakdown(evidence, name)
        factors.append(
            {
                "factor": name,
                "title": {"en": TITLES[name][0], "zh": TITLES[name][1]},
                "contribution": round(contributions[name], 4),
                "share": round(abs(contributions[name]) / magnitude, 4),
                "reason": {"en": en, "zh": zh},
                "detail": {
                    "en": f"{tech_en} ({parts_en})" if parts_en else tech_en,
                    "zh": f"{tech_zh}（{parts_zh}）" if parts_zh else tech_zh,
                },
            }
        )
    factors.sort(key=lambda row: -abs(row["contribution"]))
    return {
        **_place_row(eng.index.places[pos]),
        "score": round(float(scored["total"][pos]), 4),
        "reasons": shown(evidence),
        "factors": factors,
    }


def _ranking(
    eng: Engine, scored: dict[str, Any], penalty: np.ndarray, pos: int
) -> dict[str, Any]:
    """What the list is ordered by: the score less the diversity penalty, and for a penalised
    place how widely it would be recommended without it, in words."""
    value = float(penalty[pos])
    row: dict[str, Any] = {
        "penalty": round(value, 4),
        "rank_score": round(float(scored["total"][pos]) - value, 4),
        "diversity": None,
    }
    if value > 0 and eng.diversity is not None:
        many, lists = int(eng.diversity.crowd[pos]), eng.diversity.lists
        home_en, home_zh = country_label(eng.snapshot.countries.get(home_country()))
        cut = figures({**row, "score": round(float(scored["total"][pos]), 4)})["penalty"]
        row["diversity"] = {
            "in_lists": many,
            "lists": lists,
            "text": {
                "en": f"Would otherwise be suggested to many cities in {home_en} ({many} of "
                f"{lists}): ranked lower so that their lists differ (−{cut})",
                "zh": f"原本会推荐给较多{home_zh}城市（{lists} 个中的 {many} 个），排序时让位，"
                f"使各市名单不同（−{cut}）",
            },
        }
    return row


def figures(row: dict[str, Any]) -> dict[str, str]:
    """A row's score, penalty and rank score as shown (two decimals), the penalty as the
    difference of the other two shown, so that "3.10 = 3.59 − 0.49" always adds up."""
    score, rank = f"{row['score']:.2f}", f"{row['rank_score']:.2f}"
    return {"score": score, "rank_score": rank, "penalty": f"{float(score) - float(rank):.2f}"}


def _explain(
    eng: Engine, scored: dict[str, Any], allowed: np.ndarray, reasons: dict[str, np.ndarray]
) -> list[dict[str, Any]]:
    """Per constraint: how many candidates it rules out and the best-scoring of them."""
    rows = []
    total = scored["total"]
    for reason, mask in reasons.items():
        hit = np.flatnonzero(mask & allowed)
        best = hit[np.argsort(-total[hit], kind="stable")[:EXCLUDED_EXAMPLES]]
        rows.append(
            {
                "reason": reason,
                "text": {"en": REASONS[reason][0], "zh": REASONS[reason][1]},
                "count": int(len(hit)),
                "examples": [
                    {
                        **_place_row(eng.index.places[int(p)]),
                        "score": round(float(total[p]), 4),
                        "reasons": [r for r, m in reasons.items() if m[p]],
                    }
                    for p in best
                ],  # fmt: skip
            }
        )
    return rows


def _place_row(place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "name_zh": place.name_zh,
        "country_code": place.country_code,
        "kind": place.kind,
    }

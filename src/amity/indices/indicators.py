"""Raw indicator values for every place with a partnership, from Amity's own data and imports.

A count whose source table is empty (no exchange, case or award recorded anywhere) is missing for
every place, not zero: Amity does not know. Once the table holds anything, a place with none
recorded counts 0. External indicators take each place's latest year.

Besides the values, which places have a *record* behind each indicator (IndicatorTable.recorded),
for the coverage rules: the registry lists every partnership Amity knows, so a registry count of
0 is a measured 0 and every place is covered; exchanges, cases and awards are recorded by offices
for some places only, so a place with none recorded is not covered, whatever its value.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.analytics.service import network
from amity.cases.models import CasePlace
from amity.events.models import Nomination
from amity.exchanges.models import Exchange, ExchangeFieldLink
from amity.indices.models import IndicatorValue
from amity.partnerships.models import Partnership

# Exchanges in which the visitors come to learn: the inbound side of these modes.
STUDY_MODES = ("training", "seminar")
RECENT_YEARS = 5


@dataclass(frozen=True)
class AmityIndicator:
    label: dict[str, str]
    basis: dict[str, str]


# What "no record" means for coverage. For these, "unknown": they are read from records that
# offices keep for some places only (or from signing years). For the others, counts and scores
# over the registry, which lists every partnership Amity knows, it means a measured 0.
RECORDED = {
    "relationship_age", "exchanges", "exchange_years", "exchange_fields", "exchange_modes",
    "exchanges_per_partner", "recent_exchanges", "awards", "cases", "inbound_study",
}  # fmt: skip


def _ind(en: str, zh: str, basis_en: str, basis_zh: str) -> AmityIndicator:
    return AmityIndicator({"en": en, "zh": zh}, {"en": basis_en, "zh": basis_zh})


AMITY_INDICATORS: dict[str, AmityIndicator] = {
    "partners": _ind("Partners", "友城数量", "partnerships", "友城关系"),
    "partner_countries": _ind("Partner countries", "友城所在国家数", "partnerships", "友城关系"),
    "country_diversity": _ind(
        "Diversity of partner countries (Shannon entropy)", "友城国别多样性（香农熵）",
        "partnerships", "友城关系",
    ),
    "continent_diversity": _ind(
        "Diversity of partner continents (Shannon entropy)", "友城大洲多样性（香农熵）",
        "partnerships", "友城关系",
    ),
    "centrality": _ind("Network centrality (PageRank)", "网络中心性（PageRank）",
                       "partnership network", "友城网络"),
    "reach": _ind("Places two steps away (the snowball)", "二度可达城市（滚雪球效应）",
                  "partnership network", "友城网络"),
    "relationship_age": _ind("Years since the first signing", "首次缔结至今年数",
                             "signing dates", "缔结日期"),
    "exchanges": _ind("Exchanges recorded", "交流活动数", "exchanges", "交流活动"),
    "exchange_years": _ind("Years with an exchange", "有交流活动的年份数", "exchanges", "交流活动"),
    "exchange_fields": _ind("Fields of exchange", "交流领域数", "exchanges", "交流活动"),
    "exchange_modes": _ind("Modes of exchange", "交流方式数", "exchanges", "交流活动"),
    "exchanges_per_partner": _ind("Exchanges per partner", "每个友城的交流活动数",
                                  "exchanges", "交流活动"),
    "recent_exchanges": _ind("Exchanges in the last five years", "近五年交流活动数",
                             "exchanges", "交流活动"),
    "awards": _ind("Award nominations", "友城奖项提名数", "awards", "友城奖项"),
    "cases": _ind("Cases that feature the city", "案例库中的案例数", "case library", "案例库"),
    "inbound_study": _ind("Inbound study delegations", "来访学习考察团组数",
                          "exchanges (inbound training and seminars)",
                          "交流活动（来访培训与研讨）"),
}  # fmt: skip


@dataclass(frozen=True)
class IndicatorTable:
    """Raw values: place_ids[i] has values[code][i] (NaN when missing), and recorded[code][i]
    tells whether a record stands behind it (see the module)."""

    place_ids: np.ndarray
    values: dict[str, np.ndarray]
    degree: np.ndarray
    external_sources: dict[str, list[str]]
    recorded: dict[str, np.ndarray]


def _entropy(counts: Counter) -> float:
    total = sum(counts.values())
    return -sum(c / total * math.log(c / total) for c in counts.values()) if total else 0.0


def amity_values(session: Session, *, today: date | None = None) -> IndicatorTable:
    """Every Amity indicator for every place with at least one partnership."""
    net = network(session)
    snap = net.snapshot
    ids = np.array(net.ids, dtype=np.int64)
    n = len(ids)
    index = net.index
    g = net.graph
    degree = np.array(g.degree(), dtype=float)
    values: dict[str, np.ndarray] = {"partners": degree}
    values["centrality"] = np.array(g.pagerank(), dtype=float) if n else np.zeros(0)
    values["reach"] = np.array(g.neighborhood_size(order=2, mindist=2), dtype=float)

    countries: list[Counter] = [Counter() for _ in range(n)]
    continents: list[Counter] = [Counter() for _ in range(n)]
    first_year = np.full(n, np.nan)
    for pair in snap.pairs:
        for me, other in ((pair.a, pair.b), (pair.b, pair.a)):
            i = index[me]
            code = snap.places[other].country_code
            countries[i][code] += 1
            info = snap.countries.get(code)
            continents[i][info.continent if info and info.continent else code] += 1
            if pair.established_year and not first_year[i] <= pair.established_year:
                first_year[i] = pair.established_year
    values["partner_countries"] = np.array([len(c) for c in countries], dtype=float)
    values["country_diversity"] = np.array([_entropy(c) for c in countries])
    values["continent_diversity"] = np.array([_entropy(c) for c in continents])
    year = (today or date.today()).year
    values["relationship_age"] = year - first_year
    values.update(_exchange_values(session, index, degree))
    values["awards"] = _award_counts(session, index)
    values["cases"] = _counts(session.execute(select(CasePlace.place_id)).scalars(), index)
    return IndicatorTable(ids, values, degree, {}, _recorded(values))


def _recorded(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Which places have a record behind each indicator: every place for registry counts; for
    exchange counts the places in at least one exchange; for cases and awards the places with
    one; for the signing age the places with a signing year."""
    n = len(values["partners"])
    in_exchange = np.nan_to_num(values["exchanges"]) > 0
    out = {}
    for code, x in values.items():
        if code not in RECORDED:
            out[code] = np.ones(n, dtype=bool)
        elif code == "relationship_age":
            out[code] = ~np.isnan(x)
        elif code in ("cases", "awards"):
            out[code] = np.nan_to_num(x) > 0
        else:
            out[code] = in_exchange
    return out


def _counts(place_ids, index: dict[int, int]) -> np.ndarray:
    seen = False
    counts = np.zeros(len(index))
    for place_id in place_ids:
        seen = True
        if place_id in index:
            counts[index[place_id]] += 1
    return counts if seen else np.full(len(index), np.nan)


def _award_counts(session: Session, index: dict[int, int]) -> np.ndarray:
    rows = session.execute(
        select(Nomination.place_id, Partnership.place_a_id, Partnership.place_b_id).outerjoin(
            Partnership, Partnership.id == Nomination.partnership_id
        )
    ).all()
    return _counts((p for row in rows for p in ({*row} - {None})), index)


def _exchange_values(
    session: Session, index: dict[int, int], degree: np.ndarray
) -> dict[str, np.ndarray]:
    n = len(index)
    codes = ("exchanges", "exchange_years", "exchange_fields", "exchange_modes",
             "exchanges_per_partner", "recent_exchanges", "inbound_study")  # fmt: skip
    rows = session.execute(
        select(
            Exchange.id,
            Exchange.place_a_id,
            Exchange.place_b_id,
            Exchange.mode,
            Exchange.start_year,
            Exchange.direction,
        )  # fmt: skip
    ).all()
    if not rows:
        return {code: np.full(n, np.nan) for code in codes}
    fields = defaultdict(set)
    for exchange_id, field_code in session.execute(
        select(ExchangeFieldLink.exchange_id, ExchangeFieldLink.field_code)
    ):
        fields[exchange_id].add(field_code)
    latest = max(row.start_year for row in rows)
    out = {code: np.zeros(n) for code in codes}
    years, field_sets, modes = defaultdict(set), defaultdict(set), defaultdict(set)
    for row in rows:
        inbound = {"a_to_b": (row.place_b_id,), "b_to_a": (row.place_a_id,),
                   "both": (row.place_a_id, row.place_b_id)}.get(row.direction, ())  # fmt: skip
        for place_id in (row.place_a_id, row.place_b_id):
            i = index.get(place_id)
            if i is None:
                continue
            out["exchanges"][i] += 1
            out["recent_exchanges"][i] += row.start_year > latest - RECENT_YEARS
            out["inbound_study"][i] += place_id in inbound and row.mode in STUDY_MODES
            years[i].add(row.start_year)
            modes[i].add(row.mode)
            field_sets[i] |= fields[row.id]
    for i in range(n):
        out["exchange_years"][i] = len(years[i])
        out["exchange_modes"][i] = len(modes[i])
        out["exchange_fields"][i] = len(field_sets[i])
    out["exchanges_per_partner"] = out["exchanges"] / np.maximum(degree, 1)
    return out


def external_values(
    session: Session, place_ids: np.ndarray, codes: list[str]
) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
    """Each place's latest value of each external indicator, and the sources that gave them."""
    index = {int(pid): i for i, pid in enumerate(place_ids)}
    values = {code: np.full(len(place_ids), np.nan) for code in codes}
    years = {code: np.full(len(place_ids), -1) for code in codes}
    sources: dict[str, set[str]] = defaultdict(set)
    if not codes:
        return values, {}
    rows = session.execute(
        select(
            IndicatorValue.place_id,
            IndicatorValue.indicator,
            IndicatorValue.value,
            IndicatorValue.year,
            IndicatorValue.source,
        ).where(IndicatorValue.indicator.in_(codes))  # fmt: skip
    )
    for place_id, code, value, year, source in rows:
        i = index.get(place_id)
        if i is None or year <= years[code][i]:
            continue
        values[code][i] = value
        years[code][i] = year
        sources[code].add(f"{source} ({year})")
    return values, {code: sorted(found) for code, found in sources.items()}


def indicator_fingerprint(session: Session) -> tuple:
    """Changes with every write to the tables the indicators read besides partnerships."""
    parts = []
    for column, extra in (
        (IndicatorValue.id, IndicatorValue.value),
        (Exchange.id, Exchange.start_year),
        (Nomination.id, Nomination.place_id),
        (CasePlace.case_id, CasePlace.place_id),
    ):
        parts.extend(session.execute(select(func.count(), func.max(column), func.sum(extra))).one())
    return tuple(str(p) for p in parts)

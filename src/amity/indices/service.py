"""The city-diplomacy index of places with a partnership, level by level, computed once per state.

compute_index runs the framework's method (amity.indices.method), the Monte Carlo
(amity.indices.uncertainty) and the validation once per state of the registry, the external
indicators, exchanges, cases and awards, for one level of places at a time (cities, provinces
and states, second-order regions, districts: never ranked together); the views below read that
result. Only indicators that cover enough of the level's places enter, and only places with
enough data are ranked (the framework's coverage thresholds; docs/index.md, "Coverage"). The
published index (each framework and level at the framework's runs and seed) is kept in the
database too (amity.core.warm): a restart loads it, and after a write the previous one is
served, stamped `as_of`, while the new one is computed in the background. Other runs and seeds
are computed when asked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analytics.service import network
from amity.core import warm as kept
from amity.core.errors import InvalidInput, NotFound
from amity.core.progress import Progress, silent
from amity.indices import indicators as raw
from amity.indices.framework import Framework, get_framework
from amity.indices.method import Inputs, competition_ranks, index_scores
from amity.indices.uncertainty import FACTORS, monte_carlo, pearson, robustness, spearman
from amity.partnerships.service import registry_version
from amity.places.models import Place
from amity.places.service import place_level

PAGE_SIZE = 50
PEERS_MIN = 3
# Population bands: code, lower bound (inclusive), upper bound (exclusive).
POPULATION_BANDS = (
    ("under_100k", 0, 100_000),
    ("100k_500k", 100_000, 500_000),
    ("500k_1m", 500_000, 1_000_000),
    ("1m_5m", 1_000_000, 5_000_000),
    ("5m_plus", 5_000_000, None),
)
UNKNOWN_BAND = "unknown"
KEPT_RESULTS = 8
# The levels ranked apart (amity.places.levels), cities first: the one shown unless asked.
LEVELS = ("city", "subdivision1", "subdivision2", "district")
DEFAULT_LEVEL = "city"
UNRANKED_SHOWN = 50
# What a stored result holds: raise it whenever that changes, so that a result stored by an
# earlier version of Amity is rebuilt, never served (it is part of the version and the payload).
RESULT_FORMAT = 2

_results: dict[tuple, tuple[tuple, IndexResult]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class IndexResult:
    framework: Framework
    level: str
    rows: list[dict[str, Any]]  # the ranked places, best rank first
    unranked: list[dict[str, Any]]  # too little data: most data first
    by_id: dict[int, dict[str, Any]]  # ranked or not
    indicators: list[dict[str, Any]]
    pillars: list[dict[str, Any]]
    sensitivity: dict[str, float]
    robustness: list[dict[str, Any]]
    validation: dict[str, Any]
    runs: int
    seed: int
    seconds: dict[str, float]
    raw_values: dict[str, np.ndarray]  # each indicator as read, before transforms (row _index)
    # The state of the data the result describes (the published index only; see the module).
    as_of: kept.Stamp | None = None


def population_band(population: int | None) -> str:
    """The band a population falls in (see POPULATION_BANDS)."""
    if not population:
        return UNKNOWN_BAND
    for code, low, high in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return code
    return UNKNOWN_BAND


def index_level(kind: str, admin_level: str | None) -> str:
    """The level a place is ranked among: its place level, with the four municipalities (Beijing,
    Shanghai...) among the cities, as their partners are cities (Tokyo, Paris), not provinces."""
    level = place_level(kind, admin_level)
    return "city" if level == "municipality" else level


def check_level(level: str | None) -> str:
    level = level or DEFAULT_LEVEL
    if level not in LEVELS:
        raise InvalidInput("Unknown place level", {"level": level, "known": list(LEVELS)})
    return level


def compute_index(
    session: Session,
    *,
    framework: str | None = None,
    level: str | None = None,
    runs: int | None = None,
    seed: int | None = None,
    progress: Progress = silent,
    wait: bool = False,
) -> IndexResult:
    """The index of one level's places under a framework (its runs and seed unless given). The
    published one may be the previous state's while the current one is computed (`as_of`),
    unless `wait`."""
    fw = get_framework(framework)
    level = check_level(level)
    runs = fw.runs if runs is None else runs
    seed = fw.seed if seed is None else seed
    if not 1 <= runs <= 10_000:
        raise InvalidInput("runs must be between 1 and 10000", {"runs": runs})
    if (runs, seed) == (fw.runs, fw.seed):
        shown = progress if wait else silent  # a background build reports to no one
        latest = kept.latest(
            session, f"index:{fw.name}:{level}", _state(session, fw),
            lambda s: _compute(s, fw, level, runs, seed, shown), _CODEC,
            version_of=lambda s: _state(s, fw), background=not wait,
        )  # fmt: skip
        return dataclasses.replace(latest.value, as_of=latest.stamp)
    key = (session.get_bind().url.render_as_string(hide_password=True), fw.name, level, runs, seed)
    state = _state(session, fw)
    entry = _results.get(key)
    if entry is not None and entry[0] == state:
        return entry[1]
    result = _compute(session, fw, level, runs, seed, progress)
    with _lock:
        if len(_results) >= KEPT_RESULTS:
            _results.clear()
        _results[key] = (state, result)
    return result


def _state(session: Session, fw: Framework) -> tuple:
    """The state of everything the index reads: registry, other tables, the framework itself
    (with its coverage thresholds), and the shape of the result."""
    digest = hashlib.sha256(repr(fw).encode()).hexdigest()[:16]
    return (registry_version(session), *raw.indicator_fingerprint(session), digest, RESULT_FORMAT)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__}")


def _dump(result: IndexResult) -> bytes:
    data = {
        "format": RESULT_FORMAT, "framework": result.framework.name, "level": result.level,
        "rows": result.rows, "unranked": result.unranked,
        "indicators": result.indicators, "pillars": result.pillars,
        "sensitivity": result.sensitivity, "robustness": result.robustness,
        "validation": result.validation, "runs": result.runs, "seed": result.seed,
        "seconds": result.seconds, "raw_values": result.raw_values,
    }  # fmt: skip
    return json.dumps(data, default=_plain).encode("utf-8")


def _load(payload: bytes) -> IndexResult:
    data = json.loads(payload)
    if data.pop("format", None) != RESULT_FORMAT:
        raise ValueError("an index stored in another format")  # warm rebuilds it
    rows = data["rows"] + data["unranked"]
    raw_values = {code: np.array(v, dtype=float) for code, v in data.pop("raw_values").items()}
    return IndexResult(
        framework=get_framework(data.pop("framework")), by_id={r["id"]: r for r in rows},
        raw_values=raw_values, **data,
    )  # fmt: skip


_CODEC = kept.Codec(_dump, _load)


def warm(session: Session) -> None:
    """Load (or compute) the published index as a worker starts (`amity serve`)."""
    with contextlib.suppress(InvalidInput):  # no indicator has data yet: nothing to rank
        compute_index(session)  # the cities; other levels when asked


def clear() -> None:
    """Forget every computed index (tests)."""
    with _lock:
        _results.clear()


@dataclass(frozen=True)
class _Data:
    """One level's places and what the index of them reads."""

    level: str
    place_ids: np.ndarray  # the level's places
    degree: np.ndarray
    inputs: Inputs  # the ranked places' values of the entering indicators
    ranked: np.ndarray  # bool per place of the level
    observed: np.ndarray  # per place: entering indicators with a record
    entering: int  # how many indicators enter
    # Per place not ranked (by position): the entering pillars it has no record in.
    missing_pillars: dict[int, list[str]]
    # Per pillar: the share of the places with a record in any of its indicators.
    pillar_coverage: dict[str, float]
    meta: list[dict]
    raw_values: dict[str, np.ndarray]


def _levels(session: Session, place_ids: np.ndarray) -> np.ndarray:
    """The level (index_level) of each place."""
    known = {
        pid: index_level(kind, admin_level)
        for pid, kind, admin_level in session.execute(
            select(Place.id, Place.kind, Place.admin_level)
        )
    }  # fmt: skip
    return np.array([known.get(int(pid), "city") for pid in place_ids.tolist()], dtype=object)


def enters(covered: int, units: int, threshold: float) -> bool:
    """An indicator enters when the share of the level's places with a record reaches it."""
    return units > 0 and covered / units >= threshold


def ranked_units(has: np.ndarray, pillar_of: np.ndarray, threshold: float) -> np.ndarray:
    """Places (rows of `has`, places × entering indicators, True where a record stands) with
    records for at least `threshold` of the indicators and for one in every pillar."""
    # A hair below the threshold, so that 0.66 admits 2 of 3 despite floating point.
    ranked = has.sum(axis=1) / has.shape[1] >= threshold - 1e-9
    for p in np.unique(pillar_of):
        ranked &= has[:, pillar_of == p].any(axis=1)
    return ranked


def _inputs(session: Session, fw: Framework, level: str) -> _Data:
    """The coverage rules applied to one level: which indicators enter, which places are ranked."""
    table = raw.amity_values(session)
    units = np.flatnonzero(_levels(session, table.place_ids) == level)
    n = len(units)
    if not n:
        raise InvalidInput("No place of this level has a partnership.", {"level": level})
    external = [i.code for i in fw.indicators if i.source == "external"]
    ext_values, ext_sources = raw.external_values(session, table.place_ids[units], external)
    columns, meta, raw_values, pillar_coverage = [], [], {}, {}
    for p, pillar in enumerate(fw.pillars):
        any_record = np.zeros(n, dtype=bool)
        for ind in pillar.indicators:
            if ind.source == "external":
                x = ext_values[ind.code].copy()
                recorded, absence = ~np.isnan(x), "unknown"
            else:
                x = table.values[ind.code][units].copy()
                recorded = table.recorded[ind.code][units]
                absence = "unknown" if ind.code in raw.RECORDED else "zero"
            raw_values[ind.code] = x.copy()
            any_record |= recorded
            covered = int(recorded.sum())
            entering = enters(covered, n, fw.indicator_coverage)
            target = ind.target
            if ind.transform == "log1p":
                x = np.log1p(np.maximum(x, 0))
                target = float(np.log1p(target)) if target is not None else None
            if entering and ind.missing == "zero":
                x = np.where(np.isnan(x), 0.0, x)
            basis = raw.AMITY_INDICATORS.get(ind.code)
            meta.append({
                "code": ind.code, "pillar": pillar.code, "label": ind.label,
                "source": ind.source, "direction": "positive" if ind.direction > 0 else "negative",
                "transform": ind.transform, "missing": ind.missing, "target": ind.target,
                "unit": ind.unit, "note": ind.note, "configured_weight": ind.weight,
                "basis": basis.basis if basis else None,
                "sources": ext_sources.get(ind.code, []),
                "absence": absence, "observed": covered, "coverage": round(covered / n, 4),
                "available": entering,
                # Why it is left out: nothing recorded, or too few of the level's places.
                "excluded": None if entering else ("no_data" if not covered else "low_coverage"),
            })  # fmt: skip
            if entering:
                columns.append((x, ind, p, target, recorded))
        pillar_coverage[pillar.code] = round(float(any_record.mean()), 4)
    if not columns:
        raise InvalidInput("No indicator of the framework has data yet.", {"framework": fw.name})
    has = np.column_stack([c[4] for c in columns])
    pillar_of = np.array([c[2] for c in columns], dtype=int)
    observed = has.sum(axis=1)
    ranked = ranked_units(has, pillar_of, fw.unit_coverage)
    pillars = np.unique(pillar_of)
    missing_pillars = {
        int(i): [fw.pillars[p].code for p in pillars if not has[i, pillar_of == p].any()]
        for i in np.flatnonzero(~ranked)
    }  # fmt: skip
    if not ranked.any():
        raise InvalidInput("No place of this level has enough data to be ranked.", {"level": level})
    inputs = Inputs(
        values=np.column_stack([c[0] for c in columns])[ranked],
        directions=np.array([c[1].direction for c in columns], dtype=float),
        targets=np.array([np.nan if c[3] is None else c[3] for c in columns]),
        pillar_of=pillar_of,
        indicator_weights=np.array([c[1].weight for c in columns]),
        pillar_weights=np.array([p.weight for p in fw.pillars]),
    )
    return _Data(
        level=level, place_ids=table.place_ids[units], degree=table.degree[units], inputs=inputs,
        ranked=ranked, observed=observed, entering=has.shape[1], missing_pillars=missing_pillars,
        pillar_coverage=pillar_coverage, meta=meta, raw_values=raw_values,
    )  # fmt: skip


def _scale(x: np.ndarray) -> np.ndarray:
    """0–100 over the places that have a value (for presentation only)."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.where(np.isnan(x), np.nan, 100 * (x - lo) / (hi - lo) if hi > lo else 50.0)


def _compute(
    session: Session, fw: Framework, level: str, runs: int, seed: int, progress: Progress
) -> IndexResult:
    clock = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 3)
        clock = now

    progress("Indicators", 0, 4)
    data = _inputs(session, fw, level)
    inputs, meta = data.inputs, data.meta
    lap("indicators")
    progress("Central index", 1, 4)
    scores, pillar_matrix, pillar_weights, indicator_weights = index_scores(inputs, fw.method)
    central = competition_ranks(scores)
    lap("central")
    progress("Monte Carlo", 2, 4)
    mc = monte_carlo(inputs, fw.alternatives, runs=runs, seed=seed, noise=fw.weight_noise)
    lap("monte_carlo")
    progress("Robustness and validation", 3, 4)
    table_rows = robustness(inputs, fw.method, fw.alternatives, central.astype(float))
    lap("robustness")
    weights_by_code = {}
    for x_code, w in zip(
        [m["code"] for m in meta if m["available"]], indicator_weights, strict=True
    ):
        weights_by_code[x_code] = round(float(w), 4)
    for m in meta:
        m["weight"] = weights_by_code.get(m["code"])
    live = ~np.all(np.isnan(pillar_matrix), axis=0)
    pillars = [
        {"code": p.code, "label": p.label, "description": p.description,
         "configured_weight": p.weight, "weight": round(float(pillar_weights[i]), 4),
         "available": bool(live[i]),
         "coverage": data.pillar_coverage[p.code]}
        for i, p in enumerate(fw.pillars)
    ]  # fmt: skip
    rows, unranked = _rows(session, fw, data, scores, pillar_matrix, central, mc, live)
    validation = _validation(fw, rows, scores, pillar_matrix, data.degree[data.ranked], live)
    lap("validation")
    progress("Done", 4, 4)
    return IndexResult(
        framework=fw, level=level, rows=rows, unranked=unranked,
        by_id={r["id"]: r for r in rows + unranked}, indicators=meta,
        pillars=pillars, sensitivity=mc.sensitivity | {
            "interactions_and_weights": round(max(0.0, 1 - sum(mc.sensitivity.values())), 4)
        },
        robustness=table_rows, validation=validation, runs=runs, seed=seed, seconds=seconds,
        raw_values=data.raw_values,
    )  # fmt: skip


def _rows(session, fw, data: _Data, scores, pillar_matrix, central, mc, live) -> tuple:
    """The ranked places best first (with their rank in their country too), and the others."""
    places = network(session).snapshot.places
    shown = _scale(scores)
    pillar_shown = np.column_stack(
        [_scale(pillar_matrix[:, i]) if live[i] else pillar_matrix[:, i]
         for i in range(pillar_matrix.shape[1])]
    )  # fmt: skip
    position = np.cumsum(data.ranked) - 1  # a ranked place's row in the method's arrays
    rows, unranked = [], []
    for i, pid in enumerate(data.place_ids.tolist()):
        place = places[pid]
        row = {
            "id": pid, "name": place.name, "name_zh": place.name_zh, "kind": place.kind,
            "level": data.level,
            "country": place.country_code, "province_code": place.province_code,
            "region3": place.region3, "region4": place.region4,
            "population": place.population, "population_band": population_band(place.population),
            "ranked": bool(data.ranked[i]),
            "coverage": round(float(data.observed[i]) / data.entering, 4),
            "indicators_observed": int(data.observed[i]), "indicators_entering": data.entering,
            "missing_pillars": data.missing_pillars.get(i, []),
            "score": None, "rank": None, "country_rank": None, "median_rank": None,
            "rank_low": None, "rank_high": None, "pillars": {p.code: None for p in fw.pillars},
            "degree": int(data.degree[i]), "_index": i,
        }  # fmt: skip
        if not data.ranked[i]:
            unranked.append(row)
            continue
        j = int(position[i])
        row |= {
            "score": None if np.isnan(shown[j]) else round(float(shown[j]), 2),
            "rank": int(central[j]), "median_rank": float(mc.median[j]),
            "rank_low": float(mc.low[j]), "rank_high": float(mc.high[j]),
            "pillars": {
                p.code: _round(float(pillar_shown[j, k]), 2) for k, p in enumerate(fw.pillars)
            },
            "_pos": j,
        }  # fmt: skip
        rows.append(row)
    rows.sort(key=lambda r: (r["rank"], r["median_rank"], r["id"]))
    last: dict[str, tuple[int, int, int]] = {}  # country: places seen, last rank, its rank there
    for row in rows:
        seen, rank, country_rank = last.get(row["country"], (0, 0, 0))
        # Competition ranks within the country, as overall: ties share the best rank.
        row["country_rank"] = country_rank if row["rank"] == rank else seen + 1
        last[row["country"]] = (seen + 1, row["rank"], row["country_rank"])
    unranked.sort(key=lambda r: (-r["coverage"], r["name"], r["id"]))
    return rows, unranked


def _validation(fw, rows, scores, pillar_matrix, degree, live) -> dict[str, Any]:
    """Spearman's and Pearson's correlation of the index and its pillars with population and
    degree over the ranked places; Pearson's on the logarithms, as both are heavy-tailed."""
    population = np.full(len(scores), np.nan)
    for row in rows:
        population[row["_pos"]] = row["population"] or np.nan
    degree = degree.astype(float)
    measures = [("index", scores)] + [
        (p.code, pillar_matrix[:, i]) for i, p in enumerate(fw.pillars) if live[i]
    ]
    out = []
    for name, values in measures:
        out.append({
            "measure": name,
            "population_spearman": _round(spearman(values, population)),
            "population_pearson_log": _round(pearson(values, np.log10(population))),
            "degree_spearman": _round(spearman(values, degree)),
            "degree_pearson_log": _round(pearson(values, np.log10(degree))),
        })  # fmt: skip
    return {"correlations": out, "places": len(scores),
            "places_with_population": int((~np.isnan(population)).sum())}  # fmt: skip


def _round(value: float, digits: int = 4) -> float | None:
    return None if np.isnan(value) else round(value, digits)


def public_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _matches(row: dict, country, province, region, band) -> bool:
    return (
        (country is None or row["country"] == country)
        and (province is None or row["province_code"] == province)
        and (region is None or region in (row["region3"], row["region4"]))
        and (band is None or row["population_band"] == band)
    )


def ranking(
    session: Session,
    *,
    framework: str | None = None,
    level: str | None = None,
    country: str | None = None,
    province: str | None = None,
    region: str | None = None,
    population_band: str | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> dict[str, Any]:
    """One page of one level's ranking, filtered by country, province, region or population
    band; with the indicators left out and the places not ranked (too little data)."""
    bands = [b[0] for b in POPULATION_BANDS] + [UNKNOWN_BAND]
    if population_band is not None and population_band not in bands:
        raise InvalidInput(f"Unknown population band {population_band!r}", {"known": bands})
    result = compute_index(session, framework=framework, level=level)
    country = country.upper() if country else None
    chosen = [r for r in result.rows if _matches(r, country, province, region, population_band)]
    pages = max(1, -(-len(chosen) // per_page))
    if page > pages:
        raise InvalidInput(f"There are {pages} pages", {"page": page, "pages": pages})
    start = (page - 1) * per_page
    unranked = [
        r for r in result.unranked if _matches(r, country, province, region, population_band)
    ]  # fmt: skip
    return {
        "framework": result.framework.name, "level": result.level, "levels": list(LEVELS),
        "filters": {"country": country, "province": province, "region": region,
                    "population_band": population_band},  # fmt: skip
        "total": len(chosen), "page": page, "pages": pages, "per_page": per_page,
        "runs": result.runs, "seed": result.seed,
        "coverage": coverage_rules(result),
        "pillars": result.pillars,
        "indicators": [coverage_of(m) for m in result.indicators],
        "places": [public_row(r) for r in chosen[start : start + per_page]],
        "unranked_total": len(unranked),
        "unranked": [public_row(r) for r in unranked[:UNRANKED_SHOWN]],
        "as_of": _as_of(result),
    }  # fmt: skip


def coverage_rules(result: IndexResult) -> dict[str, Any]:
    """The thresholds applied and what they kept: indicators entering, places ranked."""
    fw = result.framework
    return {
        "indicator_threshold": fw.indicator_coverage, "unit_threshold": fw.unit_coverage,
        "indicators_entering": sum(m["available"] for m in result.indicators),
        "indicators": len(result.indicators),
        "places_ranked": len(result.rows), "places_not_ranked": len(result.unranked),
    }  # fmt: skip


def coverage_of(meta: dict) -> dict[str, Any]:
    """An indicator's coverage and whether it enters (the ranking's and the command's view)."""
    keys = ("code", "pillar", "label", "absence", "observed", "coverage", "available", "excluded")
    return {k: meta[k] for k in keys}


def _place(result: IndexResult, place_id: int) -> dict[str, Any]:
    row = result.by_id.get(place_id)
    if row is None:
        raise NotFound(f"Place {place_id} has no partnership, so no index", {"place_id": place_id})
    return row


def level_of(session: Session, place_id: int) -> str:
    """The level a place is ranked among (NotFound for an unknown place)."""
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound(f"Place {place_id} has no partnership, so no index", {"place_id": place_id})
    return index_level(place.kind, place.admin_level)


def place_index(session: Session, place_id: int, *, framework: str | None = None) -> dict:
    """A place's score, pillars, ranks and indicator values, with its peers' mean pillars; a
    place with too little data has no rank (ranked false) but its coverage and values."""
    result = compute_index(session, framework=framework, level=level_of(session, place_id))
    row = _place(result, place_id)
    peers = [
        r for r in result.rows
        if r["country"] == row["country"] and r["population_band"] == row["population_band"]
    ]  # fmt: skip
    peer_basis = "country_and_band"
    if len(peers) - 1 < PEERS_MIN:
        peers, peer_basis = [r for r in result.rows if r["country"] == row["country"]], "country"
    peer_means = {}
    for pillar in result.pillars:
        values = [r["pillars"][pillar["code"]] for r in peers if r["id"] != place_id]
        values = [v for v in values if v is not None]
        peer_means[pillar["code"]] = round(sum(values) / len(values), 2) if values else None
    return public_row(row) | {
        "framework": result.framework.name,
        "places_ranked": len(result.rows),
        "coverage_rules": coverage_rules(result),
        "pillar_info": result.pillars,
        "indicators": _indicator_values(result, row),
        "peers": {"basis": peer_basis, "count": len(peers) - 1, "pillars": peer_means},
    }


def _indicator_values(result: IndexResult, row: dict) -> list[dict]:
    i = row["_index"]
    out = []
    for m in result.indicators:
        value = result.raw_values[m["code"]][i]
        out.append({"code": m["code"], "pillar": m["pillar"], "label": m["label"],
                    "value": None if np.isnan(value) else round(float(value), 6),
                    "entered": m["available"]})  # fmt: skip
    return out


def compare(session: Session, a: int, b: int, *, framework: str | None = None) -> dict:
    """Two places side by side: scores, pillars, ranks and indicator values."""
    if a == b:
        raise InvalidInput("Choose two different places to compare", {"a": a, "b": b})
    if level_of(session, a) != level_of(session, b):
        raise InvalidInput(
            "Choose two places of the same level to compare", {"a": a, "b": b}
        )  # fmt: skip
    first = place_index(session, a, framework=framework)
    second = place_index(session, b, framework=framework)
    return {"framework": first["framework"], "a": first, "b": second}


def framework_report(
    session: Session, name: str | None = None, *, level: str | None = None, wait: bool = False
) -> dict[str, Any]:
    """The framework as data with its method, coverage rules, sensitivity, robustness and
    validation, for one level's index."""
    result = compute_index(session, framework=name, level=level, wait=wait)
    fw = result.framework
    return {
        "name": fw.name, "level": result.level, "levels": list(LEVELS),
        "coverage": coverage_rules(result), "title": fw.title, "description": fw.description,
        "reference": fw.reference, "method": fw.method,
        "alternatives": {k: list(v) for k, v in fw.alternatives.items()},
        "weight_noise": fw.weight_noise, "runs": result.runs, "seed": result.seed,
        "pillars": result.pillars, "indicators": result.indicators,
        "sensitivity": result.sensitivity, "factors": list(FACTORS),
        "robustness": result.robustness, "validation": result.validation,
        "places": len(result.rows), "seconds": result.seconds, "as_of": _as_of(result),
    }  # fmt: skip


def _as_of(result: IndexResult) -> dict[str, Any] | None:
    return result.as_of.as_dict() if result.as_of else None

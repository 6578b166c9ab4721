"""The candidates as arrays for scoring: one row per place of the registry, built once per change.

Everything the factors need is here: coordinates, population, level, country, coastal flag and
latitude band per place; neighbours, degrees, country-pair counts and each place's partners per
country from the partnerships (all of them, or a training subset in the evaluation).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analytics.service import PlaceInfo, Snapshot
from amity.matching.coast import coastal_flags, unit_vectors
from amity.places.models import Place

# Latitude bands by absolute latitude: tropics, subtropics, temperate, cold, polar.
BAND_EDGES = (23.5, 35.0, 50.0, 66.5)


def latitude_band(lat: float | None) -> int:
    """0 tropical, 1 subtropical, 2 temperate, 3 cold, 4 polar; -1 when unknown."""
    if lat is None or math.isnan(lat):
        return -1
    return int(np.searchsorted(BAND_EDGES, abs(lat)))


def latitude_bands(lat: np.ndarray) -> np.ndarray:
    """latitude_band of each latitude (NaN: unknown, -1)."""
    bands = np.searchsorted(BAND_EDGES, np.abs(np.nan_to_num(lat, nan=0.0)))
    return np.where(np.isnan(lat), -1, bands)


def name_key(name: str) -> str:
    return name.strip().casefold()


@dataclass
class MatchIndex:
    ids: np.ndarray
    pos: dict[int, int]
    places: list[PlaceInfo]
    countries: list[str]
    country_pos: dict[str, int]
    # continents[c]: the continent of country c (None if the registry does not say).
    continents: list[str | None]
    country: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    xyz: np.ndarray
    log_population: np.ndarray
    kind: np.ndarray
    name: np.ndarray
    coastal: np.ndarray
    band: np.ndarray
    neighbours: list[np.ndarray]
    degree: np.ndarray
    # country_pairs[c, d]: partnerships between countries c and d (c == d: domestic pairs).
    country_pairs: np.ndarray
    # partners_in[p, c]: partners of place p in country c.
    partners_in: np.ndarray
    edges: list[tuple[int, int]]
    # region[p]: the place's first-level division (country + admin1) as a number, -1 if unknown.
    region: np.ndarray
    region_pairs: dict[int, dict[int, int]]
    # Neighbours in compressed rows: indices[indptr[p]:indptr[p + 1]] are p's partners.
    indptr: np.ndarray
    indices: np.ndarray
    # The partnerships as a sparse 0/1 matrix (paths of three are two products with it).
    adjacency: sparse.csr_matrix | None = None
    _adamic_adar: np.ndarray | None = None
    # owners[i]: the place whose partner indices[i] is.
    owners: np.ndarray | None = None
    # levels[p]: the place's level in twinning terms (amity.matching.levels.index_levels).
    levels: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.ids)

    def adamic_adar_weights(self) -> np.ndarray:
        """1 / ln(degree) per place (0 for degree below 2, which adds no common neighbour)."""
        if self._adamic_adar is None or len(self._adamic_adar) != self.size:
            with np.errstate(divide="ignore"):
                weights = 1.0 / np.log(self.degree.astype(float))
            weights[self.degree < 2] = 0.0
            self._adamic_adar = weights
        return self._adamic_adar


def registry_places(session: Session) -> list[PlaceInfo]:
    """Every place of the registry, partnered or not (the snapshot holds the network's only)."""
    rows = session.execute(
        select(
            Place.id, Place.kind, Place.name, Place.name_zh, Place.country_code,
            Place.province_code, Place.region3, Place.region4, Place.admin1, Place.lat, Place.lon,
            Place.population,
        )
    )  # fmt: skip
    return [PlaceInfo(*row) for row in rows]


def build_index(
    snapshot: Snapshot,
    *,
    pairs: Iterable[tuple[int, int]] | None = None,
    extra: Iterable[PlaceInfo] = (),
) -> MatchIndex:
    """Arrays for every place of the snapshot (and the extra places: candidates without a
    partnership yet), with the given place-id pairs as the network."""
    merged = dict(snapshot.places)
    for info in extra:
        merged.setdefault(info.id, info)
    places = sorted(merged.values(), key=lambda p: p.id)
    ids = np.array([p.id for p in places], dtype=np.int64)
    pos = {p.id: i for i, p in enumerate(places)}
    countries = sorted({p.country_code for p in places} | set(snapshot.countries))
    country_pos = {c: i for i, c in enumerate(countries)}
    lat = np.array([p.lat if p.lat is not None else np.nan for p in places], dtype=float)
    lon = np.array([p.lon if p.lon is not None else np.nan for p in places], dtype=float)
    population = np.array([p.population or 0 for p in places], dtype=float)
    with np.errstate(divide="ignore"):
        log_population = np.where(population > 0, np.log10(np.maximum(population, 1)), np.nan)
    names = {}
    name = np.array([names.setdefault(name_key(p.name), len(names)) for p in places])
    if pairs is None:
        pairs = ((pair.a, pair.b) for pair in snapshot.pairs)
    edges = [(pos[a], pos[b]) for a, b in pairs]
    country = np.array([country_pos[p.country_code] for p in places], dtype=np.int64)
    return _with_network(
        MatchIndex(
            ids=ids,
            pos=pos,
            places=places,
            countries=countries,
            country_pos=country_pos,
            continents=[
                info.continent if (info := snapshot.countries.get(c)) else None for c in countries
            ],
            country=country,
            lat=lat,
            lon=lon,
            xyz=np.nan_to_num(unit_vectors(lat, lon)),
            log_population=log_population,
            kind=np.array([0 if p.kind == "city" else 1 for p in places]),
            name=name,
            coastal=coastal_flags(lat, lon),
            band=latitude_bands(lat),
            neighbours=[],
            degree=np.zeros(len(places), dtype=np.int64),
            country_pairs=np.zeros((len(countries), len(countries))),
            partners_in=np.zeros((len(places), len(countries)), dtype=np.int32),
            edges=edges,
            region=_regions(places),
            region_pairs={},
            indptr=np.zeros(len(places) + 1, dtype=np.int64),
            indices=np.zeros(0, dtype=np.int64),
        )
    )


def _regions(places: list[PlaceInfo]) -> np.ndarray:
    keys: dict[tuple[str, str], int] = {}
    return np.array(
        [keys.setdefault((p.country_code, p.admin1), len(keys)) if p.admin1 else -1
         for p in places],
        dtype=np.int64,
    )  # fmt: skip


def _with_network(index: MatchIndex) -> MatchIndex:
    # Array arithmetic over the edge list: a loop per edge cost most of a start's recommender
    # build (0.7 s at 1x, growing with the registry).
    edges = np.array(index.edges, dtype=np.int64).reshape(-1, 2)
    a, b = edges[:, 0], edges[:, 1]
    ca, cb = index.country[a], index.country[b]
    np.add.at(index.country_pairs, (ca, cb), 1)
    crossing = ca != cb
    np.add.at(index.country_pairs, (cb[crossing], ca[crossing]), 1)
    np.add.at(index.partners_in, (a, cb), 1)
    np.add.at(index.partners_in, (b, ca), 1)
    index.region_pairs = _region_pairs(index.region[a], index.region[b])
    # Each place's distinct partners, sorted, in compressed rows.
    size = index.size
    keys = np.unique(np.concatenate([a * size + b, b * size + a]))
    owners, indices = np.divmod(keys, size) if size else (keys, keys)
    index.degree = np.bincount(owners, minlength=size).astype(np.int64)
    index.indptr = np.concatenate([[0], np.cumsum(index.degree)]).astype(np.int64)
    index.indices = indices.astype(np.int64)
    bounds = index.indptr.tolist()
    index.neighbours = [index.indices[s:e] for s, e in zip(bounds[:-1], bounds[1:], strict=True)]
    index._adamic_adar = None
    index.owners = owners.astype(np.int64)
    index.adjacency = sparse.csr_matrix(
        (np.ones(len(index.indices)), index.indices, index.indptr), shape=(size, size)
    )
    return index


def _region_pairs(ra: np.ndarray, rb: np.ndarray) -> dict[int, dict[int, int]]:
    """Partnerships between first-level divisions, both ways (within one division: once)."""
    known = (ra >= 0) & (rb >= 0)
    ra, rb = ra[known], rb[known]
    apart = ra != rb
    x = np.concatenate([ra, rb[apart]])
    y = np.concatenate([rb, ra[apart]])
    width = int(max(x.max(initial=-1), y.max(initial=-1))) + 1
    keys, counts = np.unique(x * width + y, return_counts=True)
    table: dict[int, dict[int, int]] = {}
    for key, n in zip(keys.tolist(), counts.tolist(), strict=True):
        table.setdefault(key // width, {})[key % width] = n
    return table

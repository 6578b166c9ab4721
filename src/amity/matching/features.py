"""The pair features the recommender weighs, for one place against every candidate or for pairs.

Both paths compute the same primitives and share `assemble`, so a score seen in a recommendation is
the score the model was trained on. `leave_out` removes a known partnership's own contribution
(a training pair must look as it would if the tie did not exist yet: the case being predicted).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from amity.matching.candidates import MatchIndex

# Feature name -> factor it explains; the order is the column order.
FEATURES: dict[str, str] = {
    "country_pairs": "country_ties",
    "partner_in_country": "country_ties",
    "candidate_in_country": "country_ties",
    "country_neighbours": "country_ties",
    "country_share": "country_ties",
    "candidate_share_in_country": "country_ties",
    "region_pairs": "country_ties",
    "partner_in_region": "country_ties",
    "candidate_in_region": "country_ties",
    "same_country": "distance",
    "log_distance": "distance",
    "distance_unknown": "distance",
    "log_distance_squared": "distance",
    "domestic_distance": "distance",
    "common_neighbours": "shared_partners",
    "adamic_adar": "shared_partners",
    "paths_of_three": "shared_partners",
    "near_partner": "shared_partners",
    "near_partner_back": "shared_partners",
    "partners_near": "shared_partners",
    "partners_near_back": "shared_partners",
    "candidate_degree": "homophily",
    "degree_gap": "homophily",
    "population_gap": "size_rank",
    "population_unknown": "size_rank",
    "smaller_beyond_3x": "size_rank",
    "smaller_beyond_10x": "size_rank",
    "smaller_beyond_30x": "size_rank",
    "same_level": "size_rank",
    "candidate_population": "size_rank",
    "band_gap": "climate",
    "both_coastal": "coast",
    "coast_mismatch": "coast",
    "same_name": "name",
}
NAMES = tuple(FEATURES)
SMALLER_BY = (0.5, 1.0, 1.5)  # log10 of the size ratios of the smaller_beyond_* features


@dataclass(frozen=True)
class Query:
    """The place recommendations are for: an index row, or a place outside the network."""

    pos: int | None
    country: int
    xyz: np.ndarray
    known_point: bool
    log_population: float
    kind: int
    name: int
    coastal: bool
    band: int
    neighbours: np.ndarray
    partners_in: np.ndarray
    degree: int
    region: int


def query_at(index: MatchIndex, pos: int) -> Query:
    """The query for a place of the index."""
    return Query(
        pos=pos,
        country=int(index.country[pos]),
        xyz=index.xyz[pos],
        known_point=not np.isnan(index.lat[pos]),
        log_population=float(index.log_population[pos]),
        kind=int(index.kind[pos]),
        name=int(index.name[pos]),
        coastal=bool(index.coastal[pos]),
        band=int(index.band[pos]),
        neighbours=index.neighbours[pos],
        partners_in=index.partners_in[pos],
        degree=int(index.degree[pos]),
        region=int(index.region[pos]),
    )


def country_shares(index: MatchIndex) -> np.ndarray:
    """shares[c, d]: the share of country c's partnerships that go to country d."""
    totals = index.country_pairs.sum(axis=1, keepdims=True)
    return np.divide(index.country_pairs, totals, out=np.zeros_like(index.country_pairs),
                     where=totals > 0)  # fmt: skip


def against_all(index: MatchIndex, query: Query, shares: np.ndarray) -> np.ndarray:
    """Feature rows of the query place against every place of the index (n x features)."""
    common = np.zeros(index.size)
    adamic = np.zeros(index.size)
    weights = index.adamic_adar_weights()
    for w in query.neighbours:
        common[index.neighbours[w]] += 1.0
        adamic[index.neighbours[w]] += weights[w]
    cos = np.clip(_dot(index.xyz, query.xyz), -1.0, 1.0)
    distance = np.arccos(cos) * 6371.0088
    known = ~np.isnan(index.lat) & query.known_point
    fof = _dot(shares.T, query.partners_in.astype(float))
    to_partners = np.einsum("ij,kj->ik", index.xyz, index.xyz[query.neighbours])
    return assemble(
        region_pairs=_region_row(index, query.region),
        partner_in_region=_partner_regions(index, query.neighbours),
        candidate_in_region=_candidate_in_region(index, query.region),
        near_partner=to_partners.max(axis=1) if query.degree else np.full(index.size, FAR),
        near_partner_back=_nearest_back(index, cos),
        partners_near=_kernel_sum(to_partners),
        partners_near_back=_near_back_sum(index, cos, query.known_point),
        country_pairs=index.country_pairs[query.country, index.country],
        partner_in_country=query.partners_in[index.country].astype(float),
        candidate_in_country=index.partners_in[:, query.country].astype(float),
        country_neighbours=fof[index.country],
        country_share=shares[query.country, index.country],
        candidate_share=index.partners_in[:, query.country] / np.maximum(index.degree, 1),
        same_country=(index.country == query.country),
        distance=np.where(known, distance, np.nan),
        common=common,
        adamic=adamic,
        l3=paths_of_three(index, query.neighbours),
        degree_query=np.full(index.size, float(query.degree)),
        degree_candidate=index.degree.astype(float),
        population_query=np.full(index.size, query.log_population),
        population_candidate=index.log_population,
        same_level=(index.kind == query.kind),
        band_query=np.full(index.size, query.band),
        band_candidate=index.band,
        coastal_query=np.full(index.size, query.coastal),
        coastal_candidate=index.coastal,
        same_name=(index.name == query.name) & (index.country != query.country),
    )


def for_pairs(
    index: MatchIndex, us: np.ndarray, vs: np.ndarray, *, removed: np.ndarray, shares: np.ndarray
) -> np.ndarray:
    """Feature rows of the pairs (us[i], vs[i]) as seen with the tie (us[i], removed[i]) undone.

    removed[i] is a partner of us[i] (-1: none). A training positive removes its own tie; its
    sampled negatives remove the same tie, so that a positive and its negatives are scored in one
    state of the network, the one a query meets when its partner is still to be found.
    """
    cu, cv = index.country[us], index.country[vs]
    gone = removed >= 0
    cr = np.where(gone, index.country[np.maximum(removed, 0)], -1)
    rr = np.where(gone, index.region[np.maximum(removed, 0)], -2)
    own = (removed == vs).astype(float)
    in_cv = (gone & (cr == cv)).astype(float)
    weights = index.adamic_adar_weights()
    sets = [set(n.tolist()) for n in index.neighbours]
    common = np.zeros(len(us))
    adamic = np.zeros(len(us))
    for i, (u, v, r) in enumerate(zip(us.tolist(), vs.tolist(), removed.tolist(), strict=True)):
        shared = sets[u] & sets[v]
        shared.discard(r)
        if shared:
            common[i] = len(shared)
            adamic[i] = weights[list(shared)].sum()
    cos = np.clip(np.einsum("ij,ij->i", index.xyz[us], index.xyz[vs]), -1.0, 1.0)
    known = ~np.isnan(index.lat[us]) & ~np.isnan(index.lat[vs])
    # Friends of friends by country: sum over c of u's partners in c x share of c's ties to cv.
    places, row = np.unique(us, return_inverse=True)
    fof = (index.partners_in[places].astype(float) @ shares)[row, cv]
    fof[gone] -= shares[cr[gone], cv[gone]]
    regions = _pair_regions(index, us, vs, (rr == index.region[vs]).astype(float), own)
    totals = index.country_pairs.sum(axis=1)
    return assemble(
        **regions,
        near_partner=_nearest_pairs(index, us, vs, removed),
        near_partner_back=_nearest_pairs(index, vs, us, us),
        partners_near=_near_pairs_sum(index, us, vs, removed),
        partners_near_back=_near_pairs_sum(index, vs, us, us),
        country_pairs=index.country_pairs[cu, cv] - in_cv,
        partner_in_country=index.partners_in[us, cv] - in_cv,
        candidate_in_country=index.partners_in[vs, cu] - own,
        country_neighbours=fof,
        country_share=(index.country_pairs[cu, cv] - in_cv) / np.maximum(totals[cu] - gone, 1),
        candidate_share=(index.partners_in[vs, cu] - own) / np.maximum(index.degree[vs] - own, 1),
        same_country=(cu == cv),
        distance=np.where(known, np.arccos(cos) * 6371.0088, np.nan),
        common=common,
        adamic=adamic,
        l3=paths_of_three_pairs(index, us, vs, removed),
        degree_query=index.degree[us] - gone,
        degree_candidate=index.degree[vs] - own,
        population_query=index.log_population[us],
        population_candidate=index.log_population[vs],
        same_level=(index.kind[us] == index.kind[vs]),
        band_query=index.band[us],
        band_candidate=index.band[vs],
        coastal_query=index.coastal[us],
        coastal_candidate=index.coastal[vs],
        same_name=(index.name[us] == index.name[vs]) & (cu != cv),
    )


def paths_of_three(
    index: MatchIndex, neighbours: np.ndarray, removed: int = -1, query: int = -1
) -> np.ndarray:
    """L3 score of the query against every place: the sum over paths query-a-b-candidate of
    1/sqrt(k_a k_b) (Kovács et al. 2019: places like the candidate, sharing partner a with ...).

    Twin-city networks are nearly bipartite across countries, so the partner's other partners are
    rarely the query's partners (no common neighbour) but are often partnered with the query's
    partners. `removed`: a partner of `query` whose tie is undone (degrees and paths as without it).
    """
    n = index.size
    if len(neighbours) == 0 or index.adjacency is None:
        return np.zeros(n)
    degree = index.degree.astype(float)
    if removed >= 0:
        degree = degree.copy()
        degree[[removed, query]] -= 1.0
        neighbours = neighbours[neighbours != removed]
    with np.errstate(divide="ignore"):
        inv = np.where(degree > 0, 1.0 / np.sqrt(degree), 0.0)
    y = np.zeros(n)
    y[neighbours] = inv[neighbours]
    z = (index.adjacency @ y) * inv
    if removed >= 0:  # the undone tie is no step of a path either (y is 0 at both of its ends)
        z_query, z_removed = z[query], z[removed]
        scores = index.adjacency @ z
        scores[removed] -= z_query
        scores[query] -= z_removed
        return scores
    return index.adjacency @ z


def paths_of_three_pairs(
    index: MatchIndex, us: np.ndarray, vs: np.ndarray, removed: np.ndarray
) -> np.ndarray:
    """L3 of each pair (us[i], vs[i]) with the tie (us[i], removed[i]) undone.

    Local sums, one group per (query, undone tie): z[b] = sum over the query's partners a (but the
    undone one) of 1/sqrt(k_a), then L3(u, v) = sum over v's partners b of z[b] / sqrt(k'_b), with
    k' the degrees without the undone tie. Equal to `paths_of_three` (tested) at a fraction of
    the cost of a product over the whole network per group.
    """
    out = np.zeros(len(us))
    if len(us) == 0 or not index.indices.size:
        return out
    degree = index.degree.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(degree > 0, 1.0 / np.sqrt(degree), 0.0)
        inv_less = np.where(degree > 1, 1.0 / np.sqrt(degree - 1.0), 0.0)
    indptr, indices = index.indptr, index.indices
    z = np.zeros(index.size)
    keys = us.astype(np.int64) * (index.size + 1) + (removed.astype(np.int64) + 1)
    order = np.argsort(keys, kind="stable")
    bounds = np.flatnonzero(np.diff(keys[order])) + 1
    for group in np.split(order, bounds):
        u, r = int(us[group[0]]), int(removed[group[0]])
        first = index.neighbours[u]
        if r >= 0:
            first = first[first != r]
        if len(first) == 0:
            continue
        lengths = index.degree[first]
        steps = _gather(indptr, indices, first, lengths)
        np.add.at(z, steps, np.repeat(inv[first], lengths))
        targets = vs[group]
        last_lengths = index.degree[targets]
        if last_lengths.sum():
            ends = _gather(indptr, indices, targets, last_lengths)
            owner = np.repeat(np.arange(len(targets)), last_lengths)
            weight = inv[ends].copy()
            if r >= 0:
                weight[ends == r] = inv_less[r]
                weight[ends == u] = inv_less[u]
                # v = r: u is no longer among r's partners.
                weight[(ends == u) & (targets[owner] == r)] = 0.0
            out[group] = np.bincount(owner, z[ends] * weight, minlength=len(targets))
        z[steps] = 0.0
    return out


def _gather(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray, lengths: np.ndarray):
    """The partners of each of `rows`, concatenated."""
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return indices[np.repeat(indptr[rows], lengths) + offsets]


def _dot(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector on one thread: a query's products are too small for threaded BLAS, whose
    idle threads spin and cost more CPU than they save on a busy machine."""
    return np.einsum("ij,j->i", matrix, vector)


FAR = -1.0  # cosine of the farthest point: "no partner to be near to"


def _nearest_back(index: MatchIndex, cos: np.ndarray) -> np.ndarray:
    """Per candidate: cosine from the query place (cos: to every place) to the candidate's
    nearest partner."""
    best = np.full(index.size, FAR)
    has = index.degree > 0
    if index.indices.size:
        reduced = np.maximum.reduceat(cos[index.indices], index.indptr[:-1][has])
        best[has] = reduced
    return best


NEAR_KM = 100.0  # scale of "near" in the partner kernels: weight exp(-km / NEAR_KM)
# Beyond 10 x NEAR_KM a partner counts 0 (its weight would be below 5e-5).
_COS_CUT = np.cos(10.0 * NEAR_KM / 6371.0088)


def _kernel(cos: np.ndarray) -> np.ndarray:
    near = cos > _COS_CUT
    out = np.zeros(cos.shape)
    out[near] = np.exp(-np.arccos(np.minimum(cos[near], 1.0)) * (6371.0088 / NEAR_KM))
    return out


def _kernel_sum(cos: np.ndarray) -> np.ndarray:
    """Per row of cosines (a place against the query's partners): the partners near it."""
    if cos.shape[1] == 0:
        return np.zeros(cos.shape[0])
    rows, cols = np.nonzero(cos > _COS_CUT)
    near = np.exp(-np.arccos(np.minimum(cos[rows, cols], 1.0)) * (6371.0088 / NEAR_KM))
    return np.bincount(rows, near, minlength=cos.shape[0])


def _near_back_sum(index: MatchIndex, cos: np.ndarray, known: bool) -> np.ndarray:
    """Per candidate: its partners near the query place, each weighted exp(-km / NEAR_KM)."""
    if not index.indices.size or not known:
        return np.zeros(index.size)
    owners = index.owners
    return np.bincount(owners, _kernel(cos)[index.indices], minlength=index.size)


def _near_pairs_sum(
    index: MatchIndex, us: np.ndarray, vs: np.ndarray, skip: np.ndarray
) -> np.ndarray:
    """Per pair: u's partners other than skip near v, each weighted exp(-km / NEAR_KM)."""
    lengths = index.degree[us]
    owner = np.repeat(np.arange(len(us)), lengths)
    partners = _gather(index.indptr, index.indices, us, lengths)
    near = _kernel(np.einsum("ij,ij->i", index.xyz[vs[owner]], index.xyz[partners]))
    near[partners == skip[owner]] = 0.0
    return np.bincount(owner, near, minlength=len(us))


def _nearest_pairs(
    index: MatchIndex, us: np.ndarray, vs: np.ndarray, skip: np.ndarray
) -> np.ndarray:
    """Per pair: cosine from v to u's nearest partner other than skip (a tie undone)."""
    lengths = index.degree[us]
    owner = np.repeat(np.arange(len(us)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    partners = index.indices[np.repeat(index.indptr[us], lengths) + offsets]
    cos = np.einsum("ij,ij->i", index.xyz[vs[owner]], index.xyz[partners])
    cos[partners == skip[owner]] = FAR
    best = np.full(len(us), FAR)
    np.maximum.at(best, owner, cos)
    return best


def _region_row(index: MatchIndex, region: int) -> np.ndarray:
    row = index.region_pairs.get(region, {}) if region >= 0 else {}
    counts = np.zeros(int(index.region.max()) + 2)
    for other, n in row.items():
        counts[other] = n
    return np.where(index.region >= 0, counts[index.region], 0.0)


def _partner_regions(index: MatchIndex, neighbours: np.ndarray) -> np.ndarray:
    counts = np.bincount(index.region[neighbours] + 1, minlength=int(index.region.max()) + 2)
    return np.where(index.region >= 0, counts[index.region + 1], 0).astype(float)


def _candidate_in_region(index: MatchIndex, region: int) -> np.ndarray:
    if region < 0 or not index.indices.size:
        return np.zeros(index.size)
    owners = index.owners
    inside = index.region[index.indices] == region
    return np.bincount(owners[inside], minlength=index.size).astype(float)


def _pair_regions(
    index: MatchIndex, us: np.ndarray, vs: np.ndarray, in_rv: np.ndarray, own: np.ndarray
) -> dict[str, np.ndarray]:
    """Region counts of the pairs; in_rv: the undone tie went to v's region, own: it was (u, v)."""
    ru, rv = index.region[us], index.region[vs]
    both = (ru >= 0) & (rv >= 0)
    region_pairs = np.zeros(len(us))
    partner_in = np.zeros(len(us))
    candidate_in = np.zeros(len(us))
    for i in np.flatnonzero(both).tolist():
        u, v, a, b = int(us[i]), int(vs[i]), int(ru[i]), int(rv[i])
        region_pairs[i] = index.region_pairs.get(a, {}).get(b, 0) - in_rv[i]
        partner_in[i] = (index.region[index.neighbours[u]] == b).sum() - in_rv[i]
        candidate_in[i] = (index.region[index.neighbours[v]] == a).sum() - own[i]
    return {
        "region_pairs": region_pairs,
        "partner_in_region": partner_in,
        "candidate_in_region": candidate_in,
    }


def assemble(**p: np.ndarray) -> np.ndarray:
    """The feature matrix from the primitives (columns in the order of FEATURES)."""
    distance = p["distance"]
    unknown_distance = np.isnan(distance)
    log_distance = np.where(unknown_distance, 0.0, np.log10(np.nan_to_num(distance) + 10.0))
    gap = np.abs(p["population_query"] - p["population_candidate"])
    unknown_population = np.isnan(gap)
    bands_known = (p["band_query"] >= 0) & (p["band_candidate"] >= 0)
    coastal_q = p["coastal_query"].astype(float)
    coastal_c = p["coastal_candidate"].astype(float)
    columns = [
        np.log1p(p["country_pairs"]),
        np.log1p(p["partner_in_country"]),
        np.log1p(p["candidate_in_country"]),
        np.log1p(20.0 * p["country_neighbours"]),
        np.log1p(100.0 * p["country_share"]),
        p["candidate_share"],
        np.log1p(p["region_pairs"]),
        np.log1p(p["partner_in_region"]),
        np.log1p(p["candidate_in_region"]),
        p["same_country"].astype(float),
        log_distance,
        unknown_distance.astype(float),
        log_distance**2,
        log_distance * p["same_country"],
        np.log1p(p["common"]),
        p["adamic"],
        np.log1p(p["l3"]),
        _log_km(p["near_partner"]),
        _log_km(p["near_partner_back"]),
        np.log1p(p["partners_near"]),
        np.log1p(p["partners_near_back"]),
        np.log1p(p["degree_candidate"]),
        np.abs(np.log1p(p["degree_query"]) - np.log1p(p["degree_candidate"])),
        np.where(unknown_population, 0.0, np.nan_to_num(gap)),
        unknown_population.astype(float),
        # How much smaller the candidate is, beyond 3, 10 and 30 times (log10 0.5, 1, 1.5): with
        # the gap alone the best partner would be one of the place's own size, where half of
        # China's partners abroad are 4.5 to 32 times smaller than the Chinese place.
        *(np.maximum(np.nan_to_num(p["population_query"] - p["population_candidate"]) - k, 0.0)
          for k in SMALLER_BY),
        p["same_level"].astype(float),
        np.nan_to_num(p["population_candidate"]),
        np.where(bands_known, np.abs(p["band_query"] - p["band_candidate"]), 0).astype(float),
        coastal_q * coastal_c,
        np.abs(coastal_q - coastal_c),
        p["same_name"].astype(float),
    ]
    out = np.empty((len(distance), len(columns)), order="F")  # filled column by column
    for j, column in enumerate(columns):
        out[:, j] = column
    return out


def _log_km(cos: np.ndarray) -> np.ndarray:
    """log10(km + 10) of the great-circle angle with this cosine."""
    return np.log10(np.arccos(np.clip(cos, -1.0, 1.0)) * 6371.0088 + 10.0)

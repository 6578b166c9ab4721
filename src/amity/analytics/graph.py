"""Network measures on an igraph Graph (undirected, simple), exact or on a stated sample.

All-pairs breadth-first search is O(n·m): on the demo network (~18,000 places, ~28,000 pairs)
exact mean distance and betweenness take tens of seconds, so above EXACT_LIMIT nodes both use a
seeded sample of sources (Brandes–Pich pivots for betweenness). The diameter stays exact: the
bounding-diameters algorithm (Takes & Kosters 2011) needs only a few dozen searches.
"""

from __future__ import annotations

import random
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import igraph

EXACT_LIMIT = 4000
SAMPLE_SOURCES = 500
SEED = 20240601


def largest_component(graph: igraph.Graph) -> igraph.Graph:
    """The largest connected component as its own graph (vertex attributes kept)."""
    if graph.vcount() == 0:
        return graph.copy()
    return graph.connected_components().giant()


def component_summary(graph: igraph.Graph) -> dict[str, Any]:
    sizes = sorted(graph.connected_components().sizes(), reverse=True)
    largest = largest_component(graph)
    return {
        "count": len(sizes),
        "largest_nodes": sizes[0] if sizes else 0,
        "largest_edges": largest.ecount(),
        "largest_share": round(sizes[0] / graph.vcount(), 6) if sizes else None,
        "sizes": sizes[:10],
    }


def exact_diameter(graph: igraph.Graph) -> int:
    """Diameter of a connected graph by bounding eccentricities (Takes & Kosters 2011)."""
    n = graph.vcount()
    if n <= 1:
        return 0
    degree = graph.degree()
    ecc_low = [0] * n
    ecc_high = [n] * n
    candidates = set(range(n))
    low, high = 0, n
    pick_high = True
    while candidates and low < high:
        if pick_high:
            v = max(candidates, key=lambda w: (ecc_high[w], degree[w]))
        else:
            v = min(candidates, key=lambda w: (ecc_low[w], -degree[w]))
        pick_high = not pick_high
        dist = graph.distances(source=v)[0]
        ecc = max(dist)
        for w in candidates:
            d = dist[w]
            ecc_low[w] = max(ecc_low[w], d, ecc - d)
            ecc_high[w] = min(ecc_high[w], ecc + d)
        low = max(low, max(ecc_low[w] for w in candidates))
        high = min(high, max(ecc_high[w] for w in candidates))
        candidates = {
            w
            for w in candidates
            if ecc_low[w] != ecc_high[w] and not (ecc_high[w] <= low and 2 * ecc_low[w] >= high)
        }
    return low


def distance_summary(component: igraph.Graph) -> dict[str, Any]:
    """Diameter (exact) and mean shortest-path length (exact or sampled) of a connected graph."""
    n = component.vcount()
    result: dict[str, Any] = {"diameter": exact_diameter(component), "diameter_method": "exact"}
    if n < 2:
        return {**result, "mean_distance": None, "mean_distance_method": "exact"}
    if n <= EXACT_LIMIT:
        mean = component.average_path_length(directed=False)
        return {**result, "mean_distance": round(mean, 6), "mean_distance_method": "exact"}
    sources = random.Random(SEED).sample(range(n), SAMPLE_SOURCES)
    total = sum(sum(row) for row in component.distances(source=sources))
    mean = total / (len(sources) * (n - 1))
    return {
        **result,
        "mean_distance": round(mean, 6),
        "mean_distance_method": f"sample of {len(sources)} sources (seed {SEED})",
    }


def betweenness(graph: igraph.Graph) -> tuple[list[float], str]:
    """Normalised betweenness (as networkx: divided by (n-1)(n-2)/2), exact or by pivots."""
    n = graph.vcount()
    if n < 3:
        return [0.0] * n, "exact"
    scale = 2 / ((n - 1) * (n - 2))
    if n <= EXACT_LIMIT:
        return [b * scale for b in graph.betweenness(directed=False)], "exact"
    pivots = random.Random(SEED).sample(range(n), SAMPLE_SOURCES)
    # igraph counts each unordered pair once; pivots see a share len(pivots)/n of the sources.
    raw = graph.betweenness(directed=False, sources=pivots)
    factor = n / len(pivots) * scale
    return [b * factor for b in raw], f"sample of {len(pivots)} pivots (seed {SEED})"


def eigenvector(graph: igraph.Graph) -> list[float]:
    """Eigenvector centrality in the largest component (largest = 1), 0 outside it.

    On a disconnected graph the leading eigenvector lives on one component only, so the measure
    is computed where it means something.
    """
    values = [0.0] * graph.vcount()
    if graph.ecount() == 0:
        return values
    members = max(graph.connected_components(), key=len)
    # induced_subgraph keeps the vertices in id order, so vertex i is members[i].
    with warnings.catch_warnings():
        # igraph warns when peripheral scores underflow to ~0, which is expected on a sparse tree.
        warnings.simplefilter("ignore", RuntimeWarning)
        scores = graph.induced_subgraph(sorted(members)).eigenvector_centrality(scale=True)
    for vertex, score in zip(sorted(members), scores, strict=True):
        values[vertex] = score
    return values


def pagerank(graph: igraph.Graph, damping: float = 0.85) -> list[float]:
    return graph.pagerank(directed=False, damping=damping)


def clustering_summary(graph: igraph.Graph) -> dict[str, Any]:
    """Global transitivity, mean local clustering (0 for degree < 2, as networkx) and triangles."""
    return {
        "transitivity": _round(graph.transitivity_undirected()),
        "mean_local": _round(graph.transitivity_avglocal_undirected(mode="zero")),
        "triangles": len(graph.list_triangles()),
    }


def assortativity(graph: igraph.Graph) -> float | None:
    if graph.ecount() == 0:
        return None
    return _round(graph.assortativity_degree(directed=False))


def degree_summary(graph: igraph.Graph) -> dict[str, Any]:
    """Degree distribution, maximum, mean and a discrete power-law fit (maximum likelihood)."""
    degrees = graph.degree()
    if not degrees:
        return {"max": 0, "mean": None, "distribution": [], "power_law": None}
    counts: dict[int, int] = {}
    for d in degrees:
        counts[d] = counts.get(d, 0) + 1
    positive = [d for d in degrees if d > 0]
    fit = None
    if len(set(positive)) > 2:
        # p_precision 0.1 means 25 synthetic samples for the p-value: enough to reject a fit.
        with seeded():  # the p-value's synthetic samples
            fitted = igraph.power_law_fit(positive, p_precision=0.1)
        fit = {
            "alpha": _round(fitted.alpha),
            "xmin": fitted.xmin,
            "log_likelihood": _round(fitted.L),
            "ks_statistic": _round(fitted.D),
            "p_value": _round(fitted.p),
            "p_value_precision": 0.1,
            "tail_nodes": sum(1 for d in positive if d >= fitted.xmin),
            "method": "igraph power_law_fit: discrete maximum likelihood, xmin minimising the"
            " Kolmogorov-Smirnov distance (Clauset, Shalizi & Newman 2009)",
        }
    ordered = sorted(degrees)
    return {
        "max": ordered[-1],
        "mean": _round(sum(degrees) / len(degrees)),
        "median": ordered[len(ordered) // 2],
        "distribution": [{"degree": d, "count": counts[d]} for d in sorted(counts)],
        "power_law": fit,
    }


def communities(graph: igraph.Graph) -> tuple[list[int], float]:
    """Louvain communities (igraph community_multilevel, seeded) and their modularity."""
    if graph.ecount() == 0:
        return list(range(graph.vcount())), 0.0
    with seeded():
        clustering = graph.community_multilevel()
    return clustering.membership, clustering.modularity


_RANDOM_LOCK = threading.Lock()


@contextmanager
def seeded() -> Iterator[None]:
    """igraph draws from Python's random module: seed it (and give it back as it was) so that a
    result is the same each time it is computed, in whichever thread. igraph's generator is per
    thread, and only the importing thread's draws from Python's: a server's request threads and
    background builds drew from one seeded by the clock, so each computation differed."""
    with _RANDOM_LOCK:
        igraph.set_random_number_generator(random)
        previous = random.getstate()
        random.seed(SEED)
        try:
            yield
        finally:
            random.setstate(previous)


def modularity(graph: igraph.Graph, membership: list[int]) -> float:
    return graph.modularity(membership)


def _round(value: float | None, digits: int = 6) -> float | None:
    if value is None or value != value:
        return None
    return round(value, digits)

"""A peer of `amity network`: python-igraph on Amity's edge-list export, as one would write it.

Run: .venv/bin/python bench/peer_igraph.py EDGES.csv [--metrics six|full]

EDGES.csv is `amity export --format csv` (one row per partnership, a_id and b_id the places).
"six" computes what bench_network checks Amity against: nodes, edges, components, the diameter of
the largest component (exact, by eccentricity bounds as networkx's `usebounds=True` and Amity do),
triangles and transitivity. "full" adds the other graph measures of Amity's
report, with its methods above EXACT_LIMIT nodes (the same seeded sample of sources for the mean
distance, of pivots for betweenness): density, mean distance, maximum degree, betweenness,
eigenvector and PageRank, assortativity, mean local clustering, Louvain communities. It prints JSON.
"""

import argparse
import csv
import json
import random

import igraph

EXACT_LIMIT, SAMPLE_SOURCES, SEED = 4000, 500, 20240601  # as amity.analytics.graph


def read_graph(path: str) -> igraph.Graph:
    with open(path, newline="", encoding="utf-8") as f:
        pairs = [(int(row["a_id"]), int(row["b_id"])) for row in csv.DictReader(f)]
    ids = sorted({p for pair in pairs for p in pair})
    index = {pid: i for i, pid in enumerate(ids)}
    return igraph.Graph(n=len(ids), edges=[(index[a], index[b]) for a, b in pairs])


def bounded_diameter(g: igraph.Graph) -> int:
    """The exact diameter of a connected graph by eccentricity bounds (Takes & Kosters 2011, as
    networkx's `diameter(usebounds=True)`): a few dozen searches instead of igraph's all-pairs
    `diameter()` (most of this script's time on the demo when used)."""
    n, degree = g.vcount(), g.degree()
    low_ecc, high_ecc = [0] * n, [n] * n
    low, high, left, from_top = 0, n, set(range(n)), True
    while left and low < high:
        if from_top:
            v = max(left, key=lambda w: (high_ecc[w], degree[w]))
        else:
            v = min(left, key=lambda w: (low_ecc[w], -degree[w]))
        from_top = not from_top
        dist = g.distances(source=v)[0]
        ecc = max(dist)
        for w in left:
            low_ecc[w] = max(low_ecc[w], dist[w], ecc - dist[w])
            high_ecc[w] = min(high_ecc[w], ecc + dist[w])
        low = max(low, max(low_ecc[w] for w in left))
        high = min(high, max(high_ecc[w] for w in left))
        left = {w for w in left if low_ecc[w] != high_ecc[w]
                and not (high_ecc[w] <= low and 2 * low_ecc[w] >= high)}
    return low


def six(g: igraph.Graph, giant: igraph.Graph) -> dict:
    return {"nodes": g.vcount(), "edges": g.ecount(),
            "components": len(g.connected_components()),
            "diameter": bounded_diameter(giant),
            "triangles": len(g.list_triangles()),
            "transitivity": round(g.transitivity_undirected(), 6)}


def full(g: igraph.Graph, giant: igraph.Graph) -> dict:
    n = giant.vcount()
    report = {"density": 2 * g.ecount() / (g.vcount() * (g.vcount() - 1)),
              "largest": n, "degree_max": g.maxdegree()}
    if n <= EXACT_LIMIT:
        report["mean_distance"] = giant.average_path_length(directed=False)
        between = g.betweenness(directed=False)
    else:
        sources = random.Random(SEED).sample(range(n), SAMPLE_SOURCES)
        total = sum(sum(row) for row in giant.distances(source=sources))
        report["mean_distance"] = total / (len(sources) * (n - 1))
        pivots = random.Random(SEED).sample(range(g.vcount()), SAMPLE_SOURCES)
        between = g.betweenness(directed=False, sources=pivots)
    scale = 2 / ((g.vcount() - 1) * (g.vcount() - 2))
    factor = g.vcount() / SAMPLE_SOURCES if g.vcount() > EXACT_LIMIT else 1
    report["betweenness"] = max(between) * scale * factor
    report["eigenvector"] = max(giant.eigenvector_centrality(scale=True))
    report["pagerank"] = max(g.pagerank(directed=False))
    report["assortativity"] = g.assortativity_degree(directed=False)
    report["mean_local"] = g.transitivity_avglocal_undirected(mode="zero")
    random.seed(SEED)
    parts = g.community_multilevel()
    report["communities"] = len(parts)
    report["modularity"] = parts.modularity
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edges")
    parser.add_argument("--metrics", choices=("six", "full"), default="six")
    args = parser.parse_args()
    g = read_graph(args.edges)
    giant = g.connected_components().giant()
    report = six(g, giant)
    if args.metrics == "full":
        report.update(full(g, giant))
    print(json.dumps(report))


if __name__ == "__main__":
    main()

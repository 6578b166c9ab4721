"""Amity's full network report against plain networkx computing the same measures on the same graph.

Run: .venv/bin/python -m bench.bench_network --database sqlite:////tmp/demo.db

Both sides start from the same in-memory snapshot of the registry (read once, not timed), so the
figures compare computation only. networkx gets the same methods Amity uses: exact measures up to
EXACT_LIMIT nodes, above it betweenness and mean distance from the same seeded sample of sources;
the diameter by the same eccentricity bounds (networkx's usebounds=True). Amity's report also fits
a power law with a bootstrapped p-value and summarises countries, geography and homophily, which
the networkx side does not do: the comparison is, if anything, unfair to Amity.
"""

from __future__ import annotations

import argparse
import json
import random
import time

import networkx as nx

from amity.analytics import graph, network
from amity.analytics.service import snapshot
from amity.core import cache
from amity.core.db import make_engine, session_scope


def networkx_report(edges: list[tuple[int, int]], nodes: list[int]) -> dict:
    """The graph measures of Amity's report, computed with networkx."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    n = g.number_of_nodes()
    components = sorted(nx.connected_components(g), key=len, reverse=True)
    giant = g.subgraph(components[0]).copy()
    report = {"nodes": n, "edges": g.number_of_edges(), "density": nx.density(g),
              "components": len(components), "largest": giant.number_of_nodes()}
    report["diameter"] = nx.diameter(giant, usebounds=True)
    if giant.number_of_nodes() <= graph.EXACT_LIMIT:
        report["mean_distance"] = nx.average_shortest_path_length(giant)
        report["betweenness"] = max(nx.betweenness_centrality(g).values())
    else:
        giant_nodes = list(giant.nodes)
        sources = random.Random(graph.SEED).sample(giant_nodes, graph.SAMPLE_SOURCES)
        total = sum(sum(nx.single_source_shortest_path_length(giant, s).values())
                    for s in sources)
        report["mean_distance"] = total / (len(sources) * (len(giant_nodes) - 1))
        report["betweenness"] = max(nx.betweenness_centrality(
            g, k=graph.SAMPLE_SOURCES, seed=graph.SEED).values())
    degrees = [d for _, d in g.degree()]
    report["degree_max"] = max(degrees)
    report["assortativity"] = nx.degree_assortativity_coefficient(g)
    report["transitivity"] = nx.transitivity(g)
    report["mean_local"] = nx.average_clustering(g)
    report["triangles"] = sum(nx.triangles(g).values()) // 3
    report["eigenvector"] = max(nx.eigenvector_centrality_numpy(giant).values())
    report["pagerank"] = max(nx.pagerank(g).values())
    parts = nx.community.louvain_communities(g, seed=graph.SEED)
    report["communities"] = len(parts)
    report["modularity"] = nx.community.modularity(g, parts)
    return report


def amity_seconds(database_url: str, repeat: int = 1) -> dict:
    """Amity's full report alone (for sizes where networkx would take too long): median s."""
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        snap = snapshot(session)
        runs = []
        for _ in range(repeat):
            cache.clear()
            start = time.perf_counter()
            report = network._report(network.build_network(snap))
            runs.append(time.perf_counter() - start)
    engine.dispose()
    return {"nodes": report["nodes"], "edges": report["edges"],
            "amity_s": round(sorted(runs)[len(runs) // 2], 2)}


def run(database_url: str, repeat: int = 3) -> dict:
    """Median seconds of Amity's report and of networkx's, and the measures both found."""
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        snap = snapshot(session)
        amity_s = []
        for _ in range(repeat):
            cache.clear()
            start = time.perf_counter()
            report = network._report(network.build_network(snap))
            amity_s.append(time.perf_counter() - start)
    engine.dispose()
    nodes = sorted(snap.places)
    edges = [(p.a, p.b) for p in snap.pairs]
    nx_s = []
    for _ in range(max(1, repeat - 2)):
        start = time.perf_counter()
        nx_report = networkx_report(edges, nodes)
        nx_s.append(time.perf_counter() - start)
    amity_median = sorted(amity_s)[len(amity_s) // 2]
    nx_median = sorted(nx_s)[len(nx_s) // 2]
    return {
        "nodes": report["nodes"],
        "edges": report["edges"],
        "amity_s": round(amity_median, 3),
        "amity_runs_s": [round(s, 3) for s in amity_s],
        "networkx_s": round(nx_median, 3),
        "networkx_runs_s": [round(s, 3) for s in nx_s],
        "speedup": round(nx_median / amity_median, 1),
        "agree": {
            "diameter": (report["distances"]["diameter"], nx_report["diameter"]),
            "triangles": (report["clustering"]["triangles"], nx_report["triangles"]),
            "components": (report["components"]["count"], nx_report["components"]),
            "transitivity": (report["clustering"]["transitivity"],
                             round(nx_report["transitivity"], 6)),
        },
        "amity_timings": report["timings"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(run(args.database, args.repeat), indent=2))


if __name__ == "__main__":
    main()

"""A peer of `amity network`: networkx on Amity's edge-list export, as one would write it.

Run: .venv/bin/python bench/peer_networkx.py EDGES.csv [--metrics six|full]

The same measures as bench/peer_igraph.py ("six": nodes, edges, components, diameter of the
largest component, triangles, transitivity; "full": the other graph measures of Amity's report,
sampled the same way above EXACT_LIMIT nodes), with networkx's own functions (the diameter by
eccentricity bounds, `usebounds=True`). It prints JSON.
"""

import argparse
import csv
import json
import random

import networkx as nx

EXACT_LIMIT, SAMPLE_SOURCES, SEED = 4000, 500, 20240601  # as amity.analytics.graph


def read_graph(path: str) -> nx.Graph:
    with open(path, newline="", encoding="utf-8") as f:
        return nx.Graph((int(row["a_id"]), int(row["b_id"])) for row in csv.DictReader(f))


def six(g: nx.Graph, giant: nx.Graph) -> dict:
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
            "components": nx.number_connected_components(g),
            "diameter": nx.diameter(giant, usebounds=True),
            "triangles": sum(nx.triangles(g).values()) // 3,
            "transitivity": round(nx.transitivity(g), 6)}


def full(g: nx.Graph, giant: nx.Graph) -> dict:
    n = giant.number_of_nodes()
    report = {"density": nx.density(g), "largest": n, "degree_max": max(d for _, d in g.degree())}
    if n <= EXACT_LIMIT:
        report["mean_distance"] = nx.average_shortest_path_length(giant)
        report["betweenness"] = max(nx.betweenness_centrality(g).values())
    else:
        nodes = sorted(giant)
        sources = random.Random(SEED).sample(nodes, SAMPLE_SOURCES)
        total = sum(sum(nx.single_source_shortest_path_length(giant, s).values())
                    for s in sources)
        report["mean_distance"] = total / (len(sources) * (n - 1))
        report["betweenness"] = max(nx.betweenness_centrality(
            g, k=SAMPLE_SOURCES, seed=SEED).values())
    report["eigenvector"] = max(nx.eigenvector_centrality_numpy(giant).values())
    report["pagerank"] = max(nx.pagerank(g).values())
    report["assortativity"] = nx.degree_assortativity_coefficient(g)
    report["mean_local"] = nx.average_clustering(g)
    parts = nx.community.louvain_communities(g, seed=SEED)
    report["communities"] = len(parts)
    report["modularity"] = nx.community.modularity(g, parts)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edges")
    parser.add_argument("--metrics", choices=("six", "full"), default="six")
    args = parser.parse_args()
    g = read_graph(args.edges)
    giant = g.subgraph(max(nx.connected_components(g), key=len)).copy()
    report = six(g, giant)
    if args.metrics == "full":
        report.update(full(g, giant))
    print(json.dumps(report))


if __name__ == "__main__":
    main()

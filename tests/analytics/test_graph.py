"""Every network measure against networkx on small graphs (hand-built and seeded random)."""

from __future__ import annotations

import math
import random

import igraph
import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from amity.analytics import graph


def _both(edges: list[tuple[int, int]], n: int) -> tuple[igraph.Graph, nx.Graph]:
    g = igraph.Graph(n=n, edges=edges)
    h = nx.Graph()
    h.add_nodes_from(range(n))
    h.add_edges_from(edges)
    return g, h


def _karate():
    h = nx.karate_club_graph()
    return _both(list(h.edges()), h.number_of_nodes())


def _star_with_triangle():
    # A hub 0 with leaves 1..5, a triangle 5-6-7 hanging off leaf 5, and a tail 7-8-9.
    return _both([(0, i) for i in range(1, 6)] + [(5, 6), (6, 7), (5, 7), (7, 8), (8, 9)], 10)


def _two_components():
    return _both([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (5, 6), (6, 7)], 8)


def _random():
    h = nx.gnm_random_graph(150, 300, seed=7)
    return _both(list(h.edges()), 150)


GRAPHS = {
    "karate": _karate,
    "star_triangle": _star_with_triangle,
    "two_components": _two_components,
    "random": _random,
}


@pytest.fixture(params=sorted(GRAPHS))
def pair(request):
    return GRAPHS[request.param]()


def _largest(h: nx.Graph) -> nx.Graph:
    return h.subgraph(max(nx.connected_components(h), key=len)).copy()


def test_components(pair):
    g, h = pair
    summary = graph.component_summary(g)
    components = sorted((len(c) for c in nx.connected_components(h)), reverse=True)
    assert summary["count"] == len(components)
    assert summary["largest_nodes"] == components[0]
    assert summary["largest_edges"] == _largest(h).number_of_edges()


def test_diameter_and_mean_distance(pair):
    g, h = pair
    core = _largest(h)
    summary = graph.distance_summary(graph.largest_component(g))
    assert summary["diameter"] == nx.diameter(core)
    assert summary["mean_distance"] == pytest.approx(nx.average_shortest_path_length(core))
    assert summary["mean_distance_method"] == "exact"


def test_bounding_diameter_on_trees_and_cycles():
    for h in (
        nx.path_graph(40),
        nx.cycle_graph(31),
        nx.balanced_tree(3, 4),
        nx.grid_2d_graph(6, 9),
    ):
        h = nx.convert_node_labels_to_integers(h)
        g = igraph.Graph(n=h.number_of_nodes(), edges=list(h.edges()))
        assert graph.exact_diameter(g) == nx.diameter(h)


def test_sampled_mean_distance_is_close(monkeypatch):
    g, h = _random()
    core = _largest(h)
    monkeypatch.setattr(graph, "EXACT_LIMIT", 10)
    monkeypatch.setattr(graph, "SAMPLE_SOURCES", 60)
    summary = graph.distance_summary(graph.largest_component(g))
    assert summary["mean_distance_method"].startswith("sample of 60")
    assert summary["mean_distance"] == pytest.approx(
        nx.average_shortest_path_length(core), rel=0.05
    )


def test_assortativity(pair):
    g, h = pair
    # networkx's coefficient needs numpy; the Pearson correlation of its degree mixing is the same.
    mixing = nx.degree_mixing_dict(h)
    xs, ys = [], []
    for x, row in mixing.items():
        for y, count in row.items():
            xs += [x] * count
            ys += [y] * count
    mean = sum(xs) / len(xs)
    cov = sum((x - mean) * (y - mean) for x, y in zip(xs, ys, strict=True))
    var = sum((x - mean) ** 2 for x in xs)
    assert graph.assortativity(g) == pytest.approx(cov / var, abs=1e-6)


def test_clustering_and_triangles(pair):
    g, h = pair
    summary = graph.clustering_summary(g)
    assert summary["transitivity"] == pytest.approx(nx.transitivity(h), abs=1e-6)
    assert summary["mean_local"] == pytest.approx(nx.average_clustering(h), abs=1e-6)
    assert summary["triangles"] == sum(nx.triangles(h).values()) // 3


def test_betweenness(pair):
    g, h = pair
    values, method = graph.betweenness(g)
    expected = nx.betweenness_centrality(h, normalized=True)
    assert method == "exact"
    assert values == pytest.approx([expected[v] for v in range(g.vcount())], abs=1e-9)


def test_betweenness_with_every_node_as_pivot_is_exact(monkeypatch):
    g, h = _random()
    monkeypatch.setattr(graph, "EXACT_LIMIT", 10)
    monkeypatch.setattr(graph, "SAMPLE_SOURCES", g.vcount())
    values, method = graph.betweenness(g)
    expected = nx.betweenness_centrality(h, normalized=True)
    assert method.startswith("sample of 150")
    assert values == pytest.approx([expected[v] for v in range(g.vcount())], abs=1e-9)


def test_eigenvector(pair):
    g, h = pair
    core = _largest(h)
    expected = nx.eigenvector_centrality(core, max_iter=10000, tol=1e-12)
    top = max(expected.values())
    values = graph.eigenvector(g)
    for v in range(g.vcount()):
        want = expected[v] / top if v in core else 0.0
        assert values[v] == pytest.approx(want, abs=1e-5)


def test_pagerank(pair):
    g, h = pair
    expected = _pagerank_python(h, alpha=0.85, tol=1e-12, max_iter=1000)
    assert graph.pagerank(g) == pytest.approx([expected[v] for v in range(g.vcount())], abs=1e-6)


def test_modularity_of_a_given_partition(pair):
    g, h = pair
    membership = [v % 3 for v in range(g.vcount())]
    parts = [{v for v in range(g.vcount()) if membership[v] == k} for k in range(3)]
    assert graph.modularity(g, membership) == pytest.approx(nx.community.modularity(h, parts))


def test_louvain_partition_is_good_and_repeatable():
    g, h = _karate()
    membership, q = graph.communities(g)
    parts = [{v for v, c in enumerate(membership) if c == k} for k in set(membership)]
    assert q == pytest.approx(nx.community.modularity(h, parts))
    assert q > 0.38  # Zachary's best known modularity is about 0.42.
    assert graph.communities(g) == (membership, q)


def test_degree_summary_and_power_law():
    g, h = _random()
    summary = graph.degree_summary(g)
    degrees = [d for _, d in h.degree()]
    assert summary["max"] == max(degrees)
    assert summary["mean"] == pytest.approx(sum(degrees) / len(degrees), abs=1e-6)
    assert sum(row["count"] for row in summary["distribution"]) == len(degrees)
    # A Barabási–Albert graph has a degree exponent near 3.
    random.seed(3)  # igraph draws from Python's random module
    ba = igraph.Graph.Barabasi(3000, 2)
    fit = graph.degree_summary(ba)["power_law"]
    assert 2.3 < fit["alpha"] < 3.7 and fit["xmin"] >= 1
    assert not math.isnan(fit["log_likelihood"])

"""The partnership network: places as nodes, partnerships as edges, built once per registry change.

The graph is kept in memory until the next write to the registry. The report (seconds to
compute, a minute at 100×) is kept in the database too (amity.core.warm): a restart or another
worker loads it, and after a write the previous report is served, stamped `as_of` with the state
it describes, while the new one is computed in the background.
"""

from __future__ import annotations

import math
import statistics as stats
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import igraph
from sqlalchemy.orm import Session

from amity.analytics import graph
from amity.analytics.measures import great_circle_km
from amity.analytics.report_store import NETWORK_REPORT
from amity.analytics.service import snapshot
from amity.analytics.snapshot import Snapshot
from amity.analytics.tables import place_row
from amity.core import warm
from amity.core.errors import InvalidInput, NotFound
from amity.partnerships.service import registry_cached, registry_latest
from amity.places.models import Place

TOP = 10
MAX_EGO_RADIUS = 3
MAX_EGO_NODES = 1000
NEAR_KM = 500


@dataclass(frozen=True)
class Network:
    """The igraph Graph of the registry, with vertex i standing for place ids[i]."""

    graph: igraph.Graph
    ids: list[int]
    index: dict[int, int]
    snapshot: Snapshot


def build_network(snap: Snapshot) -> Network:
    """One vertex per place with at least one partnership, one edge per partnership."""
    ids = sorted(snap.places)
    index = {pid: i for i, pid in enumerate(ids)}
    g = igraph.Graph(n=len(ids), edges=[(index[p.a], index[p.b]) for p in snap.pairs])
    g.vs["place_id"] = ids
    g.es["pair_id"] = [p.id for p in snap.pairs]
    return Network(g, ids, index, snap)


def network(session: Session) -> Network:
    """The registry's network, built once per change."""
    return registry_cached(session, "network:graph", lambda: build_network(snapshot(session)))


def network_report(session: Session, *, wait: bool = False) -> dict[str, Any]:
    """Every network measure of the registry (docs/analytics.md), with `as_of`: the registry
    state it describes and whether that is the current one (see the module's note)."""
    latest = registry_latest(
        session, NETWORK_REPORT, lambda s: _report(network(s)), warm.json_codec(), wait=wait
    )
    return {**latest.value, "as_of": latest.stamp.as_dict()}


def _report(net: Network) -> dict[str, Any]:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    g = net.graph
    n, m = g.vcount(), g.ecount()
    report: dict[str, Any] = {
        "nodes": n,
        "edges": m,
        "density": round(2 * m / (n * (n - 1)), 8) if n > 1 else None,
        "components": graph.component_summary(g),
    }
    report["distances"] = {"scope": "largest component"}
    report["distances"].update(graph.distance_summary(graph.largest_component(g)))
    lap("distances")
    report["degree"] = graph.degree_summary(g)
    report["assortativity"] = graph.assortativity(g)
    report["clustering"] = graph.clustering_summary(g)
    lap("degree_and_clustering")
    report["centrality"] = _centrality(net)
    lap("centrality")
    report["communities"] = _communities(net)
    lap("communities")
    report["countries"] = _country_network(net.snapshot)
    report["geography"] = _geography(net.snapshot)
    report["homophily"] = _homophily(net.snapshot)
    lap("countries_and_geography")
    report["timings"] = timings
    return report


def _top(net: Network, values: list[float], limit: int = TOP) -> list[dict[str, Any]]:
    ranked = sorted(range(len(values)), key=lambda i: (-values[i], net.ids[i]))[:limit]
    return [place_row(net.snapshot.places[net.ids[i]], value=round(values[i], 8)) for i in ranked]


def _centrality(net: Network) -> dict[str, Any]:
    g = net.graph
    between, method = graph.betweenness(g)
    return {
        "degree": _top(net, [float(d) for d in g.degree()]),
        "betweenness": _top(net, between),
        "betweenness_method": method,
        "eigenvector": _top(net, graph.eigenvector(g)),
        "pagerank": _top(net, graph.pagerank(g)),
    }


def _communities(net: Network) -> dict[str, Any]:
    membership, modularity = graph.communities(net.graph)
    members: dict[int, list[int]] = {}
    for vertex, community in enumerate(membership):
        members.setdefault(community, []).append(vertex)
    degree = net.graph.degree()
    largest = sorted(members.values(), key=len, reverse=True)[:TOP]
    summary = []
    for vertices in largest:
        countries = Counter(net.snapshot.places[net.ids[v]].country_code for v in vertices)
        hubs = sorted(vertices, key=lambda v: (-degree[v], net.ids[v]))[:3]
        summary.append(
            {
                "size": len(vertices),
                "countries": [{"iso2": c, "places": k} for c, k in countries.most_common(3)],
                "hubs": [place_row(net.snapshot.places[net.ids[v]]) for v in hubs],
            }
        )
    return {
        "method": "Louvain (igraph community_multilevel, seeded)",
        "count": len(members),
        "modularity": round(modularity, 6),
        "largest": summary,
    }


def _country_network(snap: Snapshot) -> dict[str, Any]:
    """Countries as nodes, the number of pairs between two countries as the edge weight."""
    weights: Counter = Counter()
    domestic = 0
    for pair in snap.pairs:
        a, b = snap.places[pair.a].country_code, snap.places[pair.b].country_code
        if a == b:
            domestic += 1
        else:
            weights[(min(a, b), max(a, b))] += 1
    strength: Counter = Counter()
    partners: Counter = Counter()
    for (a, b), w in weights.items():
        strength.update({a: w, b: w})
        partners.update((a, b))
    nodes = {place.country_code for place in snap.places.values()}

    def name(code: str) -> str:
        return snap.countries[code].name_en if code in snap.countries else code

    return {
        "nodes": len(nodes),
        "edges": len(weights),
        "domestic_pairs": domestic,
        "top_pairs": [
            {"a": a, "a_name": name(a), "b": b, "b_name": name(b), "pairs": w}
            for (a, b), w in sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:20]
        ],
        "top_countries": [
            {"iso2": c, "name_en": name(c), "pairs": w, "partner_countries": partners[c]}
            for c, w in sorted(strength.items(), key=lambda item: (-item[1], item[0]))[:20]
        ],
    }


def _on_the_globe(place) -> bool:
    """Coordinates a length can be measured from (stored data may hold none, or a latitude 999)."""
    return (
        place.lat is not None and place.lon is not None
        and -90 <= place.lat <= 90 and -180 <= place.lon <= 180
    )  # fmt: skip


def _geography(snap: Snapshot) -> dict[str, Any]:
    """Great-circle length of pairs and how many stay within one continent."""
    lengths = []
    same_continent = with_continent = 0
    for pair in snap.pairs:
        a, b = snap.places[pair.a], snap.places[pair.b]
        if _on_the_globe(a) and _on_the_globe(b):
            lengths.append(great_circle_km(a.lat, a.lon, b.lat, b.lon))
        ca, cb = snap.countries.get(a.country_code), snap.countries.get(b.country_code)
        if ca and cb and ca.continent and cb.continent:
            with_continent += 1
            same_continent += ca.continent == cb.continent
    result: dict[str, Any] = {
        "pairs_with_coordinates": len(lengths),
        "share_same_continent": round(same_continent / with_continent, 6)
        if with_continent
        else None,
    }
    if len(lengths) < 2:
        return {**result, "median_km": None, "quartiles_km": None, "mean_km": None,
                "share_under_500km": None, "histogram_1000km": []}  # fmt: skip
    q1, median, q3 = stats.quantiles(lengths, n=4, method="inclusive")
    bins = Counter(min(int(km // 1000), 19) for km in lengths)
    return {
        **result,
        "median_km": round(median, 1),
        "quartiles_km": [round(q1, 1), round(q3, 1)],
        "mean_km": round(stats.fmean(lengths), 1),
        "share_under_500km": round(sum(km < NEAR_KM for km in lengths) / len(lengths), 6),
        "histogram_1000km": [{"from_km": b * 1000, "pairs": bins.get(b, 0)} for b in range(20)],
    }


def _homophily(snap: Snapshot) -> dict[str, Any]:
    """Pearson correlation of log10 population across pairs, each pair counted both ways."""
    xs: list[float] = []
    ys: list[float] = []
    for pair in snap.pairs:
        pa, pb = snap.places[pair.a].population, snap.places[pair.b].population
        if pa and pb and pa > 0 and pb > 0:
            la, lb = math.log10(pa), math.log10(pb)
            xs += [la, lb]
            ys += [lb, la]
    correlation = None
    if len(xs) > 2 and len(set(xs)) > 1:
        correlation = round(stats.correlation(xs, ys), 6)
    return {"pairs_with_population": len(xs) // 2, "log_population_correlation": correlation}


def ego_network(session: Session, place_id: int, radius: int = 1) -> dict[str, Any]:
    """The places within radius partnerships of a place, and the partnerships among them."""
    if not 1 <= radius <= MAX_EGO_RADIUS:
        raise InvalidInput(f"radius must be between 1 and {MAX_EGO_RADIUS}", {"radius": radius})
    net = network(session)
    if place_id not in net.index:
        place = session.get(Place, place_id)
        if place is None:
            raise NotFound(f"No place with id {place_id}", {"place_id": place_id})
        centre = {
            "id": place.id,
            "name": place.name,
            "name_zh": place.name_zh,
            "country": place.country_code,
            "lat": place.lat,
            "lon": place.lon,
            "hops": 0,
        }
        return {
            "center": centre,
            "radius": radius,
            "nodes": [centre],
            "edges": [],
            "truncated": False,
        }
    g = net.graph
    source = net.index[place_id]
    hops = g.distances(source=source)[0]
    reached = sorted(
        (v for v in g.neighborhood(source, order=radius)),
        key=lambda v: (hops[v], net.ids[v]),
    )
    truncated = len(reached) > MAX_EGO_NODES
    kept = set(reached[:MAX_EGO_NODES])
    snap = net.snapshot
    nodes = [
        place_row(
            snap.places[net.ids[v]],
            lat=snap.places[net.ids[v]].lat,
            lon=snap.places[net.ids[v]].lon,
            hops=hops[v],
        )
        for v in reached[:MAX_EGO_NODES]
    ]
    edges = []
    for edge in g.es.select(_within=list(kept)):
        # Edges were created in the order of snapshot.pairs.
        pair = snap.pairs[edge.index]
        edges.append(
            {
                "id": pair.id,
                "source": pair.a,
                "target": pair.b,
                "kind": pair.kind,
                "level": pair.level,
                "status": pair.status,
            }
        )
    return {
        "center": nodes[0],
        "radius": radius,
        "nodes": nodes,
        "edges": edges,
        "truncated": truncated,
    }

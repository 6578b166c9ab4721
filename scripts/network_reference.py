"""Print the demo network's figures beside the KONECT "twin" reference as a Markdown table.

Run on a database loaded with `amity init --demo`:
    .venv/bin/python scripts/network_reference.py
The output is pasted into docs/network-reference.md.
"""

from __future__ import annotations

import sys

from amity.analytics.network import network_report
from amity.analytics.official import read_official
from amity.core.db import get_engine, session_scope

ROWS = [
    # label, KONECT column, function of the report
    ("Nodes (places with a partnership)", "nodes", lambda r: r["nodes"]),
    ("Edges (partnerships)", "edges", lambda r: r["edges"]),
    ("Maximum degree", "max_degree", lambda r: r["degree"]["max"]),
    ("Mean degree", "mean_degree", lambda r: round(r["degree"]["mean"], 2)),
    ("Largest component (nodes)", "largest_component", lambda r: r["components"]["largest_nodes"]),
    ("Diameter (largest component)", "diameter", lambda r: r["distances"]["diameter"]),
    ("Mean distance (largest component)", "mean_distance",
     lambda r: round(r["distances"]["mean_distance"], 2)),
    ("Power-law exponent γ", "powerlaw_gamma",
     lambda r: round(r["degree"]["power_law"]["alpha"], 2)),
    ("Degree assortativity", "degree_assortativity", lambda r: round(r["assortativity"], 3)),
    ("Global clustering (transitivity)", "clustering_global",
     lambda r: round(r["clustering"]["transitivity"], 3)),
    ("Triangles", "triangles", lambda r: r["clustering"]["triangles"]),
]  # fmt: skip


def main() -> None:
    reference = read_official("network_reference")[0]
    with session_scope(get_engine()) as session:
        report = network_report(session)
    if report["edges"] == 0:
        sys.exit("The registry is empty: run `amity init --demo` first.")
    lines = [
        f"| Measure | Amity demo registry | {reference['dataset']} ({reference['as_of']}) |",
        "|---|---:|---:|",
    ]
    for label, column, value in ROWS:
        lines.append(f"| {label} | {value(report):,} | {float(reference[column]):,g} |")
    fit = report["degree"]["power_law"]
    notes = [
        "",
        f"Amity: mean distance by {report['distances']['mean_distance_method']};"
        f" power-law fit xmin = {fit['xmin']:g}, KS distance {fit['ks_statistic']},"
        f" p = {fit['p_value']} (precision {fit['p_value_precision']});"
        f" {report['components']['count']:,} components;"
        f" mean local clustering {report['clustering']['mean_local']};"
        f" Louvain modularity {report['communities']['modularity']}"
        f" ({report['communities']['count']:,} communities).",
    ]
    sys.stdout.write("\n".join(lines + notes) + "\n")


if __name__ == "__main__":
    main()

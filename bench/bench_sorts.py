"""The partnership list's sort orders (issue 19): the CPU time to make an order the first time a
table state is asked for it, and to answer with it then (every row, or one continent's).

The orders built with the table (id and the ascending name_a, country, established, created) cost
nothing when asked; the others (the other columns, every descending order but -id) are made once
per table state. CPU time, not wall time: it is steadier on a shared machine. Medians of 5.

Run: AMITY_DATABASE_URL=sqlite:///demo.db .venv/bin/python -m bench.bench_sorts
"""

from __future__ import annotations

import statistics
import time

from amity.core.db import make_engine, session_scope
from amity.core.settings import get_settings
from amity.partnerships.facet_table import registry_table

SORTS = (
    "id", "established", "-established", "name_a", "-name_a", "name_b", "-country_b", "level",
    "-status",
)  # fmt: skip
RUNS = 5


def _ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):.1f}"


def main() -> None:
    engine = make_engine(get_settings().database_url)
    with session_scope(engine) as session:
        table = registry_table(session)
        africa = table.facet_mask("continent", ["Africa"])
        print(f"{len(table.pairs):,} partnerships, {len(table.places):,} places")
        print("| sort | made (first ask), ms CPU | asked again, ms CPU | Africa only, ms CPU |")
        print("| --- | ---: | ---: | ---: |")
        for sort in SORTS:
            made, again, filtered = [], [], []
            for _ in range(RUNS):
                fresh = table.renewed()  # the same rows, no order made yet
                start = time.process_time()
                fresh.ordered(fresh.full, sort)
                first = time.process_time()
                fresh.ordered(fresh.full, sort)
                second = time.process_time()
                fresh.ordered(africa, sort)
                made.append(first - start)
                again.append(second - first)
                filtered.append(time.process_time() - second)
            print(f"| `{sort}` | {_ms(made)} | {_ms(again)} | {_ms(filtered)} |")


if __name__ == "__main__":
    main()

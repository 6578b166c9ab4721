"""How many partnered places have a Chinese name in mainland form (issue 14, for data-quality).

    AMITY_DATABASE_URL=sqlite:////tmp/amity.db .venv/bin/python scripts/measure_names.py [--json]

Reads the database `amity init --demo` filled. Counts places that are party to at least one
partnership, and among them those partnered with a place in China (the home country and its
regions): how many have a Chinese name, how many of those are already in mainland form (no rule of
amity.places.mainland would change them), and where the names came from (places.name_zh_source,
when the column exists).
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from sqlalchemy import inspect, text

from amity.core.db import make_engine
from amity.core.settings import get_settings
from amity.places.mainland import is_mainland_form

_PARTNERED = """
SELECT p.id, p.country_code, p.name_zh, {source}
FROM places p
WHERE p.id IN (SELECT place_a_id FROM partnerships UNION SELECT place_b_id FROM partnerships)
"""
_CHINA_PARTNERS = """
SELECT b.place_b_id FROM partnerships b JOIN places a ON a.id = b.place_a_id
WHERE a.country_code IN ('CN', 'HK', 'MO', 'TW')
UNION
SELECT b.place_a_id FROM partnerships b JOIN places a ON a.id = b.place_b_id
WHERE a.country_code IN ('CN', 'HK', 'MO', 'TW')
"""


def measure(engine) -> dict:
    columns = {c["name"] for c in inspect(engine).get_columns("places")}
    source = "p.name_zh_source" if "name_zh_source" in columns else "NULL"
    with engine.connect() as connection:
        rows = connection.execute(text(_PARTNERED.format(source=source))).all()
        china = {pid for (pid,) in connection.execute(text(_CHINA_PARTNERS))}
    result = {}
    for label, subset in (
        ("partnered places", rows),
        ("partners of places in China", [r for r in rows if r.id in china]),
    ):
        named = [r for r in subset if r.name_zh]
        mainland = [r for r in named if is_mainland_form(r.name_zh, country=r.country_code)]
        result[label] = {
            "places": len(subset),
            "with a Chinese name": len(named),
            "in mainland form": len(mainland),
            "share in mainland form": round(len(mainland) / len(subset), 4) if subset else None,
            "not mainland form": sorted(r.name_zh for r in named if r not in mainland)[:40],
            "by source": dict(Counter(r[3] or "none" for r in subset).most_common()),
        }
    return result


def main() -> None:
    result = measure(make_engine(get_settings().database_url))
    if "--json" in sys.argv:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for label, figures in result.items():
        share = figures["share in mainland form"]
        print(
            f"{label}: {figures['places']}, with a Chinese name {figures['with a Chinese name']}, "
            f"in mainland form {figures['in mainland form']} ({share:.1%})"
        )
        print(f"  by source: {figures['by source']}")
        if figures["not mainland form"]:
            print(f"  not in mainland form (first 40): {' '.join(figures['not mainland form'])}")


if __name__ == "__main__":
    main()

"""Level-true recommendations, measured: the top-k lists of the home country's city-level places.

    AMITY_DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/python scripts/measure_levels.py [--k 10]

For every Chinese (home-country) place at city level with a partner (prefecture-level cities,
municipalities, autonomous prefectures, prefectures, leagues), the top-k candidates: how many are
at a level the asker is offered (amity.matching.levels.OFFERED), the places that recur most, how
many lists hold Seoul, and the countries the under-represented filter keeps. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from sqlalchemy import select

from amity.core.conventions import home_country
from amity.core.db import get_engine, session_scope
from amity.matching import levels, recommend
from amity.matching.engine import engine
from amity.places.models import Place
from amity.places.service import place_level

CITY_LEVELS = ("prefecture_city", "municipality", "autonomous_prefecture", "prefecture", "league")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, default=10)
    k = parser.parse_args().k
    with session_scope(get_engine()) as session:
        eng = engine(session, wait=True)
        index = eng.index
        query = select(Place).where(
            Place.country_code == home_country(), Place.admin_level.in_(CITY_LEVELS)
        )
        askers = [p for p in session.scalars(query.order_by(Place.id))
                  if p.id in index.pos and index.degree[index.pos[p.id]] > 0]  # fmt: skip
        level_of = {
            pid: place_level(kind, admin)
            for pid, kind, admin in session.execute(select(Place.id, Place.kind, Place.admin_level))
        }
        shown, true, seen = 0, 0, Counter()
        for asker in askers:
            allowed = levels.OFFERED[level_of[asker.id]]
            for row in recommend.recommend(session, asker.id, k=k)["results"]:
                shown += 1
                true += level_of[row["id"]] in allowed
                seen[row["name"]] += 1
        few = recommend._under_represented(eng)
    print(json.dumps({
        "askers": len(askers), "candidates": shown, "level_true": true,
        "share_level_true": round(true / shown, 4) if shown else None,
        "lists_with_seoul": seen["Seoul"], "most_frequent": seen.most_common(5),
        "under_represented_countries": int(few.sum()),
        "countries": len(index.countries) - len(eng.home),
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()

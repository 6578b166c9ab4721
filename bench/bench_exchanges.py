"""Relationship health on the demo registry with synthetic exchanges: whole registry, one office.

Run: .venv/bin/python -m bench.bench_exchanges [--database sqlite:////tmp/demo.db] [--exchanges N]
The database must hold the demo registry (`amity init --demo`); synthetic exchanges are added
to a copy (SQLite) so the original stays as it was.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from amity.core.db import make_engine, session_scope
from amity.exchanges import health, health_office
from amity.exchanges.models import Exchange, ExchangeFieldLink
from amity.partnerships.models import Partnership
from amity.places.models import Place
from bench.common import summary_ms, timed

MODES = ("high_level_visit", "forum", "student_exchange", "exhibition", "investment")
FIELDS = ("economy_trade", "education", "culture", "technology", "health")
DIRECTIONS = ("a_to_b", "b_to_a", "both", "joint")


def add_exchanges(session, count: int, seed: int = 7) -> None:
    """`count` synthetic exchanges spread over random partnerships, 2000–2024."""
    rng = random.Random(seed)
    pairs = session.execute(select(Partnership.id, Partnership.place_a_id,
                                   Partnership.place_b_id)).all()  # fmt: skip
    rows = []
    for _ in range(count):
        pid, a, b = rng.choice(pairs)
        year = rng.randint(2000, 2024)
        rows.append({"partnership_id": pid, "place_a_id": a, "place_b_id": b,
                     "mode": rng.choice(MODES), "start": f"{year}-{rng.randint(1, 12):02d}",
                     "start_year": year, "direction": rng.choice(DIRECTIONS),
                     "source": "bench"})  # fmt: skip
    session.execute(insert(Exchange), rows)
    ids = session.scalars(select(Exchange.id)).all()
    links = [{"exchange_id": i, "field_code": f} for i in ids for f in rng.sample(FIELDS, 2)]
    session.execute(insert(ExchangeFieldLink), links)


def run(database_url: str = "sqlite:////tmp/amity-demo.db", exchanges: int = 50_000) -> dict:
    """Seconds to assess the whole registry and one province's list on the health page."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bench.db"
        shutil.copyfile(make_url(database_url).database, copy)
        engine = make_engine(f"sqlite:///{copy}")
        with session_scope(engine) as session:
            add_exchanges(session, exchanges)
        with session_scope(engine) as session:
            total = session.scalar(select(func.count()).select_from(Partnership))
            jiangsu = session.scalar(select(Place.id).where(Place.gb_code == "320000"))
            whole = timed(lambda: health.registry_health(session), 5)
            office = timed(lambda: health_office.unhealthy_list(session, jiangsu), 5)
            listed = health_office.unhealthy_list(session, jiangsu)["total"]
        engine.dispose()
    return {
        "partnerships": total,
        "exchanges": exchanges,
        "registry_health_ms": summary_ms(whole),
        "jiangsu_unhealthy_ms": summary_ms(office),
        "jiangsu_unhealthy_items": listed,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="sqlite:////tmp/amity-demo.db")
    parser.add_argument("--exchanges", type=int, default=50_000)
    args = parser.parse_args()
    print(json.dumps(run(args.database, args.exchanges), indent=2))  # noqa: T201

"""Seeded synthetic registries at k× the demo, with exchanges, for the growth benchmarks.

Run: .venv/bin/python -m bench.synth --demo /tmp/demo.db --factor 10 --out /tmp/x10.db

The demo registry is "lifted" k times: every place that has a partnership gets k-1 clones
(same country, province and kind, the coordinates jittered by up to half a degree, the name
suffixed), and each demo pair (a, b) gives k-1 more pairs (a_r, b_(r+s) mod k), r in 1..k-1, with
a random shift s per pair. Each clone so keeps its original's degree, the country, continent and
level mixes stay the demo's, and the graph is one connected world rather than k copies of it.
Exchanges (about one per partnership, skewed: a few pairs are very active) and their fields are
added at every size, including 1×, where the demo has none. Rows go in with executemany on one
SQLite connection.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from pathlib import Path

PLACE_COLUMNS = ("kind", "admin_level", "name", "name_zh", "pinyin", "country_code",
                 "province_code", "region3", "region4", "admin1", "lat", "lon", "population")
PAIR_COLUMNS = ("kind", "level", "status", "established", "established_year", "source")
MODES = ("high_level_visit", "forum", "student_exchange", "exhibition", "investment",
         "cultural_performance", "trade_fair", "training")
FIELDS = ("economy_trade", "education", "culture", "technology", "health", "tourism")
DIRECTIONS = ("a_to_b", "b_to_a", "both", "joint")
CHUNK = 200_000


def synthesize(demo: Path, out: Path, factor: int, *, seed: int = 0,
               exchanges_per_pair: float = 1.0) -> dict:
    """Write a registry `factor` times the demo in `demo` (an `amity init --demo` file) to `out`."""
    started = time.perf_counter()
    rng = random.Random(seed)
    out.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(demo)
    db = sqlite3.connect(out)
    source.backup(db)
    source.close()
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")
    pairs = db.execute(
        f"SELECT place_a_id, place_b_id, {', '.join(PAIR_COLUMNS)} FROM partnerships ORDER BY id"
    ).fetchall()
    clones = _clone_places(db, rng, pairs, factor)
    new_pairs = _lift_pairs(db, rng, pairs, clones, factor)
    exchanges = _add_exchanges(db, rng, exchanges_per_pair)
    db.commit()
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("ANALYZE")
    counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("places", "partnerships", "exchanges")}
    db.close()
    return {"factor": factor, "seed": seed, **counts, "new_partnerships": new_pairs,
            "exchanges_added": exchanges, "seconds": round(time.perf_counter() - started, 1),
            "bytes": out.stat().st_size}


def _clone_places(db: sqlite3.Connection, rng: random.Random, pairs: list, factor: int
                  ) -> dict[int, list[int]]:
    """For each place in a pair, its k ids: the original, then k-1 clones."""
    used = sorted({p[0] for p in pairs} | {p[1] for p in pairs})
    clones = {place: [place] for place in used}
    if factor == 1:
        return clones
    rows = db.execute(
        f"SELECT id, {', '.join(PLACE_COLUMNS)} FROM places WHERE id IN "
        f"(SELECT place_a_id FROM partnerships UNION SELECT place_b_id FROM partnerships) "
        f"ORDER BY id"
    ).fetchall()
    next_id = db.execute("SELECT max(id) FROM places").fetchone()[0] + 1
    name_at, lat_at, lon_at = (PLACE_COLUMNS.index(c) + 1 for c in ("name", "lat", "lon"))
    insert = (f"INSERT INTO places (id, {', '.join(PLACE_COLUMNS)}, source) "
              f"VALUES ({', '.join('?' * (len(PLACE_COLUMNS) + 1))}, 'synthetic')")
    batch: list[tuple] = []
    for replica in range(1, factor):
        for row in rows:
            clone = list(row)
            clone[0] = next_id
            clone[name_at] = f"{row[name_at]} {replica}"
            if row[lat_at] is not None:
                clone[lat_at] = max(-90.0, min(90.0, row[lat_at] + rng.uniform(-0.5, 0.5)))
                clone[lon_at] = row[lon_at] + rng.uniform(-0.5, 0.5)
            clones[row[0]].append(next_id)
            batch.append(tuple(clone))
            next_id += 1
            if len(batch) >= CHUNK:
                db.executemany(insert, batch)
                batch.clear()
    db.executemany(insert, batch)
    return clones


def _lift_pairs(db: sqlite3.Connection, rng: random.Random, pairs: list,
                clones: dict[int, list[int]], factor: int) -> int:
    if factor == 1:
        return 0
    insert = (f"INSERT INTO partnerships (place_a_id, place_b_id, {', '.join(PAIR_COLUMNS)}) "
              f"VALUES (?, ?, {', '.join('?' * len(PAIR_COLUMNS))})")
    batch: list[tuple] = []
    added = 0
    for a, b, *rest in pairs:
        shift = rng.randrange(factor)
        for replica in range(1, factor):  # replica 0 is the demo pair itself
            other = (replica + shift) % factor
            low, high = sorted((clones[a][replica], clones[b][other]))
            batch.append((low, high, *rest))
        if len(batch) >= CHUNK:
            db.executemany(insert, batch)
            added += len(batch)
            batch.clear()
    db.executemany(insert, batch)
    return added + len(batch)


def _add_exchanges(db: sqlite3.Connection, rng: random.Random, per_pair: float) -> int:
    pairs = db.execute("SELECT id, place_a_id, place_b_id FROM partnerships").fetchall()
    count = int(len(pairs) * per_pair)
    first = (db.execute("SELECT max(id) FROM exchanges").fetchone()[0] or 0) + 1
    insert = ("INSERT INTO exchanges (id, partnership_id, place_a_id, place_b_id, mode, start, "
              "start_year, direction, delegation_size, source) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'synthetic')")
    links = "INSERT INTO exchange_field_links (exchange_id, field_code) VALUES (?, ?)"
    rows, link_rows = [], []
    for n in range(count):
        # Pareto-skewed choice: most partnerships see little, a few see a lot.
        pid, a, b = pairs[min(len(pairs) - 1, int(rng.paretovariate(1.2) * 7) - 7)
                          if rng.random() < 0.3 else rng.randrange(len(pairs))]
        year = rng.randint(1990, 2025)
        rows.append((first + n, pid, a, b, rng.choice(MODES),
                     f"{year}-{rng.randint(1, 12):02d}", year, rng.choice(DIRECTIONS),
                     rng.randint(2, 40)))
        link_rows.append((first + n, rng.choice(FIELDS)))
        if len(rows) >= CHUNK:
            db.executemany(insert, rows)
            db.executemany(links, link_rows)
            rows.clear()
            link_rows.clear()
    db.executemany(insert, rows)
    db.executemany(links, link_rows)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, required=True, help="An `amity init --demo` file.")
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(synthesize(args.demo, args.out, args.factor, seed=args.seed)))


if __name__ == "__main__":
    main()

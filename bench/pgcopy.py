"""Copy an SQLite Amity database (a synthetic k× registry) into a new PostgreSQL database.

Run: .venv/bin/python -m bench.pgcopy --sqlite /tmp/x100.db --postgres postgresql+psycopg://...

The PostgreSQL schema comes from the migrations; then every table of the models is streamed with
COPY (psycopg), foreign-key triggers off for the copy (`session_replication_role = replica`, the
rows come from a consistent database), and each id sequence moved past the largest id.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from amity.core import schema
from amity.core.db import Base, make_engine

BATCH = 50_000


def copy_sqlite_to_postgres(sqlite_path: Path, postgres_url: str) -> dict:
    """Rows copied per table and the seconds taken (the target database must be empty)."""
    started = time.perf_counter()
    engine = make_engine(postgres_url)
    schema.upgrade(engine)
    engine.dispose()
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    present = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    libpq = make_url(postgres_url).set(drivername="postgresql").render_as_string(
        hide_password=False)
    copied: dict[str, int] = {}
    with psycopg.connect(libpq) as pg:
        pg.execute("SET session_replication_role = replica")
        for table in Base.metadata.sorted_tables:
            if table.name not in present:
                continue
            have = {r[1] for r in source.execute(f'PRAGMA table_info("{table.name}")')}
            columns = [c.name for c in table.columns if c.name in have]
            booleans = {i for i, c in enumerate(table.columns) if c.name in have
                        and c.type.python_type is bool} if columns else set()
            pg.execute(f'TRUNCATE "{table.name}" CASCADE')
            names = ", ".join(f'"{c}"' for c in columns)
            rows = source.execute(f'SELECT {names} FROM "{table.name}"')
            count = 0
            with pg.cursor().copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                while batch := rows.fetchmany(BATCH):
                    for row in batch:
                        if booleans:
                            row = tuple(bool(v) if i in booleans and v is not None else v
                                        for i, v in enumerate(row))
                        copy.write_row(row)
                    count += len(batch)
            copied[table.name] = count
            if "id" in table.columns and count:
                pg.execute(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                           f'(SELECT max(id) FROM "{table.name}"))')
        pg.execute("SET session_replication_role = origin")
        pg.commit()
        # As after any bulk load: statistics for the planner, and the tables vacuumed now, not
        # by autovacuum in the middle of the load test that follows (10 M rows inserted wake it).
        pg.autocommit = True
        pg.execute("VACUUM (ANALYZE)")
    source.close()
    return {"tables": copied, "rows": sum(copied.values()),
            "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", type=Path, required=True)
    parser.add_argument("--postgres", required=True)
    args = parser.parse_args()
    print(json.dumps(copy_sqlite_to_postgres(args.sqlite, args.postgres), indent=2))


if __name__ == "__main__":
    main()

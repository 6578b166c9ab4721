"""Datasette's fairest setup: Amity's registry as one flat, indexed table with full-text search.

Run: .venv/bin/python -m bench.flat_registry --database /tmp/demo.db --out /tmp/flat.db

One row per partnership (the rows `GET /api/v1/partnerships` lists), with both sides' names (English
and Chinese), countries (code and names), provinces, regions, continents, the pair's own kind,
level, status, source, date and year. Amity's four "either side" facets (country, continent,
province, region) count a pair once per distinct value of its two sides: here they are JSON arrays
of those distinct values (`countries`, ...), which Datasette counts with `_facet_array`, so that
both servers show the same eight facets with the same numbers. Every faceted or filtered column has
an index (each side's column too, for `country_a = ? OR country_b = ?` by two index lookups), and
an FTS5 trigram index covers the searched text, the eight names Amity's text search looks in
(`amity.partnerships.facet_table._haystack`): a quoted phrase then matches a substring, case
folded, as Amity's search does (three characters or more: trigrams).

Amity's database is opened read-only.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from pathlib import Path

from amity.core.conventions import country_labels

TABLE = "partnerships"
FTS = f"{TABLE}_fts"
SIDE_COLUMNS = ("place", "name", "name_zh", "country", "country_name", "country_name_zh",
                "province", "region", "continent")
# The sides' values Amity facets on (facet name -> side column), as JSON arrays of distinct values.
SIDE_FACETS = {"countries": "country", "continents": "continent", "provinces": "province",
               "regions": "region"}
OWN_FACETS = ("level", "kind", "status", "source")
TEXT_COLUMNS = tuple(f"{c}_{s}" for s in "ab"
                     for c in ("name", "name_zh", "country_name", "country_name_zh"))
INDEXED = (*OWN_FACETS, "year", *(f"{c}_{s}" for s in "ab"
                                  for c in ("place", "country", "continent", "province", "region")))
COLUMNS = ("id", "kind", "level", "status", "source", "established", "year",
           *(f"{c}_{s}" for s in "ab" for c in SIDE_COLUMNS), *SIDE_FACETS)


def _sides(db: sqlite3.Connection) -> dict[int, tuple]:
    """Every place with a partnership: the side columns, in SIDE_COLUMNS order."""
    countries = {iso2: (en, zh, continent) for iso2, en, zh, continent in db.execute(
        "SELECT iso2, name_en, name_zh, continent FROM countries")}
    sides = {}
    for pid, name, name_zh, cc, province, region in db.execute(
        "SELECT id, name, name_zh, country_code, province_code, region3 FROM places "
        "WHERE id IN (SELECT place_a_id FROM partnerships "
        "UNION SELECT place_b_id FROM partnerships)"
    ):
        en, zh, continent = countries.get(cc, (cc, None, None))
        en, zh = country_labels(cc, en, zh) if cc in countries else (cc, None)
        sides[pid] = (pid, name, name_zh, cc, en, zh, province, region, continent)
    return sides


def _distinct(*values: str | None) -> str:
    return json.dumps(sorted({v for v in values if v}), ensure_ascii=False)


def build(database: Path, out: Path) -> dict:
    """Write the flat table, its indexes and its FTS5 index to `out` (replaced)."""
    started = time.perf_counter()
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    sides = _sides(source)
    rows = []
    for pid, a, b, kind, level, status, established, origin in source.execute(
        "SELECT id, place_a_id, place_b_id, kind, level, status, established, source "
        "FROM partnerships ORDER BY id"
    ):
        sa, sb = sides[a], sides[b]
        year = int(established[:4]) if established and established[:4].isdigit() else None
        arrays = [_distinct(sa[SIDE_COLUMNS.index(col)], sb[SIDE_COLUMNS.index(col)])
                  for col in SIDE_FACETS.values()]
        rows.append((pid, kind, level, status, origin, established, year, *sa, *sb, *arrays))
    source.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(out)
    typed = {"id": "INTEGER PRIMARY KEY", "year": "INTEGER", "place_a": "INTEGER",
             "place_b": "INTEGER"}
    db.execute(f"CREATE TABLE {TABLE} ("
               + ", ".join(f"{c} {typed.get(c, 'TEXT')}" for c in COLUMNS) + ")")
    db.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    for column in INDEXED:
        db.execute(f"CREATE INDEX ix_{column} ON {TABLE} ({column})")
    # What `sqlite-utils enable-fts --tokenize trigram` writes: an external-content FTS5 table.
    db.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5({', '.join(TEXT_COLUMNS)}, "
               f"content='{TABLE}', content_rowid='id', tokenize='trigram')")
    db.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
    db.execute("ANALYZE")
    db.commit()
    db.execute("VACUUM")
    db.close()
    return {"rows": len(rows), "seconds": round(time.perf_counter() - started, 1),
            "mib": round(out.stat().st_size / 2**20, 1)}


def metadata(database_name: str) -> dict:
    """Datasette's metadata for the flat table: the FTS index (raw mode: a quoted phrase is a
    substring) and Amity's eight facets as the table's default facets."""
    return {"databases": {database_name: {"tables": {TABLE: {
        "fts_table": FTS, "fts_pk": "id", "searchmode": "raw",
        "facets": [*OWN_FACETS, *({"array": name} for name in SIDE_FACETS)],
        "size": 50,
    }}}}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="Amity's SQLite file.")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(build(args.database, args.out)))


if __name__ == "__main__":
    main()

"""Published figures shipped in amity/data/official and the census table (see their README)."""

from __future__ import annotations

import csv
from pathlib import Path

from amity.places.service import DATA_DIR, read_facts

OFFICIAL_DIR = DATA_DIR / "official"


def read_official(name: str) -> list[dict[str, str]]:
    """Rows of one CSV file in data/official, e.g. read_official("cn_friendship_totals")."""
    path: Path = OFFICIAL_DIR / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def china_province_population() -> dict[str, int]:
    """Census 2020 population of the 31 mainland provincial-level divisions, by GB/T code."""
    return {row["adcode"]: int(row["population"]) for row in read_facts("cn_province_population")}


def china_provinces() -> dict[str, dict[str, str]]:
    """China's provincial-level divisions (names, regions) by GB/T code."""
    return {row["adcode"]: row for row in read_facts("cn_provinces")}

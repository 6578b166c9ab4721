"""Counting helpers that turn tallies into the row lists the statistics return."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from amity.analytics.snapshot import CountryInfo, PairInfo, PlaceInfo


def count_rows(counter: Counter, key: str, total: int | None = None) -> list[dict[str, Any]]:
    """[{key: value, "pairs": n, "share": n/total}] from the most to the least frequent."""
    whole = total if total is not None else sum(counter.values())
    return [
        {key: value, "pairs": n, "share": round(n / whole, 6) if whole else None}
        for value, n in sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))
    ]


def country_rows(
    counter: Counter, countries: dict[str, CountryInfo], total: int | None = None
) -> list[dict[str, Any]]:
    """count_rows by ISO code, with each country's names, continent and Belt-and-Road status."""
    rows = count_rows(counter, "iso2", total)
    for row in rows:
        info = countries.get(row["iso2"])
        row["name_en"] = info.name_en if info else row["iso2"]
        row["name_zh"] = info.name_zh if info else None
        row["continent"] = info.continent if info else None
        row["bri_status"] = info.bri_status if info else None
    return rows


def decade_rows(pairs: Iterable[PairInfo]) -> dict[str, Any]:
    """Pairs per decade of signing, and how many carry no year."""
    decades: Counter = Counter()
    undated = 0
    for pair in pairs:
        if pair.established_year is None:
            undated += 1
        else:
            decades[pair.established_year // 10 * 10] += 1
    rows = [{"decade": f"{d}s", "pairs": decades[d]} for d in sorted(decades)]
    return {"rows": rows, "dated": sum(decades.values()), "undated": undated}


def place_row(place: PlaceInfo, **extra: Any) -> dict[str, Any]:
    """The fields that name a place in any table."""
    return {
        "id": place.id,
        "name": place.name,
        "name_zh": place.name_zh,
        "country": place.country_code,
        **extra,
    }


def top_places(counter: Counter, places: dict[int, PlaceInfo], limit: int) -> list[dict[str, Any]]:
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [place_row(places[pid], partners=n) for pid, n in ranked]

"""A place's level as the pages show it, from its kind and finer admin_level.

The registry build gives every place a level (subdivision1, subdivision2, city, district);
Chinese divisions keep their GB/T 2260 kinds (province, municipality, prefecture_city...). Pages
and lists need one small vocabulary for both, so that a reader sees at once whether a partner is
a province or state, a second-order region (county, département), a city or a district.
"""

from __future__ import annotations

PLACE_LEVELS = ("subdivision1", "municipality", "subdivision2", "city", "district")

# Chinese first-level divisions other than the four municipalities (GB/T 2260 kinds).
_FIRST_ORDER = {"subdivision1", "province", "autonomous_region", "sar", "province_claimed"}


def place_level(kind: str, admin_level: str | None) -> str:
    """One of PLACE_LEVELS. A municipality (Beijing) is a city and a province at once."""
    if admin_level == "municipality":
        return "municipality"
    if admin_level in _FIRST_ORDER:
        return "subdivision1"
    if admin_level == "subdivision2":
        return "subdivision2"
    if admin_level == "district":
        return "district"
    return "subdivision1" if kind == "province" else "city"

"""Rules for the level of a place: first- or second-order subdivision, city, or district.

Subdivisions are recognised by ISO 3166-2 (pycountry: a code without a parent is first-order,
with one second-order) and by the unit word a name carries ("Pest County", "Pavia Province",
"Central Denmark Region"). A bare name that is also a town keeps the town: "Chiang Mai" is the
city, "Chiang Mai Province" the province.
"""

from __future__ import annotations

import gettext
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from amity.places.service import MainlandName, convert, is_chinese_name, name_key

LEVELS = ("subdivision1", "subdivision2", "city", "district")
# Unit words in English names and the order they usually denote (pycountry decides when it
# knows the name).
_FIRST = ("province", "region", "oblast", "voivodeship", "governorate", "state", "prefecture",
          "krai", "canton", "autonomous community", "land")
_SECOND = ("county", "department", "district", "municipality", "raion", "powiat", "regency")
_UNIT = re.compile(
    r"(?i)^(?:(.+?)\s+(" + "|".join(_FIRST + _SECOND) + r")|(?:" + "|".join(_FIRST + _SECOND)
    + r")\s+of\s+(.+))$")
# Korean provinces: "North Jeolla" is ISO's Jeollabuk-do, "South Gyeongsang" Gyeongsangnam-do.
_KO_DIRECTION = {"north": "buk", "south": "nam"}
_LOCAL_SUFFIX = re.compile(r"(?i)[\s-](do|gwangyeoksi|teukbyeolsi|teukbyeoljachido|"
                           r"teukbyeoljachisi|si|ken|fu|to|shi|megye|amt)$")


@dataclass(frozen=True)
class Subdivision:
    code: str  # ISO 3166-2
    name: str
    order: int  # 1 | 2
    parent: str | None


def _local_key(name: str) -> str:
    return name_key(_LOCAL_SUFFIX.sub("", name))


@lru_cache(maxsize=1)
def _subdivisions() -> dict[tuple[str, str], Subdivision]:
    found: dict[tuple[str, str], Subdivision] = {}
    for s in pycountry.subdivisions:
        parent = getattr(s, "parent_code", None)
        sub = Subdivision(s.code, s.name, 2 if parent else 1, parent)
        for key in sorted({name_key(s.name), _local_key(s.name)}):
            if key:
                found.setdefault((s.country_code, key), sub)
    return found


@lru_cache(maxsize=1)
def _first_order_words() -> dict[str, set[str]]:
    """Per country, the unit words ISO 3166-2 uses for its first-order subdivisions
    ("county" in Hungary, Romania, Ireland; "region" in Denmark)."""
    words: dict[str, set[str]] = defaultdict(set)
    for s in pycountry.subdivisions:
        if not getattr(s, "parent_code", None):
            words[s.country_code].update(s.type.lower().split())
    return words


def subdivision(name: str, country: str) -> Subdivision | None:
    """The ISO 3166-2 subdivision a name denotes in a country, if any."""
    table = _subdivisions()
    key = name_key(name)
    words = name.lower().split()
    if country == "KR" and len(words) == 2 and words[0] in _KO_DIRECTION:
        key = name_key(words[1] + _KO_DIRECTION[words[0]])
    return table.get((country, key)) or table.get((country, _local_key(name)))


def unit_word(name: str) -> tuple[str, str] | None:
    """("Pest", "county") for "Pest County"; ("Utah", "county"); None for a bare name.
    "Metro Manila" is a region ("metro" counts as first-order, "Greater ..." as second);
    "County Cork" is Cork county."""
    first, _, rest = name.strip().partition(" ")
    if rest and first.lower() in ("metro", "greater", "county"):
        return rest, "region" if first.lower() == "metro" else "county"
    match = _UNIT.match(name.strip())
    if not match:
        return None
    if match.group(1):
        return match.group(1), match.group(2).lower()
    word = name.strip().split()[0].lower()
    return match.group(3), word


def subdivision_level(name: str, country: str, is_town: bool) -> tuple[str, str | None] | None:
    """("subdivision1" | "subdivision2", ISO 3166-2 code or None) when the name is a region.

    is_town: whether GeoNames has a populated place of this name where the source put it; a
    bare name that is a town stays a town."""
    unit = unit_word(name)
    if unit is not None:
        stem, word = unit
        if word == "municipality" or (word == "district" and is_town):
            return None
        first = word in _FIRST or word in _first_order_words().get(country, set())
        found = subdivision(stem, country) or subdivision(name, country)
        # "Utah County" is not the state of Utah: a first-order code needs a first-order word.
        if found is not None and (found.order == 2 or first):
            return f"subdivision{found.order}", found.code
        return ("subdivision1" if first else "subdivision2"), None
    found = subdivision(name, country)
    if found is not None and not is_town:
        return f"subdivision{found.order}", found.code
    return None


def pair_level(a: str, b: str, a_municipality: bool = False, b_municipality: bool = False) -> str:
    """The level of a partnership from its sides' levels: province_state (two subdivisions; a
    Chinese municipality counts as provincial when its partner is a region), province_city,
    district (a side is a district or county-level unit), else city_city."""
    regions = {"subdivision1", "subdivision2"}
    sides = [a, b]
    if a_municipality and b in regions:
        sides[0] = "subdivision1"
    if b_municipality and a in regions:
        sides[1] = "subdivision1"
    if "district" in sides:
        return "district"
    count = sum(s in regions for s in sides)
    return ("city_city", "province_city", "province_state")[count]


@lru_cache(maxsize=1)
def _iso_codes_zh() -> gettext.NullTranslations:
    """The simplified-Chinese catalogue of ISO 3166-2 names that pycountry ships (Debian's
    iso-codes, zh_CN)."""
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"])


def subdivision_name_zh(code: str | None) -> MainlandName | None:
    """Rule: the Chinese name of an ISO 3166-2 subdivision from iso-codes' zh_CN catalogue, in
    mainland form ("DK-82" → 中日德兰大区, "US-UT" → 犹他州); None where the catalogue has no
    Han-script name (it keeps many in Latin script: "KR-45" stays Jeollabuk-do)."""
    found = pycountry.subdivisions.get(code=code) if code else None
    if found is None:
        return None
    name = _iso_codes_zh().gettext(found.name)
    if name == found.name or not is_chinese_name(name):
        return None
    return convert(name, country=found.country_code)

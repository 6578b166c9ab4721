"""Rule: the ISO 3166-1 code of a side, from the country the source wrote (or its point)."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from amity.places.service import name_key, read_facts

# Spellings of the sources that neither the facts file nor pycountry knows; parts of the United
# Kingdom and overseas departments are their sovereign country in ISO 3166-1 (GP, MQ, GF, RE and
# AX have codes of their own and are kept).
ALIASES = {
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "georgia country": "GE", "northern cyprus": "CY", "turkish republic of northern cyprus": "CY",
    "palestine": "PS", "west bank": "PS", "gaza strip": "PS",
    "palestinian national authority": "PS",
    "mandatory palestine": "PS", "state of palestine": "PS", "kosovo": "XK", "taiwan": "TW",
    "republic of ireland": "IE", "ivory coast": "CI", "surinam": "SR", "madagaskar": "MG",
    "grece": "GR", "kazakhstah": "KZ", "island": "IS", "moldavia": "MD", "east timor": "TL",
    "bosnia and hercegovina": "BA", "micronesia": "FM", "federated states of micronesia": "FM",
    "people s republic of china": "CN", "kingdom of romania": "RO", "the bahamas": "BS",
    "the gambia": "GM", "republic of the congo": "CG", "democratic republic of the congo": "CD",
    "sahrawi arab democratic republic": "EH", "somaliland": "SO", "cape verde": "CV",
    "czech republic": "CZ", "russia": "RU", "turkey": "TR", "brunei": "BN", "israel": "IL",
}


@lru_cache(maxsize=1)
def _known() -> dict[str, str]:
    codes = {}
    for row in read_facts("countries"):
        for name in (row["name_en"], row["name_en_iso"]):
            codes[name_key(name)] = row["iso2"]
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None),
                     getattr(country, "official_name", None)):
            if name:
                codes.setdefault(name_key(name), country.alpha_2)
    codes.update({name_key(k): v for k, v in ALIASES.items()})
    return codes


def country_code(raw: str) -> str | None:
    """ISO alpha-2 of a source's country text: "Wales, United Kingdom" and "Azores, Portugal"
    name their country last; "Rauma, Norway" too. None when nothing matches (listed as
    undecided)."""
    text = re.sub(r"[\U0001F1E6-\U0001F1FF]", "", raw or "").strip()
    if text.lower().startswith("in "):
        text = text[3:]
    known = _known()
    for part in (text, text.split(",", 1)[0], text.rsplit(",", 1)[-1]):
        key = name_key(part)
        code = known.get(key) if key else None
        if code:
            return code
    return None

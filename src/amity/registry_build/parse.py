"""Rules on how the sources write a place's name: district forms, qualifiers, name variants."""

from __future__ import annotations

import re
from dataclasses import dataclass

from amity.places.service import name_key

# "Vienna 9 – Alsergrund", "Seoul – Jongno": a city's page lists its district's partners.
_DASH = re.compile(r"^(.+?)\s+[–—-]\s+(.+)$")
# "Gangnam (Seoul)", "Prague 1 (Prague)", "Wujiang (Suzhou)", "Florida (Uruguay)".
_PAREN = re.compile(r"^(.+?)\s*\(([^()]+)\)$")
# "Budapest XIII", "Vienna 22", "Prague 1": numbered districts of a city.
_NUMBERED = re.compile(r"^(.+?)\s+(\d{1,2}|[IVXL]{1,6})$")
# Words that only say what kind of unit a name is ("Jongno District", "Jongno-gu").
_UNIT_WORDS = re.compile(
    r"(?i)[\s-]+(district|ward|borough|gu|ku|ward|city|municipality|town|lakes|metropolitan)$"
)
_GENERIC = {"lower", "upper", "metro", "greater", "city", "of", "the", "lakes", "district",
            "province", "region", "county", "municipality", "prefecture", "town"}


@dataclass(frozen=True)
class SplitName:
    """What a source's name says: the place's own name, a larger place it names as its parent
    (a district's city), and a qualifier to tell same-named places apart ("Jiangsu")."""

    name: str
    parent: str | None = None
    qualifier: str | None = None
    numbered: bool = False


def split_name(text: str) -> SplitName:
    """Read "City – District", "District (City)", "Name, Qualifier", "City 9" forms.

    Whether a parenthesis names a city (a district's parent) or a qualifier (a country, a
    province) is for the caller to decide against the gazetteer: both are returned as parent."""
    text = " ".join(text.split())
    if match := _DASH.match(text):
        left, right = match.groups()
        numbered = _NUMBERED.match(left)
        return SplitName(right, numbered.group(1) if numbered else left)
    if match := _PAREN.match(text):
        inner, outer = match.groups()
        return SplitName(inner, outer, numbered=bool(_NUMBERED.match(inner)))
    if "," in text:
        name, qualifier = (part.strip() for part in text.split(",", 1))
        return SplitName(name, qualifier=qualifier)
    if match := _NUMBERED.match(text):
        return SplitName(text, match.group(1), numbered=True)
    return SplitName(text)


def district_key(text: str) -> str:
    """Lookup key of a district's own name, without unit words: Jongno-gu = Jongno District."""
    return name_key(_UNIT_WORDS.sub("", text.strip()))


def significant_words(text: str) -> tuple[str, ...]:
    """The words of a name that identify it (generic words such as Lower, Lakes, Metro dropped)."""
    words = [name_key(w) for w in re.split(r"[\s\-–—/]+", text) if w]
    return tuple(w for w in words if w and w not in _GENERIC)


def name_variants(a: str, b: str) -> bool:
    """Whether two names can denote one place once generic words are set aside: Hutt / Lower Hutt,
    Rotorua / Rotorua Lakes, Manila / Metro Manila, Rhône-Alpes / Auvergne-Rhône-Alpes (the newer
    region contains the older one's words). The caller adds the distance condition."""
    wa, wb = significant_words(a), significant_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    short, long_ = (wa, wb) if len(wa) < len(wb) else (wb, wa)
    return any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))

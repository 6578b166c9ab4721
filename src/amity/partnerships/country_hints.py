"""Turning the country a register writes ("England, United Kingdom", "韩国") into an ISO code."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.places.models import Country

# Names found in real registers that are not the ISO or UN short names.
ALIASES = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "united kingdom": "GB",
    "英国": "GB",
    "usa": "US",
    "us": "US",
    "united states": "US",
    "united states of america": "US",
    "america": "US",
    "美国": "US",
    "russia": "RU",
    "russian federation": "RU",
    "俄罗斯": "RU",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "türkiye": "TR",
    "republic of ireland": "IE",
    "ireland": "IE",
    "palestine": "PS",
    "west bank": "PS",
    "state of palestine": "PS",
    "cape verde": "CV",
    "cabo verde": "CV",
    "northern cyprus": "CY",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "côte d'ivoire": "CI",
    "são tomé and príncipe": "ST",
    "sao tome and principe": "ST",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "republic of the congo": "CG",
    "moldavia": "MD",
    "moldova": "MD",
    "falkland islands": "FK",
    "east timor": "TL",
    "timor-leste": "TL",
    "bosnia and hercegovina": "BA",
    "bosnia": "BA",
    "surinam": "SR",
    "brunei": "BN",
    "micronesia": "FM",
    "federated states of micronesia": "FM",
    "madagaskar": "MG",
    "grece": "GR",
    "kazakhstah": "KZ",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "vietnam": "VN",
    "viet nam": "VN",
    "laos": "LA",
    "iran": "IR",
    "syria": "SY",
    "burma": "MM",
    "macedonia": "MK",
    "north macedonia": "MK",
    "swaziland": "SZ",
    "vatican city": "VA",
    "holy see": "VA",
    "the bahamas": "BS",
    "the gambia": "GM",
    "taiwan": "TW",
    "hong kong": "HK",
    "macau": "MO",
    "macao": "MO",
    "prc": "CN",
    "people's republic of china": "CN",
    "中华人民共和国": "CN",
    "中国": "CN",
    "韩国": "KR",
    "朝鲜": "KP",
    "日本": "JP",
    "中国香港": "HK",
    "香港": "HK",
    "中国澳门": "MO",
    "澳门": "MO",
    "中国台湾": "TW",
    "台湾": "TW",
    "kosovo": "XK",
    "reunion": "RE",
    "réunion": "RE",
}


class CountryHints:
    """ISO 3166-1 alpha-2 code for a country as written, from the countries table and aliases."""

    def __init__(self, session: Session):
        self._codes: dict[str, str] = {}
        for country in session.scalars(select(Country)):
            for name in (country.iso2, country.iso3, country.name_en, country.name_zh):
                if name:
                    self._codes.setdefault(name.casefold(), country.iso2)
        for name, code in ALIASES.items():
            self._codes.setdefault(name, code)

    def code(self, text: str | None) -> str | None:
        """The ISO code, trying each part of "Territory, Country" and dropping "(country)"."""
        text = re.sub(r"\s*\([^)]*\)", "", (text or "")).strip()
        if not text:
            return None
        if re.fullmatch(r"in\s+.+", text, flags=re.IGNORECASE):
            text = text[3:].strip()
        for candidate in (text, *text.split(",")):
            code = self._codes.get(candidate.strip().casefold())
            if code:
                return code
        return None

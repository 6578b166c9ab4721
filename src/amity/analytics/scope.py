"""What the statistics count: all partnerships, or those with one continent or one country.

Two parameters, never one code that could be either: `continent` takes a continent's English
name (Africa, …) and `country` an ISO 3166-1 alpha-2 code (AF is Afghanistan, never Africa). A
value that is neither is refused with the values allowed, and with the other parameter's name
when the value belongs there (continent=AF, country=Africa).
"""

from __future__ import annotations

from dataclasses import dataclass

from amity.analytics.snapshot import PairInfo, Snapshot
from amity.core import i18n
from amity.core.errors import InvalidInput

# The continents of the gazetteer (countries.csv), in the order the pages list them.
CONTINENTS = ("Africa", "Asia", "Europe", "North America", "South America", "Oceania",
              "Antarctica")  # fmt: skip
COUNTRY_FORMAT = "an ISO 3166-1 alpha-2 code, e.g. CN, FR, KE"


@dataclass(frozen=True)
class Scope:
    """At most one of continent (a name of CONTINENTS) and country (an ISO code)."""

    continent: str | None = None
    country: str | None = None

    @property
    def key(self) -> str:
        """For cache keys: "", "continent:Africa" or "country:FR"."""
        if self.continent:
            return f"continent:{self.continent}"
        return f"country:{self.country}" if self.country else ""

    def holds(self, snap: Snapshot, iso2: str) -> bool:
        """Whether a place of country `iso2` is within the scope."""
        if self.country:
            return iso2 == self.country
        if self.continent:
            info = snap.countries.get(iso2)
            return info is not None and info.continent == self.continent
        return True

    def pairs(self, snap: Snapshot) -> list[PairInfo]:
        """The pairs with at least one side within the scope."""
        if not self.key:
            return snap.pairs
        return [
            pair
            for pair in snap.pairs
            if self.holds(snap, snap.places[pair.a].country_code)
            or self.holds(snap, snap.places[pair.b].country_code)
        ]

    def describe(self, snap: Snapshot) -> dict:
        """The scope as the JSON answers it, named, so that no code is left to guess."""
        if self.country:
            info = snap.countries[self.country]
            return {"continent": None, "country": self.country, "name_en": info.name_en,
                    "name_zh": info.name_zh}  # fmt: skip
        name_zh = i18n.translations("zh").gettext(self.continent) if self.continent else None
        return {"continent": self.continent, "country": None, "name_en": self.continent,
                "name_zh": name_zh}  # fmt: skip


def resolve_scope(snap: Snapshot, continent: str | None, country: str | None) -> Scope:
    """The scope from the query's values, or InvalidInput saying what is allowed."""
    continent = (continent or "").strip() or None
    country = (country or "").strip() or None
    if continent and country:
        raise InvalidInput(
            "Choose a continent or a country, not both.",
            {"continent": continent, "country": country},
        )
    if continent:
        return Scope(continent=resolve_continent(snap, continent))
    if country:
        return Scope(country=resolve_country(snap, country))
    return Scope()


def resolve_continent(snap: Snapshot, value: str) -> str:
    by_name = {name.casefold(): name for name in CONTINENTS}
    if value.casefold() in by_name:
        return by_name[value.casefold()]
    message = f"Unknown continent: {value}. Allowed: {', '.join(CONTINENTS)}."
    if value.upper() in snap.countries:
        name = snap.countries[value.upper()].name_en
        message += f" {value.upper()} is the country code of {name}: use country={value.upper()}."
    raise InvalidInput(message, {"continent": value, "allowed": CONTINENTS})


def resolve_country(snap: Snapshot, value: str, parameter: str = "country") -> str:
    code = value.upper()
    if code in snap.countries:
        return code
    noun = "home country" if parameter == "home" else "country"
    message = f"Unknown {noun}: {value}. Use {COUNTRY_FORMAT}."
    if value.casefold() in {name.casefold() for name in CONTINENTS}:
        message += f" {value} is a continent: use continent={value}."
    raise InvalidInput(
        message, {parameter: value, "allowed": COUNTRY_FORMAT, "list": "/api/v1/dashboard"}
    )

"""Matchmaking settings: excluded countries, the one-partner-per-level rule, strategy weights.

Defaults below; a TOML file named by AMITY_MATCHING_CONFIG overrides any of them, e.g.

    excluded_countries = ["XK"]
    one_home_partner_per_level = true
    max_new_per_place = 2
    [strategy]
    belt_and_road = 0.5
    [strategy.continents]
    Africa = 0.6
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from amity.core.settings import get_settings

DEFAULT_CONTINENT_BOOST = {"Africa": 0.6, "South America": 0.6, "Oceania": 0.3}
DEFAULT_SUBREGION_BOOST = {"Latin America and the Caribbean": 0.3, "Central Asia": 0.3}


@dataclass(frozen=True)
class MatchingSettings:
    excluded_countries: tuple[str, ...] = ()
    one_home_partner_per_level: bool = True
    max_new_per_place: int = 2
    # Added to the score (in logit units) of a candidate on the side of the policy.
    belt_and_road: float = 0.5
    continents: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CONTINENT_BOOST))
    subregions: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SUBREGION_BOOST))
    # Logit units per shared field of cooperation or matched need/offer in declared profiles.
    profile_per_match: float = 0.8
    # How much the plan values one unit of layout improvement against one unit of suitability.
    balance_weight: float = 2.0


def matching_settings() -> MatchingSettings:
    """The defaults, overridden by the TOML file at AMITY_MATCHING_CONFIG when it is set."""
    path = get_settings().matching_config
    if path is None:
        return MatchingSettings()
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    strategy = data.pop("strategy", {})
    values = {**data, **{k: v for k, v in strategy.items() if k != "continents"}}
    if "continents" in strategy:
        values["continents"] = dict(strategy["continents"])
    if "excluded_countries" in values:
        values["excluded_countries"] = tuple(c.upper() for c in values["excluded_countries"])
    return MatchingSettings(**values)

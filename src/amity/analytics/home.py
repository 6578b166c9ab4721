"""The home country's view of the registry: which pairs are foreign, which side is home.

When the home country is China, Hong Kong, Macao and Taiwan (ISO codes HK, MO, TW in the data) are
regions of China: they are not foreign partner countries, a pair between mainland China and one of
them is domestic, and their own foreign pairs are counted apart (the official Chinese totals count
mainland places only).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from amity.analytics.snapshot import PairInfo, PlaceInfo, Snapshot
from amity.core.conventions import home_members


@dataclass(frozen=True, slots=True)
class HomePair:
    """A pair between a place of the home country proper and a foreign place."""

    pair: PairInfo
    home: PlaceInfo
    partner: PlaceInfo


@dataclass(frozen=True)
class HomeView:
    home: str
    members: frozenset[str]
    foreign: list[HomePair]
    domestic: int
    # Foreign pairs of HK/MO/TW (home CN): not in the home totals.
    regions_foreign: int
    # The same by region code (TW: 12), for the map of China that draws them labelled apart.
    regions_foreign_by: dict[str, int] = field(default_factory=dict)


def home_view(snapshot: Snapshot, home: str) -> HomeView:
    """Split the pairs touching the home country into foreign, domestic and regions' pairs."""
    members = home_members(home)
    foreign: list[HomePair] = []
    domestic = 0
    regions: Counter = Counter()
    for pair in snapshot.pairs:
        a, b = snapshot.places[pair.a], snapshot.places[pair.b]
        a_in, b_in = a.country_code in members, b.country_code in members
        if a_in and b_in:
            domestic += 1
        elif a_in or b_in:
            inside, outside = (a, b) if a_in else (b, a)
            if inside.country_code == home:
                foreign.append(HomePair(pair, inside, outside))
            else:
                regions[inside.country_code] += 1
    return HomeView(home, members, foreign, domestic, regions.total(), dict(regions))

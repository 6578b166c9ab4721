"""Levels in twinning terms: which places a place is offered, and which pairs fill a slot.

A place's level is amity.places.service.place_level's (from its kind and finer admin_level):
subdivision1 (a province, autonomous region, state, Japanese prefecture, Korean do...),
municipality (Beijing, Shanghai, Tianjin, Chongqing), subdivision2 (a county, département),
city (any other city: China's sub-provincial and prefecture-level cities, autonomous
prefectures and leagues, county-level cities, and cities abroad) or district (a district, ward,
borough or county-level unit inside a city).

What an office expects (China's own definition: provinces, autonomous regions and
municipalities and their cities pair with foreign provinces, states, prefectures, regions and
with foreign cities):

- a province or state is offered provinces and states, and the municipalities (which are
  provincial-level);
- a municipality is a city and a province at once: it is offered cities, provinces and states;
- a city is offered cities (municipalities included);
- a district or county is offered districts and cities: nine in ten pairs of Chinese districts
  on the registry are with a foreign city (districts of a municipality are as large as cities);
- a county or département abroad is offered cities: China has no such unit that twins abroad,
  and its prefecture-level cities are the second-order divisions it pairs with. Chinese places
  are not offered counties or départements in return (a city is offered cities).

The one-partner rule: a foreign place pairs with one home place per slot. The slot of a pair is
the home side's level in twinning terms: "province" for a province, "district" for a district,
"city" for anything else; a municipality fills the "province" slot with a province or state and
the "city" slot with a city (Seoul's pair with Beijing fills Seoul's city slot).
"""

from __future__ import annotations

import numpy as np

from amity.matching.candidates import MatchIndex
from amity.places.service import place_level

LEVELS = ("subdivision1", "municipality", "subdivision2", "city", "district")
CODE = {level: i for i, level in enumerate(LEVELS)}
SUBDIVISION1, MUNICIPALITY, SUBDIVISION2, CITY, DISTRICT = range(len(LEVELS))
OFFERED = {
    "subdivision1": ("subdivision1", "municipality"),
    "municipality": ("city", "municipality", "subdivision1"),
    "subdivision2": ("city", "municipality"),
    "city": ("city", "municipality"),
    "district": ("district", "city"),
}
SLOTS = ("province", "city", "district")
PROVINCE_SLOT, CITY_SLOT, DISTRICT_SLOT = range(len(SLOTS))


def level_of(kind: str, admin_level: str | None) -> int:
    """A place's level as a code (an index into LEVELS)."""
    return CODE[place_level(kind, admin_level)]


def index_levels(index: MatchIndex, admin_levels: dict[int, str | None]) -> np.ndarray:
    """Each place's level code, worked out once per index (admin_levels: place id -> level)."""
    if index.levels is None or len(index.levels) != index.size:
        index.levels = np.array(
            [level_of(p.kind, admin_levels.get(p.id)) for p in index.places], dtype=np.int8
        )
    return index.levels


def offered(level: int, levels: np.ndarray) -> np.ndarray:
    """Which places (by their level codes) a place at `level` is offered."""
    return np.isin(levels, [CODE[lv] for lv in OFFERED[LEVELS[level]]])


def slots(home: np.ndarray | int, foreign: np.ndarray | int) -> np.ndarray:
    """The slot a pair of a home place and a foreign place fills (by their level codes)."""
    home, foreign = np.broadcast_arrays(np.asarray(home), np.asarray(foreign))
    slot = np.full(home.shape, CITY_SLOT, dtype=np.int8)
    slot[home == SUBDIVISION1] = PROVINCE_SLOT
    slot[(home == MUNICIPALITY) & (foreign == SUBDIVISION1)] = PROVINCE_SLOT
    slot[home == DISTRICT] = DISTRICT_SLOT
    return slot


def filled_slots(index: MatchIndex, levels: np.ndarray, in_home: np.ndarray) -> np.ndarray:
    """filled[s, p]: foreign place p already pairs with a home place in slot s."""
    filled = np.zeros((len(SLOTS), index.size), dtype=bool)
    owners, partners = index.owners, index.indices
    if owners is None or not len(partners):
        return filled
    cross = in_home[owners] & ~in_home[partners]
    home, foreign = owners[cross], partners[cross]
    filled[slots(levels[home], levels[foreign]), foreign] = True
    return filled

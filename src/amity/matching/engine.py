"""The recommender's state for the registry as it is: index, learned model, home-side levels.

Built once per change to the registry (amity.core.cache, by registry version), so a warm
recommendation is array arithmetic over the registry's places. What the one-partner-per-level
rule needs is worked out here too (which foreign places already pair with a home place at each
level), not per query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analytics import service as analytics
from amity.analytics.service import Snapshot
from amity.core.conventions import home_country, home_members
from amity.matching.candidates import MatchIndex, build_index, registry_places
from amity.matching.features import country_shares
from amity.matching.logit import PairModel, SegmentedModel, learn
from amity.partnerships.service import registry_cached
from amity.places.models import Place


@dataclass(frozen=True)
class Engine:
    snapshot: Snapshot
    index: MatchIndex
    model: SegmentedModel | PairModel
    shares: np.ndarray
    # Administrative level of the places that record one (GB/T levels for China).
    levels: dict[int, str | None]
    home: frozenset[str]
    # in_home[p]: the place is in the home country (its regions included).
    in_home: np.ndarray
    # foreign_at_level[L]: foreign places already paired with a home place at level L.
    foreign_at_level: dict[str, np.ndarray]
    # home_at_level[L]: home places at level L.
    home_at_level: dict[str, np.ndarray]


def engine(session: Session) -> Engine:
    """The recommender for the registry's current state (and the configured home country)."""
    return registry_cached(session, f"matching:engine:{home_country()}", lambda: _build(session))


def _build(session: Session) -> Engine:
    snap = analytics.snapshot(session)
    # Every place of the registry is a candidate, partnered or not (and the model learns among
    # them, as the evaluation ranks among them): a place without a partnership yet is no outlier.
    index = build_index(snap, extra=registry_places(session))
    levels = dict(
        session.execute(
            select(Place.id, Place.admin_level).where(Place.admin_level.is_not(None))
        ).all()
    )
    home = home_members()
    in_home = np.isin(index.country, [index.country_pos[c] for c in home if c in index.country_pos])
    level_of = np.array([levels.get(int(pid)) or "" for pid in index.ids.tolist()], dtype=object)
    foreign_at_level: dict[str, np.ndarray] = {}
    home_at_level: dict[str, np.ndarray] = {}
    for level in sorted({lv for lv in levels.values() if lv}):
        home_at_level[level] = in_home & (level_of == level)
        mask = np.zeros(index.size, dtype=bool)
        if index.edges:
            edges = np.array(index.edges, dtype=np.int64)
            for a, b in ((edges[:, 0], edges[:, 1]), (edges[:, 1], edges[:, 0])):
                hit = home_at_level[level][a] & ~in_home[b]
                mask[b[hit]] = True
        foreign_at_level[level] = mask
    return Engine(
        snap, index, learn(index), country_shares(index), levels, home, in_home,
        foreign_at_level, home_at_level,
    )  # fmt: skip

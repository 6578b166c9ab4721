"""The recommender's state for the registry as it is: index, learned model, home-side levels.

Built once per change to the partnerships (analytics cache), so a warm recommendation is array
arithmetic over the network's places.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analytics import cache
from amity.analytics import service as analytics
from amity.analytics.snapshot import Snapshot
from amity.matching.features import country_shares
from amity.matching.index import MatchIndex, build_index
from amity.matching.model import PairModel, learn
from amity.places.models import Place


@dataclass(frozen=True)
class Engine:
    snapshot: Snapshot
    index: MatchIndex
    model: PairModel
    shares: np.ndarray
    # Administrative level of the places that record one (GB/T levels for China).
    levels: dict[int, str | None]


def engine(session: Session) -> Engine:
    """The recommender for the registry's current state."""
    return cache.cached(session, "matching:engine", lambda: _build(session))


def _build(session: Session) -> Engine:
    snap = analytics.snapshot(session)
    index = build_index(snap)
    levels = dict(
        session.execute(select(Place.id, Place.admin_level).where(Place.admin_level.is_not(None)))
        .tuples()
        .all()
    )
    return Engine(snap, index, learn(index), country_shares(index), levels)

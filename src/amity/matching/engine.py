"""The recommender's state for the registry as it is: index, learned model, home-side levels.

Built once per change to the registry, so a warm recommendation is array arithmetic over the
registry's places. After a write the previous state keeps answering (stamped `as_of`) while the
new one is built in the background (amity.core.warm); the build reads the stored weights
(amity.matching.model_store) and learns them only when there are none, when they are due, or
when asked. The places' levels are read here too (the one-partner rule and the level-true
candidates of amity.matching.levels work from them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analytics import service as analytics
from amity.analytics.service import Snapshot
from amity.core import warm
from amity.core.conventions import home_country, home_members
from amity.core.db import session_scope
from amity.core.warm import Stamp
from amity.matching import engine_file, model_store
from amity.matching.candidates import MatchIndex, build_index, registry_places
from amity.matching.diversity import Diversity
from amity.matching.features import country_shares
from amity.matching.logit import PairModel, SegmentedModel
from amity.partnerships.service import registry_latest, registry_version
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
    # When the weights were learned, and from how many partnerships.
    learned: model_store.Learned | None = None
    # The diversity penalties of foreign places for home askers (amity.matching.diversity).
    diversity: Diversity | None = None
    # The registry state served (set per answer by `engine`).
    as_of: Stamp | None = None


def _name() -> str:
    return f"matching:engine:{home_country()}"


def engine(session: Session, *, wait: bool = False) -> Engine:
    """The recommender for the registry's current state (and the configured home country), or
    for the state before the latest write while that one is built (`as_of.current` false).
    With `wait`, the current one (commands that exit)."""
    latest = registry_latest(session, _name(), _build, wait=wait)
    return replace(latest.value, as_of=latest.stamp)


def engine_if_ready(session: Session) -> Engine | None:
    """The engine if one is in memory (the current state's or the one before); None while the
    first one is still being built (at a server's start)."""
    # Not started from here: a build committing its weights while a submission's SQLite
    # transaction is open would make that submission's write fail; `amity serve` warms it.
    found = warm.ready(session, _name(), registry_version(session), _build, None,
                       version_of=registry_version, start=False)  # fmt: skip
    return None if found is None else replace(found.value, as_of=found.stamp)


def engine_knowing(session: Session, place_id: int) -> Engine:
    """The engine, waiting for the current one if the served one does not know the place (added
    since the state it describes)."""
    eng = engine(session)
    if place_id not in eng.index.pos and not (eng.as_of and eng.as_of.current):
        eng = engine(session, wait=True)
    return eng


def relearn(session: Session) -> model_store.Learned:
    """Learn the weights from the registry as it is now, store them and serve them from now on
    in this process (other processes take them up at their next build)."""
    version = registry_version(session)
    index = _index(session)
    learned = model_store.learn_and_store(session, home_country(), index)
    levels = _levels(session)
    eng = _balanced(session, _assemble(session, index, learned, levels))
    kept = (_diversity_key(learned), eng.diversity)
    engine_file.save_later(session, version, index, levels, kept)
    warm.keep(session, _name(), version, eng)
    return learned


def _index(session: Session) -> MatchIndex:
    # Every place of the registry is a candidate, partnered or not (and the model learns among
    # them, as the evaluation ranks among them): a place without a partnership yet is no outlier.
    return build_index(analytics.snapshot(session), extra=registry_places(session))


def _model(session: Session, index: MatchIndex) -> model_store.Learned:
    """The stored weights (learned again in the background when due), or, when there are none,
    learned now: by this process, or by another one that is at it already (then awaited)."""
    home = home_country()
    learned = model_store.stored(session, home, index)
    if learned is None:
        engine_ = session.get_bind().engine

        def ready() -> model_store.Learned | None:
            with session_scope(engine_) as other:
                return model_store.stored(other, home, index)

        learned = warm.exclusive(
            session, model_store.name(home), ready,
            lambda: model_store.learn_and_store(session, home, index),
        )  # fmt: skip
    elif model_store.due(learned, index, warm.now()):
        warm.REFRESHES.start(("relearn", home), lambda: _relearn_with(session.get_bind().engine))
    return learned


def _relearn_with(engine_) -> None:
    if not warm.take_lease(engine_, model_store.name(home_country())):
        return  # another process is learning them
    try:
        with session_scope(engine_) as session:
            relearn(session)
    except BaseException:
        warm.release(engine_, model_store.name(home_country()))
        raise


def _build(session: Session) -> Engine:
    # The version is read before the data: a write in between then only makes the saved file
    # describe a later state than its version says, a version no process will ask for again.
    version = registry_version(session)
    saved = engine_file.load(session, version)
    if saved is None:
        index, levels, kept = _index(session), _levels(session), None
    else:
        index, levels, kept = saved
    learned = _model(session, index)
    eng = _assemble(session, index, learned, levels)
    key = _diversity_key(learned)
    if kept is not None and kept[0] == key:
        return replace(eng, diversity=kept[1])
    eng = _balanced(session, eng)
    engine_file.save_later(session, version, index, levels, (key, eng.diversity))
    return eng


def _balanced(session: Session, eng: Engine) -> Engine:
    """The engine with its diversity penalties, worked out once per registry state (from every
    home prefecture-level city's list: seconds on the demo registry, not per request)."""
    # Imported here: it draws the lists up as `recommend` does, and recommend reads this module.
    from amity.matching.diversity import for_engine

    return replace(eng, diversity=for_engine(session, eng))


def _diversity_key(learned: model_store.Learned) -> str:
    """What the saved penalties depend on besides the registry: the weights, the settings and
    the rules that draw the lists up (a new Amity's rules make them be worked out again)."""
    from amity.matching import diversity, recommend
    from amity.matching.settings import matching_settings

    digest = hashlib.sha256()
    for module in (diversity, recommend):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(repr(matching_settings()).encode())
    return f"{learned.learned_at.isoformat()}|{digest.hexdigest()[:16]}"


def _levels(session: Session) -> dict[int, str]:
    return dict(
        session.execute(
            select(Place.id, Place.admin_level).where(Place.admin_level.is_not(None))
        ).all()
    )


def _assemble(
    session: Session, index: MatchIndex, learned: model_store.Learned, levels: dict[int, str]
) -> Engine:
    snap = analytics.snapshot(session)
    home = home_members()
    in_home = np.isin(index.country, [index.country_pos[c] for c in home if c in index.country_pos])
    return Engine(
        snap, index, learned.model, country_shares(index), levels, home, in_home, learned
    )

"""Partner matching: what the API, the CLI, the pages and other domains call.

Recommendations, the layout plan, the partner-seeking board, declared profiles and the
hold-out evaluation are worked out in their modules (recommend, plan, board, profiles,
evaluate); this module is their one door, with the few reads the pages need beside them.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analytics import service as analytics
from amity.analytics.service import PlaceInfo, Snapshot
from amity.core.conventions import home_country
from amity.core.errors import NotFound
from amity.core.i18n import translations
from amity.core.progress import Progress, silent
from amity.matching import model_store
from amity.matching.candidates import registry_places
from amity.matching.engine import engine, engine_if_ready, engine_knowing, relearn
from amity.matching.evaluate import DIVERSE as DIVERSE
from amity.matching.evaluate import METRIC_KEYS as METRIC_KEYS
from amity.matching.evaluate import MIN_DATED as MIN_DATED
from amity.matching.evaluate import POOLS as POOLS
from amity.matching.evaluate import SPLITS as SPLITS
from amity.matching.evaluate import evaluate, summary
from amity.matching.factors import TITLES
from amity.matching.model_store import Learned
from amity.matching.recommend import score_all
from amity.matching.settings import matching_settings as matching_settings
from amity.places.models import Country, Place


def place(session: Session, place_id: int) -> Place:
    """The place with this id, or NotFound."""
    found = session.get(Place, place_id)
    if found is None:
        raise NotFound(f"No place with id {place_id}", {"place": place_id})
    return found


def continents(session: Session) -> list[str]:
    """The continents the registry's countries lie on (a note may seek one), sorted."""
    query = select(Country.continent).where(Country.continent.is_not(None)).distinct()
    return sorted(session.scalars(query))


def home_provinces(session: Session) -> list[Place]:
    """The provinces of the home country with a GB/T code (what a plan can be made for)."""
    query = (
        select(Place)
        .where(Place.kind == "province", Place.country_code == home_country(),
               Place.province_code.is_not(None))
        .order_by(Place.province_code)
    )  # fmt: skip
    return list(session.scalars(query))


def factor_titles(locale: str) -> dict[str, str]:
    """Each factor's title in the locale."""
    gettext = translations(locale).gettext
    return {factor: gettext(en) for factor, (en, _) in TITLES.items()}


class RecommenderWarming(Exception):
    """The recommender is still being built after a start (its score is advice: go on without)."""


def pair_score(
    session: Session, place: Place, partner: Place, *, wait: bool = True
) -> float | None:
    """The recommender's score for the pair; None when the partner is not among its candidates.
    Without `wait`, RecommenderWarming while the recommender is still being built (its first
    build after a start may take a minute: a proposal's submission does not wait for it)."""
    if wait:
        eng = engine_knowing(session, place.id)
    else:
        eng = engine_if_ready(session)
        if eng is None or place.id not in eng.index.pos:
            raise RecommenderWarming
    position = eng.index.pos.get(partner.id)
    if position is None:
        return None
    scored = score_all(session, eng, place, matching_settings())
    return round(float(scored["total"][position]), 4)


def warm(session: Session) -> None:
    """Have the recommender ready (`amity serve` warms each worker at start): the candidates'
    arrays are built and the stored weights read (learned, when there are none). A registry
    without partnerships has nothing to learn from: said once, not a traceback per start."""
    try:
        engine(session)
    except model_store.NothingToLearn as error:
        logging.getLogger(__name__).info("recommender not warmed: %s", error.message)


def learn(session: Session) -> Learned:
    """Learn the recommender's weights again now, from the registry as it is (on demand)."""
    return relearn(session)


Inputs = tuple[Snapshot, list[PlaceInfo], dict[int, str | None]]


def evaluation_inputs(session: Session) -> Inputs:
    """What the evaluation reads from the database: the network, every registry place and the
    places' administrative levels (read first, so that the minutes of ranking hold no
    transaction open)."""
    levels = dict(session.execute(
        select(Place.id, Place.admin_level).where(Place.admin_level.is_not(None))
    ).all())  # fmt: skip
    return analytics.snapshot(session), registry_places(session), levels


def evaluation(
    inputs: Inputs, *, seeds: list[int] | tuple[int, ...] = (0,), progress: Progress = silent,
    splits: list[str] | tuple[str, ...] = SPLITS, min_dated: int = MIN_DATED, every: int = 1,
) -> dict[str, Any]:  # fmt: skip
    """Hide a tenth of the partnerships and rank each hidden partner: Amity against baselines,
    per split, slice and candidate pool, for each seed, with the mean over seeds and the
    targets (amity.matching.evaluate)."""
    snap, places, levels = inputs
    runs = [
        evaluate(snap, seed=seed, progress=progress, extra=places, levels=levels, splits=splits,
                 min_dated=min_dated, every=every)
        for seed in seeds
    ]  # fmt: skip
    return {"runs": runs, "summary": summary(runs)}


def live_diversity(session: Session) -> dict[str, Any]:
    """The diversity re-ranking of the live recommendations: over the top-10 lists of the home
    prefecture-level cities, the largest share of lists a foreign place is in, before and after."""
    found = engine(session, wait=True).diversity
    return found.as_dict() if found else {"lists": 0}


# The work itself is done in the modules beside this one; the API, the CLI, the pages and other
# domains reach it through these names (docs/architecture.md).
from amity.matching.board import close_note as close_note
from amity.matching.board import list_notes as list_notes
from amity.matching.board import matches as matches
from amity.matching.board import post_note as post_note
from amity.matching.models import SIZES as SIZES
from amity.matching.plan import MAX_NEW as MAX_NEW
from amity.matching.plan import plan as plan
from amity.matching.profiles import LISTS as LISTS
from amity.matching.profiles import get_profile as get_profile
from amity.matching.profiles import save_profile as save_profile
from amity.matching.recommend import CONTINENTS as CONTINENTS
from amity.matching.recommend import MAX_K as MAX_K
from amity.matching.recommend import REGIONS as REGIONS
from amity.matching.recommend import UNDER_REPRESENTED_BELOW as UNDER_REPRESENTED_BELOW
from amity.matching.recommend import figures as figures
from amity.matching.recommend import recommend as recommend

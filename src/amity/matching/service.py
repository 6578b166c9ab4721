"""Partner matching: what the API, the CLI, the pages and other domains call.

Recommendations, the layout plan, the partner-seeking board, declared profiles and the
hold-out evaluation are worked out in their modules (recommend, plan, board, profiles,
evaluate); this module is their one door, with the few reads the pages need beside them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.analytics import service as analytics
from amity.analytics.service import PlaceInfo, Snapshot
from amity.core.conventions import home_country
from amity.core.errors import NotFound
from amity.core.i18n import translations
from amity.core.progress import Progress, silent
from amity.matching.candidates import registry_places
from amity.matching.engine import engine, engine_if_ready, engine_knowing, relearn
from amity.matching.evaluate import ENDS as ENDS
from amity.matching.evaluate import METRIC_KEYS as METRIC_KEYS
from amity.matching.evaluate import MIN_DATED as MIN_DATED
from amity.matching.evaluate import evaluate
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
    arrays are built and the stored weights read (learned, when there are none)."""
    engine(session)


def learn(session: Session) -> Learned:
    """Learn the recommender's weights again now, from the registry as it is (on demand)."""
    return relearn(session)


def evaluation_inputs(session: Session) -> tuple[Snapshot, list[PlaceInfo]]:
    """What the evaluation reads from the database: the network and every registry place (read
    first, so that the minutes of ranking hold no transaction open)."""
    return analytics.snapshot(session), registry_places(session)


def evaluation(
    inputs: tuple[Snapshot, list[PlaceInfo]], *, seed: int = 0, progress: Progress = silent,
    keep_places: bool = True, min_dated: int = MIN_DATED,
) -> dict[str, Any]:  # fmt: skip
    """Hide a tenth of the partnerships and rank each hidden partner: Amity against baselines
    (and the temporal split where signing years allow it)."""
    snap, places = inputs
    return evaluate(
        snap, seed=seed, progress=progress, extra=places, keep_places=keep_places,
        min_dated=min_dated,
    )  # fmt: skip


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
from amity.matching.recommend import recommend as recommend

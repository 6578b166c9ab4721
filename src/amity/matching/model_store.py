"""The recommender's learned weights, kept in the database and re-learned on a schedule or on
demand, not on every write.

Learning takes most of the recommender's build (12 s and 0.8 GB at the demo's size, minutes at
100×) and its weights barely move when a few partnerships change. So the weights are stored
(`warm_states`, as JSON: they are a few hundred numbers) with when and from how many ties they
were learned; a worker that starts, or that sees a write, builds only the candidates' arrays and
scores them with the stored weights. They are learned again in the background when they are
older than `AMITY_MODEL_MAX_AGE_DAYS` or the registry's partnerships have changed by more than
`AMITY_MODEL_DRIFT` since, and at once with `amity recommend-learn`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from amity.core import warm
from amity.core.errors import N_, Conflict
from amity.core.settings import get_settings
from amity.matching.candidates import MatchIndex
from amity.matching.features import NAMES
from amity.matching.logit import PairModel, SegmentedModel, learn, segment_of

FORMAT = 1


@dataclass(frozen=True)
class Learned:
    """Stored weights, with what they were learned from."""

    model: SegmentedModel | PairModel
    learned_at: dt.datetime
    ties: int


def name(home: str) -> str:
    return f"matching:model:{home}"


def _weights(m: PairModel) -> dict:
    return {"weights": m.weights.tolist(), "intercept": m.intercept, "means": m.means.tolist(),
            "positives": m.positives, "negatives": m.negatives}  # fmt: skip


def _pair_model(m: dict) -> PairModel:
    return PairModel(np.array(m["weights"]), float(m["intercept"]), np.array(m["means"]),
                     int(m["positives"]), int(m["negatives"]))  # fmt: skip


def dump(model: SegmentedModel | PairModel, ties: int) -> bytes:
    head = {"format": FORMAT, "features": list(NAMES), "ties": ties}
    if isinstance(model, PairModel):  # one set of weights for every query
        return json.dumps(head | {"single": _weights(model)}).encode("utf-8")
    segments = {seg: _weights(m) for seg, m in model.models.items()}
    return json.dumps(head | {
        "segments": segments, "segment_ties": model.ties, "pooled": sorted(model.pooled),
    }).encode("utf-8")  # fmt: skip


def load(payload: bytes, index: MatchIndex) -> tuple[SegmentedModel | PairModel, int] | None:
    """The stored weights for this index's countries; None if stored by an Amity whose
    features differ (they are then learned again)."""
    data = json.loads(payload)
    if data.get("format") != FORMAT or data.get("features") != list(NAMES):
        return None
    if "single" in data:
        return _pair_model(data["single"]), int(data["ties"])
    models = {seg: _pair_model(m) for seg, m in data["segments"].items()}
    names = segment_of(index)
    if not set(names) <= set(models):  # a continent the weights never saw: learn again
        return None
    model = SegmentedModel(models, names, dict(data["segment_ties"]), frozenset(data["pooled"]))
    return model, int(data["ties"])


def stored(session: Session, home: str, index: MatchIndex) -> Learned | None:
    row = warm.stored(session, name(home))
    if row is None or row.built_at is None:
        return None
    try:
        loaded = load(row.payload, index)
    except (ValueError, KeyError, TypeError):
        return None
    return None if loaded is None else Learned(loaded[0], row.built_at, loaded[1])


def due(learned: Learned, index: MatchIndex, now: dt.datetime) -> bool:
    """Whether the stored weights should be learned again (see the module's note)."""
    settings = get_settings()
    age = now - learned.learned_at
    drift = abs(len(index.edges) - learned.ties) / max(learned.ties, 1)
    return age > dt.timedelta(days=settings.model_max_age_days) or drift > settings.model_drift


class NothingToLearn(Conflict):
    """A registry without partnerships: there are no weights to learn (a 409, said plainly)."""

    def __init__(self) -> None:
        super().__init__(N_(
            "The recommender learns from the registry's partnerships, and there are none yet: "
            "import or record some first (amity import FILE, or amity init --demo for the demo "
            "registry)."
        ), {"partnerships": 0})  # fmt: skip


def learn_and_store(session: Session, home: str, index: MatchIndex) -> Learned:
    if not index.edges:
        raise NothingToLearn()
    model = learn(index)
    ties = len(index.edges)
    learned_at = warm.store(session, name(home), ties, dump(model, ties))
    return Learned(model, learned_at, ties)

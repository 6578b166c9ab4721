"""Diversity: the lists of different home cities should differ where their situations differ.

Ranked on its own, every Chinese city's list is topped by the same well-connected foreign places
(Busan, Seoul, Moscow): each place's score is mostly its own pull, not its fit with the asker.
The re-ranking gives each foreign place a penalty, the same for every asker, found the way a
market clears: the top-10 lists of all home prefecture-level cities are drawn up, and while a
place appears in more than `SHARE` of them its penalty is raised just enough that only the
`cap` lists valuing it most (by how far above their own 11th candidate it scores) keep it. The
place then stays where it fits best and frees the other lists for their next choices.

The penalties are worked out once per registry state (with the engine) from the lists the live
recommendation would give (its scope and rules, the learned weights and the strategy boosts;
declared profiles aside), and a live recommendation for a home place subtracts them before the
top-k cut. The evaluation measures the same on its training network (`amity recommend-eval`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

SHARE = 0.05  # no foreign place in more than this share of the home cities' top-10 lists
TOP = 10
DEPTH = 300  # candidates kept per list: a penalised list refills from these
MAX_ROUNDS = 1000
# The least rise of a penalty in a round (score units): places that fall out of a list and come
# back as its others give way would otherwise rise by hair's breadths for many rounds.
MIN_STEP = 0.01
TIE = 1e-6  # scores closer than this count as tied
# Home places whose lists are balanced: prefecture-level divisions and the municipalities.
PREFECTURE_LEVELS = frozenset(
    {"prefecture_city", "autonomous_prefecture", "prefecture", "league", "municipality"}
)


@dataclass(frozen=True)
class Diversity:
    # penalty[p]: subtracted from place p's score when a home place asks (0 for most places).
    penalty: np.ndarray
    lists: int  # the home cities whose lists were balanced
    # crowd[p]: the most of those top-k lists place p stood in while the penalties were worked
    # out, before its own penalty kept it to `cap` (more than `cap` for a penalised place): how
    # widely it would be recommended without its penalty, which the page cites.
    crowd: np.ndarray
    cap: int  # the most lists a place may appear in
    max_share_before: float
    max_share_after: float

    def as_dict(self) -> dict:
        return {
            "lists": self.lists,
            "cap": self.cap,
            "max_share_before": self.max_share_before,
            "max_share_after": self.max_share_after,
            "penalised_places": int((self.penalty > 0).sum()),
        }


@dataclass(frozen=True)
class Shortlist:
    """One asker's best candidates (positions) and their scores, best first."""

    places: np.ndarray
    scores: np.ndarray


def shortlist(scores: np.ndarray, pool: np.ndarray, depth: int = DEPTH) -> Shortlist:
    """The `depth` best of the pool (a boolean mask) by score."""
    allowed = np.flatnonzero(pool)
    if len(allowed) > depth:
        allowed = allowed[np.argpartition(-scores[allowed], depth)[:depth]]
    order = np.argsort(-scores[allowed], kind="stable")
    return Shortlist(allowed[order], scores[allowed][order])


def top_lists(lists: Iterable[Shortlist], penalty: np.ndarray, k: int = TOP) -> list[np.ndarray]:
    """Each asker's top k after the penalty (ties: the shortlist's order)."""
    return [s.places[np.argsort(-(s.scores - penalty[s.places]), kind="stable")[:k]]
            for s in lists]  # fmt: skip


def max_share(tops: list[np.ndarray], size: int) -> float:
    """The largest share of the lists any one place appears in."""
    if not tops:
        return 0.0
    counts = np.bincount(np.concatenate(tops), minlength=size)
    return round(float(counts.max()) / len(tops), 4)


def cap_for(lists: int, share: float = SHARE) -> int:
    return max(1, int(np.floor(share * lists)))


def penalties(
    lists: list[Shortlist], size: int, k: int, share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per place, the penalty that keeps it within `cap_for(len(lists))` of the top-k lists, and
    the most lists it stood in over the rounds.

    Each round: for every place over the cap, its margin in each list holding it is how far its
    penalised score lies above that list's (k+1)-th; the penalty rises by the (cap+1)-th largest
    margin (at least MIN_STEP), so the cap lists where it fits best keep it. Penalties only rise,
    so the rounds end.
    """
    penalty = np.zeros(size)
    crowd = np.zeros(size, dtype=np.int64)
    cap = cap_for(len(lists), share)
    for _ in range(MAX_ROUNDS):
        held: dict[int, list[float]] = {}  # place -> its margin in each list holding it
        for s in lists:
            adjusted = s.scores - penalty[s.places]
            ranked = np.sort(adjusted)[::-1]
            if len(ranked) <= k:
                continue  # a list without a (k+1)-th candidate keeps all, whatever they cost
            # Near-ties at the cut count as held: the live score adds the same terms in another
            # order, and its rounding may decide them the other way.
            inside = adjusted >= ranked[k - 1] - TIE
            for v, margin in zip(s.places[inside].tolist(), (adjusted[inside] - ranked[k]).tolist(),
                                 strict=True):  # fmt: skip
                held.setdefault(v, []).append(margin)
        over = {v: m for v, m in held.items() if len(m) > cap}
        if not over:
            break
        for v, margins in over.items():
            crowd[v] = max(crowd[v], len(margins))
            margins.sort(reverse=True)
            # Past the (cap+1)-th largest margin by a hair, so that only `cap` lists keep it.
            penalty[v] += max(margins[cap] + TIE, MIN_STEP)
    return penalty, crowd


def balance(lists: list[Shortlist], size: int, *, k: int = TOP, share: float = SHARE) -> Diversity:
    """The penalties for these lists, with the largest share of lists before and after."""
    penalty, crowd = penalties(lists, size, k, share)
    none = np.zeros(size)
    return Diversity(
        penalty=penalty,
        lists=len(lists),
        crowd=crowd,
        cap=cap_for(len(lists), share),
        max_share_before=max_share(top_lists(lists, none, k), size),
        max_share_after=max_share(top_lists(lists, penalty, k), size),
    )


def home_cities(levels: dict[int, str | None], ids: np.ndarray, home: np.ndarray) -> np.ndarray:
    """Positions of the home prefecture-level places among `ids` (home: a mask of home places)."""
    level = np.array([levels.get(int(pid)) in PREFECTURE_LEVELS for pid in ids.tolist()])
    return np.flatnonzero(level & home) if len(ids) else np.zeros(0, dtype=np.int64)


def for_engine(session, eng) -> Diversity:
    """The penalties for the live recommendations of this registry state: each home
    prefecture-level city's list as `recommend` draws it up (scope home, the rules, the learned
    weights and the strategy boosts; declared profiles aside)."""
    # Imported here: recommend reads the engine, whose build calls this.
    from amity.matching import recommend
    from amity.matching.features import against_all, query_at
    from amity.matching.settings import matching_settings
    from amity.places.models import Place

    index = eng.index
    settings = matching_settings()
    lists: list[Shortlist] = []
    boost = None
    for pos in home_cities(eng.levels, index.ids, eng.in_home).tolist():
        place = session.get(Place, int(index.ids[pos]))
        pool = recommend._scope_mask(eng, place, "home")
        for mask in recommend.constraint_reasons(eng, place, settings).values():
            pool &= ~mask
        if boost is None:  # the strategy boosts are the same for every home place
            boost = recommend._strategy(eng, place, settings)[0]
        query = query_at(index, pos)
        scores = eng.model.for_country(query.country).logits(
            against_all(index, query, eng.shares)
        )
        lists.append(shortlist(scores + boost, pool))
    return balance(lists, index.size)


def scored_lists(
    positions: Iterable[int], score: Callable[[int], np.ndarray], pool: Callable[[int], np.ndarray]
) -> list[Shortlist]:
    """Shortlists of these askers, from a scorer and a pool (the evaluation's)."""
    return [shortlist(score(p), pool(p)) for p in positions]

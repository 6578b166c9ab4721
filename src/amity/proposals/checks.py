"""The checks a proposal runs on submission: what reviewers see before they decide.

- duplicate: the pair is already recorded, or another open proposal names it (blocks);
- one_partner: the foreign place already pairs with a home place of the same kind (rule);
- excluded_country: the partner's country is on the excluded list (rule);
- layout: province Gini and partner-country HHI before and after adding the pair (information);
- score: the matchmaking recommender's score for the pair, when it can be computed.

The rules run at submission (a blocking one stops it); the information checks (layout, score)
may take seconds on a cold server, so the submission records them as pending and answers at
once: `complete_check` computes them afterwards (the proposal's page asks for them one by one
and shows each as it completes; the score stays pending while the recommender is being built).

The rules read the matchmaking settings (excluded countries, the one-partner rule), so the
recommender and the review agree.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from amity.analytics.service import (
    gini,
    herfindahl,
    home_view,
    layout_balance,
    resolve_home,
    snapshot,
)
from amity.matching.service import RecommenderWarming, matching_settings, pair_score
from amity.partnerships.models import Partnership
from amity.places.models import Place

OPEN = ("draft", "provincial_review", "national_review", "returned")


# The information checks, in the order they are completed after a submission.
LATER = ("layout", "score")
PENDING = {"ok": True, "pending": True}
WARMING = "recommender being built after a start"


def run_checks(
    session: Session,
    place: Place,
    partner: Place,
    *,
    proposal_id: int | None = None,
    later: bool = False,
) -> dict[str, Any]:
    """Every check's outcome; `blocking` lists the failed checks that stop a submission. With
    `later`, the information checks are left pending (see `complete_check`)."""
    settings = matching_settings()
    results = {
        "duplicate": _duplicate(session, place, partner, proposal_id),
        "one_partner": _one_partner(session, place, partner, settings.one_home_partner_per_level),
        "excluded_country": {
            "ok": partner.country_code not in settings.excluded_countries,
            "country": partner.country_code,
        },
    }
    for name in LATER:
        results[name] = dict(PENDING) if later else complete_check(session, name, place, partner)
    return {
        "results": results,
        "blocking": [name for name in ("duplicate",) if not results[name]["ok"]],
        "warnings": [n for n in ("one_partner", "excluded_country") if not results[n]["ok"]],
    }


def _duplicate(
    session: Session, place: Place, partner: Place, proposal_id: int | None
) -> dict[str, Any]:
    from amity.proposals.models import Proposal

    a, b = sorted((place.id, partner.id))
    existing = session.scalar(
        select(Partnership.id).where(Partnership.place_a_id == a, Partnership.place_b_id == b)
    )
    pair = or_(
        (Proposal.place_id == place.id) & (Proposal.partner_id == partner.id),
        (Proposal.place_id == partner.id) & (Proposal.partner_id == place.id),
    )
    query = select(Proposal.id).where(pair, Proposal.status.in_(OPEN))
    if proposal_id is not None:
        query = query.where(Proposal.id != proposal_id)
    other = session.scalar(query.limit(1))
    return {"ok": existing is None and other is None, "partnership_id": existing,
            "proposal_id": other}  # fmt: skip


def _one_partner(session: Session, place: Place, partner: Place, enforced: bool) -> dict[str, Any]:
    """Home places of the same kind the partner already pairs with (live pairs only)."""
    other = aliased(Place)
    rows = session.execute(
        select(other.id, other.name, other.name_zh)
        .select_from(Partnership)
        .join(
            other,
            or_(
                (Partnership.place_a_id == partner.id) & (Partnership.place_b_id == other.id),
                (Partnership.place_b_id == partner.id) & (Partnership.place_a_id == other.id),
            ),
        )
        .where(
            other.country_code == place.country_code,
            other.kind == place.kind,
            Partnership.status != "terminated",
        )
    ).all()
    taken = [{"id": r.id, "name": r.name, "name_zh": r.name_zh} for r in rows]
    return {"ok": not (enforced and taken), "enforced": enforced, "taken_by": taken}


def layout_effect(session: Session, place: Place, partner: Place) -> dict[str, Any]:
    """Province Gini (raw counts over every province) and partner-country HHI, before and after.

    "Before" is `analytics.service.layout_balance` as published; "after" recomputes the same
    measures on the same counts with this pair added.
    """
    home = resolve_home(session, None)
    balance = layout_balance(session, home=home)
    provinces = {row["code"]: row["pairs"] for row in balance["provinces"]["rows"]}
    view = home_view(snapshot(session), home)
    countries = Counter(p.partner.country_code for p in view.foreign)
    before = {"province_gini": balance["provinces"]["gini"]["raw"],
              "partner_hhi": _round(herfindahl(list(countries.values())))}  # fmt: skip
    code = place.province_code if home == "CN" else place.admin1
    if place.country_code == home and partner.country_code != home:
        if code in provinces:
            provinces[code] += 1
        countries[partner.country_code] += 1
    after = {"province_gini": _round(gini(list(provinces.values()))),
             "partner_hhi": _round(herfindahl(list(countries.values())))}  # fmt: skip
    return {
        "ok": True,
        "before": before,
        "after": after,
        "change": {k: _diff(after[k], before[k]) for k in before},
    }


def _diff(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else round(after - before, 6)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def pending(checks: dict[str, Any]) -> list[str]:
    """The information checks of a stored result still to be computed."""
    results = checks.get("results") or {}
    return [name for name in LATER if (results.get(name) or {}).get("pending")]


def complete_check(session: Session, name: str, place: Place, partner: Place) -> dict[str, Any]:
    """One information check's outcome (the score is still pending while the recommender is
    being built after a start: it is asked again later)."""
    if name == "layout":
        return layout_effect(session, place, partner)
    result = recommender_score(session, place, partner)
    return {**result, "pending": True} if result.get("reason") == WARMING else result


def recommender_score(session: Session, place: Place, partner: Place) -> dict[str, Any]:
    """The recommender's score for the pair (None when matchmaking cannot score it)."""
    try:
        with session.begin_nested():
            score = pair_score(session, place, partner, wait=False)
        if score is None:
            return {"ok": True, "score": None, "reason": "partner not in the network"}
        return {"ok": True, "score": score}
    except RecommenderWarming:
        return {"ok": True, "score": None, "reason": WARMING}
    except Exception as exc:  # the score is advice: the review goes on without it
        return {"ok": True, "score": None, "reason": type(exc).__name__}

"""Relationship health: last activity, activity per year, dormancy and a score with reasons.

Everything is computed from one aggregate query over the exchanges (grouped by pair of places),
so the whole registry is assessed at once; see docs/exchanges.md for the rules.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from amity.core.settings import get_settings
from amity.exchanges.models import Exchange, ExchangeFieldLink
from amity.partnerships.models import Partnership, PartnershipStatusChange

HIGH_LEVEL_MODES = frozenset({"high_level_visit"})
HIGH_LEVEL_DELEGATIONS = frozenset({"head_of_government"})
BASE_SCORE = 50

# Each reason: points, then its words in English and Chinese ({…} filled from the facts).
REASONS = {
    "ended": (0, "The partnership has ended.", "该友好关系已终止。"),
    "exchange_last_year": (
        20, "Exchange within the last year ({last}).", "近一年内有交流（{last}）。"
    ),
    "exchange_recent": (
        10, "Exchange within the last {n} years ({last}).", "近{n}年内有交流（{last}）。"
    ),
    "no_exchange_for": (
        -30,
        "No exchange for {years} years (last: {last}).",
        "已{years}年没有交流（最近一次：{last}）。",
    ),
    "none_since_signing": (
        -30,
        "No exchange recorded since signing ({established}).",
        "自签约（{established}）以来没有交流记录。",
    ),
    "no_activity": (
        -10, "No activity recorded, and no signing date.", "没有交流记录，也没有签约日期。"
    ),
    "recently_signed": (
        5, "Signed less than {n} years ago ({established}).", "签约不足{n}年（{established}）。"
    ),
    "high_level_visit": (10, "High-level visit in {year}.", "{year}年有高层互访。"),
    "many_fields": (10, "Exchanges in {count} fields.", "交流涉及{count}个领域。"),
    "both_directions": (10, "Visits in both directions.", "双向互访。"),
    "regular": (
        10, "{count} exchanges in the last {n} years.", "近{n}年有{count}次交流。"
    ),
    "declining": (
        -10,
        "Fewer exchanges in the last {n} years ({recent}) than in the {n} before ({before}).",
        "近{n}年交流（{recent}次）少于此前{n}年（{before}次）。",
    ),
    "suspended": (-20, "The partnership is suspended.", "该友好关系已暂停。"),
    "recorded_dormant": (-10, "Recorded as dormant.", "登记状态为休眠。"),
}  # fmt: skip


# The health states, named in English (the message ids the catalogues translate): the one list
# the pages (`state` in exchange_macros.html), the report's workbook and its PDF all read.
STATES = {
    "active": "Active",
    "recent": "Recently signed",
    "declining": "Declining",
    "dormant": "Dormant",
    "no_activity": "No activity recorded",
    "ended": "Ended",
}


def dormant_years() -> int:
    """N: a partnership with no exchange for N years is dormant (AMITY_DORMANT_YEARS, default 3)."""
    return get_settings().dormant_years


def review_days() -> int:
    """How long "mark reviewed" hides a partnership (AMITY_REVIEW_DAYS, default 180)."""
    return get_settings().review_days


def latest_day(partial: str) -> date:
    """The last day a partial date can mean: "2013" is 2013-12-31 (the benefit of the doubt)."""
    parts = [int(p) for p in partial.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return date(year, month, day)


def years_before(today: date, years: int) -> date:
    """The same day `years` years earlier (29 February becomes the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


@dataclass
class Activity:
    """A pair's exchanges, summed up."""

    count: int = 0
    last: str | None = None
    per_year: Counter = field(default_factory=Counter)
    directions: set[str] = field(default_factory=set)
    high_level_year: int | None = None
    fields: int = 0


def pair_activity(
    session: Session,
    pair: tuple[int, int] | None = None,
    *,
    places: list[int] | None = None,
) -> dict[tuple[int, int], Activity]:
    """Pairs' activity from one aggregate query (and one for fields): every pair, one pair, or
    the pairs touching `places`."""
    activity: dict[tuple[int, int], Activity] = {}
    only = []
    if pair:
        only = [Exchange.place_a_id == pair[0], Exchange.place_b_id == pair[1]]
    elif places is not None:
        only = [or_(Exchange.place_a_id.in_(places), Exchange.place_b_id.in_(places))]
    rows = session.execute(
        select(
            Exchange.place_a_id,
            Exchange.place_b_id,
            Exchange.start_year,
            Exchange.direction,
            Exchange.mode,
            Exchange.delegation_level,
            func.count(),
            func.max(func.coalesce(Exchange.end, Exchange.start)),
        )
        .where(*only)
        .group_by(
            Exchange.place_a_id,
            Exchange.place_b_id,
            Exchange.start_year,
            Exchange.direction,
            Exchange.mode,
            Exchange.delegation_level,
        )
    )
    for a, b, year, direction, mode, level, count, last in rows:
        pair = activity.setdefault((a, b), Activity())
        pair.count += count
        pair.per_year[year] += count
        pair.directions.add(direction)
        pair.last = max(pair.last or "", last)
        if mode in HIGH_LEVEL_MODES or level in HIGH_LEVEL_DELEGATIONS:
            pair.high_level_year = max(pair.high_level_year or 0, year)
    fields = session.execute(
        select(
            Exchange.place_a_id,
            Exchange.place_b_id,
            func.count(func.distinct(ExchangeFieldLink.field_code)),
        )
        .join(ExchangeFieldLink, ExchangeFieldLink.exchange_id == Exchange.id)
        .where(*only)
        .group_by(Exchange.place_a_id, Exchange.place_b_id)
    )
    for a, b, count in fields:
        activity[(a, b)].fields = count
    return activity


@dataclass
class Review:
    """What the office has said about a partnership lately."""

    hidden_until: date | None = None
    ending_proposed: bool = False


def reviews(session: Session, partnership_ids: set[int] | None = None) -> dict[int, Review]:
    """Latest review dates and open ending proposals, by partnership (one grouped query)."""
    statement = (
        select(
            PartnershipStatusChange.partnership_id,
            PartnershipStatusChange.action,
            func.max(PartnershipStatusChange.id),
            func.max(PartnershipStatusChange.hidden_until),
        )
        .where(PartnershipStatusChange.action.in_(("reviewed", "reactivated", "ending_proposed")))
        .group_by(PartnershipStatusChange.partnership_id, PartnershipStatusChange.action)
    )
    if partnership_ids is not None:
        statement = statement.where(PartnershipStatusChange.partnership_id.in_(partnership_ids))
    latest: dict[int, dict[str, tuple[int, date | None]]] = {}
    for pid, action, last_id, hidden in session.execute(statement):
        latest.setdefault(pid, {})[action] = (last_id, hidden)
    result = {}
    for pid, actions in latest.items():
        hidden = [h for a, (_i, h) in actions.items() if a != "ending_proposed" and h]
        proposed = actions.get("ending_proposed", (0, None))[0]
        reactivated = actions.get("reactivated", (0, None))[0]
        result[pid] = Review(max(hidden, default=None), proposed > reactivated)
    return result


def assess(
    partnership: Partnership | tuple,
    activity: Activity | None,
    *,
    today: date,
    years: int,
    review: Review | None = None,
) -> dict:
    """The health of one partnership (the Health shape) from its summed-up activity."""
    pid, status, established = _facts(partnership)
    activity = activity or Activity()
    review = review or Review()
    reasons: list[dict] = []

    def reason(code: str, **facts) -> None:
        points, en, zh = REASONS[code]
        reasons.append({"code": code, "points": points, "en": en.format(**facts),
                        "zh": zh.format(**facts)})  # fmt: skip

    cutoff = years_before(today, years)
    recent_signing = established is not None and latest_day(established) >= cutoff
    last_day = latest_day(activity.last) if activity.last else None
    recent = sum(n for y, n in activity.per_year.items() if y > today.year - years)
    before = sum(
        n for y, n in activity.per_year.items() if today.year - 2 * years < y <= today.year - years
    )
    dormant = False
    if status == "terminated":
        state = "ended"
        reason("ended")
    else:
        if last_day and last_day >= years_before(today, 1):
            reason("exchange_last_year", last=activity.last)
        elif last_day and last_day >= cutoff:
            reason("exchange_recent", n=years, last=activity.last)
        elif recent_signing:
            reason("recently_signed", n=years, established=established)
        elif last_day:
            dormant = True
            reason("no_exchange_for", years=today.year - last_day.year, last=activity.last)
        elif established:
            dormant = True
            reason("none_since_signing", established=established)
        else:
            reason("no_activity")
        if activity.high_level_year and activity.high_level_year > today.year - years:
            reason("high_level_visit", year=activity.high_level_year)
        if activity.fields >= 3:
            reason("many_fields", count=activity.fields)
        if "both" in activity.directions or {"a_to_b", "b_to_a"} <= activity.directions:
            reason("both_directions")
        if recent >= 3:
            reason("regular", count=recent, n=years)
        # One exchange is no trend: declining needs at least two in the earlier window.
        declining = not dormant and before >= 2 and recent < before
        if declining:
            reason("declining", n=years, recent=recent, before=before)
        if status == "suspended":
            reason("suspended")
        elif status == "dormant":
            reason("recorded_dormant")
        state = (
            "dormant" if dormant
            else "declining" if declining
            else "active" if last_day and last_day >= cutoff
            else "recent" if recent_signing
            else "no_activity"
        )  # fmt: skip
    score = 0 if state == "ended" else BASE_SCORE + sum(r["points"] for r in reasons)
    return {
        "partnership_id": pid,
        "status": status,
        "state": state,
        "dormant": dormant,
        "dormant_years": years,
        "exchanges": activity.count,
        "last_activity": activity.last,
        "per_year": dict(sorted(activity.per_year.items())),
        "score": max(0, min(100, score)),
        "reasons": reasons,
        "reviewed_until": review.hidden_until,
        "ending_proposed": review.ending_proposed,
    }


def _facts(partnership: Partnership | tuple) -> tuple[int, str, str | None]:
    if isinstance(partnership, Partnership):
        return partnership.id, partnership.status, partnership.established
    return partnership


def registry_health(session: Session, *, today: date | None = None) -> dict[int, dict]:
    """The health of every partnership, by id (one pass over the aggregate)."""
    today = today or date.today()
    years = dormant_years()
    activity = pair_activity(session)
    known = reviews(session)
    rows = session.execute(
        select(
            Partnership.id,
            Partnership.status,
            Partnership.established,
            Partnership.place_a_id,
            Partnership.place_b_id,
        )
    )
    return {
        pid: assess(
            (pid, status, est),
            activity.get((a, b)),
            today=today,
            years=years,
            review=known.get(pid),
        )  # fmt: skip
        for pid, status, est, a, b in rows
    }

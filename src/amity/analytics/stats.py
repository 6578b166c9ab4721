"""The registry's figures as `amity stats --json` and `GET /api/v1/stats` give them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from amity.analytics.service import layout_balance, statistics
from amity.core.errors import InvalidInput
from amity.partnerships.service import registry_stats


def stats_report(session: Session, *, home: str | None = None) -> dict:
    """Headline totals, plus the full statistics and layout balance once the gazetteer is in."""
    figures = registry_stats(session)
    try:
        figures["statistics"] = statistics(session, home=home)
        figures["layout"] = layout_balance(session, home=home)
    except InvalidInput as exc:
        # Before `amity init` has loaded the countries, the headline figures still stand.
        figures["statistics"] = figures["layout"] = None
        figures["note"] = exc.message
    return figures


def home_statistics(session: Session, *, home: str | None = None) -> dict | None:
    """The home country's statistics (years, phases, ...), or None before `amity init`."""
    try:
        return statistics(session, home=home)["home"]
    except InvalidInput:
        return None

"""Exchanges on a relationship, and relationship health."""

from fastapi import APIRouter

from amity.exchanges.pages import activity, health
from amity.exchanges.service import HEALTH_STATES
from amity.http.render import template_global

router = APIRouter(include_in_schema=False)
for _module in (activity, health):  # fmt: skip
    router.include_router(_module.router)


@template_global
def health_states() -> dict[str, str]:
    """The health states' English names, for the `state` macro (which translates them)."""
    return HEALTH_STATES

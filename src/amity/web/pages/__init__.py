"""Server-rendered pages in Chinese and English; each calls a service and renders a template."""

from fastapi import APIRouter

from amity.web.pages import (
    about,
    account,
    admin,
    anniversaries,
    awards,
    cases,
    dashboard,
    events,
    exchanges,
    health,
    home,
    indices,
    matching,
    network,
    participation,
    partnership_forms,
    partnerships,
    places,
    proposals,
    reports,
    sync,
)
from amity.web.pages.render import invalid_input_page, not_found_page

router = APIRouter(include_in_schema=False)
for _module in (
    home, partnerships, partnership_forms, places, dashboard, network, about, exchanges, health,
    cases, events, awards, indices, matching, account, admin, proposals, participation,
    reports, sync, anniversaries,
):  # fmt: skip
    router.include_router(_module.router)

__all__ = ["invalid_input_page", "not_found_page", "router"]

"""The dashboard and the network page (charts drawn in the browser from their JSON twins)."""

from fastapi import APIRouter

from amity.analytics.pages import dashboard, network, statistics

router = APIRouter(include_in_schema=False)
for _module in (dashboard, network, statistics):  # fmt: skip
    router.include_router(_module.router)

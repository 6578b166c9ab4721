"""Events (forums, conferences) and the awards."""

from fastapi import APIRouter

from amity.events.pages import awards, events

router = APIRouter(include_in_schema=False)
for _module in (events, awards):  # fmt: skip
    router.include_router(_module.router)

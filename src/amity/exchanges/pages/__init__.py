"""Exchanges on a relationship, and relationship health."""

from fastapi import APIRouter

from amity.exchanges.pages import activity, health

router = APIRouter(include_in_schema=False)
for _module in (activity, health):  # fmt: skip
    router.include_router(_module.router)

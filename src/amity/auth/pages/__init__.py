"""Signing in, the account, and the administrators' pages (users, audit)."""

from fastapi import APIRouter

from amity.auth.pages import account, admin

router = APIRouter(include_in_schema=False)
for _module in (account, admin):  # fmt: skip
    router.include_router(_module.router)

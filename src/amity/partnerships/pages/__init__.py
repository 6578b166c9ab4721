"""The registry's pages: home, the list, one partnership and its forms, a place, the data's
sources, anniversaries."""

from fastapi import APIRouter

from amity.partnerships.pages import about, anniversaries, forms, home, listing, place

router = APIRouter(include_in_schema=False)
for _module in (home, listing, forms, place, about, anniversaries):  # fmt: skip
    router.include_router(_module.router)

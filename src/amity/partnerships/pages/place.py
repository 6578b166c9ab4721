"""A place's page: names, country, codes, its partners and a small map."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.bounds import Id
from amity.core.errors import NotFound
from amity.http.deps import SESSION
from amity.http.render import not_found_page, render
from amity.partnerships import service
from amity.places import service as places_service

router = APIRouter()


def map_points(partners: list[dict], locale: str) -> list[dict]:
    """The partners that have coordinates, as the place map draws them."""
    return [
        {
            "name": i18n.place_name(row["partner"], locale),
            "lon": row["partner"]["lon"],
            "lat": row["partner"]["lat"],
            "href": f"/places/{row['partner']['id']}",
        }
        for row in partners
        if row["partner"]["lat"] is not None and row["partner"]["lon"] is not None
    ]


@router.get("/places/{place_id}", response_class=HTMLResponse)
def place_page(
    place_id: Id, request: Request, session: Session = SESSION
) -> HTMLResponse:
    try:
        place = places_service.get_place(session, place_id)
    except NotFound as exc:
        return not_found_page(request, exc.message)
    partners = service.place_partners(session, place_id)
    locale = i18n.choose_locale(request)
    side = partners["place"]
    return render(
        request,
        "partnerships/place.html",
        place=place,
        place_level=side["level"],
        parent=places_service.get_place(session, place.parent_id) if place.parent_id else None,
        partners=partners["partners"],
        by_level=partners["by_level"],
        below=partners["below"],
        below_by_level=partners["below_by_level"],
        map_place=(
            {"name": i18n.place_name(side, locale), "lon": side["lon"], "lat": side["lat"]}
            if side["lat"] is not None
            else None
        ),
        map_partners=map_points(partners["partners"], locale),
    )

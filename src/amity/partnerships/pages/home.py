"""The home page: headline figures and the world map of partnerships per country."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.http.deps import SESSION
from amity.http.render import render
from amity.partnerships import service

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, session: Session = SESSION) -> HTMLResponse:
    figures = service.front_page(session, locale=i18n.choose_locale(request))
    return render(request, "partnerships/home.html", **figures)

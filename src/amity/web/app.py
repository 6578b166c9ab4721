"""The FastAPI application: API routers under /api/v1, pages, static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from amity import __version__
from amity.db import get_engine
from amity.domains import rooms
from amity.web import errors
from amity.web.limits import BodySizeLimit
from amity.web.security import SecurityHeaders

STATIC_DIR = Path(__file__).parent / "static"


def create_app(engine: Engine | None = None) -> FastAPI:
    """Build the app for an engine (default: the configured database)."""
    app = FastAPI(
        title="Amity API",
        version=__version__,
        description="The friendship-city registry: places, partnerships, statistics.",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.engine = engine or get_engine()
    errors.install(app)
    app.add_middleware(BodySizeLimit)
    app.add_middleware(SecurityHeaders)
    for router in _routers():
        api = router.prefix.startswith("/api/")
        app.include_router(
            router, dependencies=[Depends(errors.reject_undeclared_params)] if api else []
        )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _routers() -> list:
    """Each domain's `api.router` (in DOMAINS order), then the pages."""
    from amity.web import pages

    return [*(module.router for module in rooms("api")), pages.router]

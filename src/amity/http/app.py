"""The FastAPI application: API routers under /api/v1, pages, static files."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from sqlalchemy.engine import Engine
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from amity import __version__
from amity.core import health as readiness
from amity.core import logs
from amity.core.db import get_engine, session_scope
from amity.core.domains import rooms
from amity.core.settings import get_settings
from amity.http import api_docs, errors, health
from amity.http.limits import BodySizeLimit
from amity.http.request_id import RequestId
from amity.http.security import SecurityHeaders
from amity.http.static import STATIC_DIR, CachedStaticFiles

# Answers smaller than this go uncompressed (gzip's header and the CPU would not pay off).
GZIP_MINIMUM = 1024
# Already compressed: spreadsheets and other zip containers, PDFs (besides Starlette's images).
COMPRESSED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip


def create_app(
    engine: Engine | None = None, *, trusted_proxies: tuple[str, ...] | None = None
) -> FastAPI:
    """Build the app for an engine (default: the configured database).

    `trusted_proxies` (default: AMITY_TRUSTED_PROXIES) are the peers whose X-Forwarded-For and
    X-Forwarded-Proto are believed; from anyone else those headers are ignored.
    """
    logs.configure()  # each worker process (and `amity serve` before it: amity.system.cli)
    app = FastAPI(
        title="Amity API",
        version=__version__,
        description="The friendship-city registry: places, partnerships, statistics.",
        docs_url=None,  # served from our own static files by api_docs.install
        redoc_url=None,
        generate_unique_id_function=api_docs.operation_id,
        lifespan=_lifespan,
    )
    app.state.engine = engine or get_engine()
    errors.install(app)
    api_docs.install(app)
    app.add_middleware(BodySizeLimit)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, exclude_content_types=COMPRESSED)
    proxies = get_settings().trusted_proxies if trusted_proxies is None else trusted_proxies
    if proxies:
        # Added last, so it runs first: every later layer sees the client's address and scheme.
        # It takes the right-most X-Forwarded-For hop that is not a trusted proxy, so what a
        # client writes into the header itself (to the left of its own address) is never used.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(proxies))
    app.add_middleware(RequestId)  # outermost: every line logged for a request carries its id
    for router in _api_routers():
        api = router.prefix.startswith("/api/")
        app.include_router(
            router, dependencies=[Depends(errors.reject_undeclared_params)] if api else []
        )
    for router in _page_routers():  # pages are not the API: they stay out of its document
        app.include_router(router, include_in_schema=False)
    app.include_router(health.router)  # /healthz, /readyz
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)
    return app


def _favicon() -> FileResponse:
    # Pages link /static/favicon.svg; a browser showing the API's JSON or its docs still asks for
    # /favicon.ico, and a 404 there is an error in its console.
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")


@asynccontextmanager
async def _lifespan(app: FastAPI):
    # `amity serve` sets AMITY_WARM_START: each worker builds the registry's facet table in the
    # background as it starts (seconds at 10x the demo, about a minute at 100x), so that users do
    # not wait for it; a request arriving meanwhile waits for that build rather than repeating it.
    app.state.warm = readiness.WARM_OFF  # /readyz reports it
    if get_settings().warm_start:
        app.state.warm = readiness.WARM_BUILDING
        threading.Thread(target=_warm, args=(app,), daemon=True).start()
    yield


def _warm(app: FastAPI) -> None:
    # A domain whose service has `warm(session)` builds what it keeps in memory (the registry's
    # facet table); the app finds it by name, as it finds the routers. Each domain on its own:
    # one that fails (the recommender of a registry with no partnerships yet) leaves the others
    # warm, and its first request tries again and reports the error properly.
    failed = []
    for service in rooms("service"):
        if hasattr(service, "warm"):
            try:
                with session_scope(app.state.engine) as session:
                    service.warm(session)
            except Exception:
                failed.append(service.__name__.split(".")[1])
                logging.getLogger("amity").exception("warming %s failed", service.__name__)
    app.state.warm_failed = failed
    app.state.warm = readiness.WARM_DONE


def _api_routers() -> list:
    return [module.router for module in rooms("api")]


def _page_routers() -> list:
    return [module.router for module in rooms("pages")]


def _routers() -> list:
    """Each domain's `api.router`, then each domain's `pages.router` (in DOMAINS order)."""
    return [*_api_routers(), *_page_routers()]

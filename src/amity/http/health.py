"""/healthz (the process answers) and /readyz (it can serve: amity.core.health).

Both are for load balancers, container runtimes and monitoring: no login, no CSRF (GET only), no
cookie, never cached. /healthz touches nothing (a database outage must not get every process
restarted); /readyz answers 503 with the failing checks until the process can serve.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from amity import __version__
from amity.core import health

router = APIRouter()
PATHS = ("/healthz", "/readyz")
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz", include_in_schema=False)
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__}, headers=NO_STORE)


@router.get("/readyz", include_in_schema=False)
def readyz(request: Request) -> JSONResponse:
    state = getattr(request.app.state, "warm", health.WARM_OFF)
    failed = getattr(request.app.state, "warm_failed", [])
    checks = health.readiness(request.app.state.engine, state, failed)
    ready = all(check.ok for check in checks.values())
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {name: {"ok": c.ok, "detail": c.detail} for name, c in checks.items()},
    }
    return JSONResponse(body, status_code=200 if ready else 503, headers=NO_STORE)

"""Readiness: can this process serve real requests now? Three checks, each named in /readyz.

- database: a connection answers `SELECT 1`;
- schema: the database is at the revision this code's migrations end at (behind: `amity init`
  has not run since an upgrade; ahead: an older Amity runs on a newer database);
- warm: the in-memory state every worker builds or loads at start (the registry's facet table,
  the analytics, the recommender: each domain's `service.warm`) is loaded. Without
  AMITY_WARM_START (the app outside `amity serve`) it is built on first use, and counts as ready.

Details say what is wrong and what to do, never an address, a URL or an error's text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine

from amity.core import schema

log = logging.getLogger("amity")

# The states of the warm-up of a process (amity.http.app keeps it in app.state.warm).
WARM_OFF, WARM_BUILDING, WARM_DONE = "off", "building", "done"


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def database_and_schema(engine: Engine) -> dict[str, Check]:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = schema.current_revisions(connection)
    except Exception:
        log.warning("readiness: the database cannot be reached", exc_info=True)
        return {
            "database": Check(False, "unreachable"),
            "schema": Check(False, "unknown (no database)"),
        }
    head = schema.head_revisions(engine)
    if current == head:
        state = Check(True, "at the newest revision")
    elif not current:
        state = Check(False, "not created: run `amity init`")
    elif current - schema.known_revisions(engine):
        state = Check(False, "newer than this version of Amity")
    else:
        state = Check(False, "behind this version of Amity: run `amity init`")
    return {"database": Check(True, "reachable"), "schema": state}


def warmed(state: str, failed: list[str] | tuple[str, ...] = ()) -> Check:
    """Ready once the warm-up is over. A domain whose build failed is named but does not hold
    the process back: its requests build it on demand (and report an error if it fails again),
    which a process kept out of rotation could never do."""
    if state == WARM_DONE and failed:
        return Check(True, f"loaded, except {', '.join(failed)}: built on first use (see the log)")
    return {
        WARM_OFF: Check(True, "built on first use"),
        WARM_BUILDING: Check(False, "loading"),
        WARM_DONE: Check(True, "loaded"),
    }[state]


def readiness(engine: Engine, warm_state: str, failed: list[str] = ()) -> dict[str, Check]:
    return {**database_and_schema(engine), "warm": warmed(warm_state, failed)}

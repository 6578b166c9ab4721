"""Database creation and the loading of the shipped gazetteer and demo registry."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from amity.core import schema
from amity.core.db import session_scope
from amity.core.domains import rooms
from amity.core.progress import Progress, silent
from amity.partnerships.models import Partnership
from amity.partnerships.service import ensure_version_row, registry
from amity.places.models import Place
from amity.places.service import load_gazetteer, refresh_countries


@dataclass
class InitReport:
    places: int
    partnerships: int
    gazetteer_loaded: bool
    demo_loaded: bool
    # Countries whose shipped facts (names, regions) had changed since the database was made.
    countries_refreshed: list[str] = field(default_factory=list)


def init_database(engine: Engine, *, demo: bool = False, progress: Progress = silent) -> InitReport:
    """Create or upgrade the schema, load the gazetteer once, and the demo registry if asked.

    Idempotent: the gazetteer loads only into an empty places table, the demo registry only
    when there are no partnerships yet, so running it twice changes nothing. On an existing
    database the countries are refreshed from the shipped facts (a corrected name arrives).

    Several hosts may run it at once on one PostgreSQL database (each at its start): they take
    turns under an advisory lock, so one loads the gazetteer and the others find it loaded.
    """
    with schema.exclusive(engine):
        return _init_database(engine, demo=demo, progress=progress)


def _init_database(engine: Engine, *, demo: bool, progress: Progress) -> InitReport:
    schema.upgrade(engine)
    with session_scope(engine) as session:
        ensure_version_row(session)
    gazetteer_loaded = demo_loaded = False
    refreshed: list[str] = []
    with session_scope(engine) as session:
        if not session.scalar(select(func.count()).select_from(Place)):
            load_gazetteer(session, progress=progress)
            gazetteer_loaded = True
        else:
            refreshed = refresh_countries(session)
    if demo:
        with session_scope(engine) as session:
            if not session.scalar(select(func.count()).select_from(Partnership)):
                registry.load_demo(session, progress=progress)
                demo_loaded = True
        if demo_loaded:
            # Other domains' demo content (cases, events, ...) stands on the registry's places.
            for module in rooms("demo"):
                with session_scope(engine) as session:
                    module.load_demo(session, progress=progress)
    with session_scope(engine) as session:
        places = session.scalar(select(func.count()).select_from(Place)) or 0
        partnerships = session.scalar(select(func.count()).select_from(Partnership)) or 0
    return InitReport(places, partnerships, gazetteer_loaded, demo_loaded, refreshed)

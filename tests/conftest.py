"""Shared fixtures: a fresh, migrated database on each engine (SQLite file, real PostgreSQL).

`make test` runs pytest beside a throwaway PostgreSQL server (scripts/with-postgres.sh) and
exports AMITY_TEST_POSTGRES_URL. Without it the PostgreSQL cases are skipped, except in CI,
where a missing server is an error rather than a quiet skip.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from tests.support import databases, live, scheduling

from amity.core import schema, warm
from amity.core.db import make_engine

POSTGRES_URL = os.environ.get("AMITY_TEST_POSTGRES_URL")
# The audit chain's key (amity.auth.audit_key): given here, so that no test run writes a key file
# into the user's data directory; servers the tests start inherit it.
os.environ.setdefault("AMITY_AUDIT_KEY", "test-audit-key-" + "0" * 32)
# Saved in-memory structures (the registry's facet table) go to a folder of this run, never into
# the user's data directory.
os.environ.setdefault("AMITY_STATE_DIR", tempfile.mkdtemp(prefix="amity-test-state-"))
# Attached photos and PDFs likewise (tests that look at the files set their own folder).
os.environ.setdefault("AMITY_ATTACHMENTS_DIR", tempfile.mkdtemp(prefix="amity-test-attachments-"))
# Where xdist's workers tell the scheduler each test's group (tests.support.scheduling).
os.environ.setdefault(
    scheduling.ENV, os.path.join(tempfile.mkdtemp(prefix="amity-test-groups-"), "groups.json")
)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def postgres_admin_url() -> str:
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("AMITY_TEST_POSTGRES_URL is not set: run the tests with `make test`")
        pytest.skip("no PostgreSQL server (run `make test` to start a throwaway one)")
    return POSTGRES_URL


def _admin_execute(url: str, *statements: str) -> None:
    admin = make_engine(url)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


def create_postgres_database(template: str | None = None) -> str:
    """Create a new database on the test server and return its URL."""
    admin_url = postgres_admin_url()
    name = f"amity_{_worker()}_{uuid.uuid4().hex[:10]}"
    clause = f" TEMPLATE {template}" if template else ""
    _admin_execute(admin_url, f"CREATE DATABASE {name}{clause} ENCODING 'UTF8'")
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    _admin_execute(postgres_admin_url(), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(autouse=True)
def _settled() -> Iterator[None]:
    """Background builds a test started end with it (before its database is dropped)."""
    yield
    warm.settle()


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated, empty database that per-test databases are copied from (fast)."""
    url = create_postgres_database()
    engine = make_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    yield make_url(url).database
    drop_postgres_database(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated, empty SQLite file that per-test databases are copied from (tests.support.
    databases: a copy takes milliseconds, running the migrations half a second)."""
    return databases.migrate(tmp_path_factory.mktemp("sqlite-template") / "template.db")


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path) -> Iterator[Engine]:
    """A fresh, empty, migrated database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        eng = databases.migrated_sqlite(template, tmp_path / "amity.db")
        yield eng
        eng.dispose()
        return
    template = request.getfixturevalue("postgres_template")
    url = create_postgres_database(template)
    eng = make_engine(url)
    yield eng
    eng.dispose()
    drop_postgres_database(url)


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path) -> Iterator[Engine]:
    """A fresh, migrated SQLite database, for tests that are about logic, not the engine."""
    eng = databases.migrated_sqlite(sqlite_template, tmp_path / "amity.db")
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one for a test module (tests.support.live)."""
    with live.chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, server: str):
    """A watched page on the module's `server` (a fixture yielding the base URL)."""
    with live.watched_page(browser, server) as opened:
        yield opened


@pytest.hookimpl(trylast=True)  # after any other hook changed the node ids
def pytest_collection_modifyitems(config, items) -> None:
    """A test without an xdist group of its own goes with the rest of its module: its module's
    fixtures (a server, a browser, a seeded world) are then set up once, on one worker, instead
    of once per worker or again each time another module's test ran in between. An xdist
    worker writes the groups down for the scheduler (tests.support.scheduling)."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    if hasattr(config, "workerinput") and config.getvalue("loadgroup"):
        scheduling.write_groups(items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`: the groups from the workers' file, the longest first
    (tests.support.scheduling)."""
    if config.getvalue("dist") == "loadgroup":
        return scheduling.GroupScheduling(config, log)
    return None

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

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from tests.support import live

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


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path) -> Iterator[Engine]:
    """A fresh, empty, migrated database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'amity.db'}")
        schema.upgrade(eng)
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
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    """A fresh, migrated SQLite database, for tests that are about logic, not the engine."""
    eng = make_engine(f"sqlite:///{tmp_path / 'amity.db'}")
    schema.upgrade(eng)
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


def pytest_collection_modifyitems(config, items) -> None:
    """Under `--dist loadgroup`, a test without an xdist group of its own goes with the rest of
    its module: its module's fixtures (a server, a browser, a seeded world) are then set up once,
    on one worker, instead of once per worker or again each time another module's test ran in
    between."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))

"""/healthz and /readyz on both engines: ready, and each way of not being ready (503)."""

from __future__ import annotations

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.support.live import free_port

from amity import __version__
from amity.core import health
from amity.core.db import make_engine
from amity.core.schema import alembic_config, head_revisions
from amity.http.app import create_app


def test_a_migrated_database_is_ready(engine):
    with TestClient(create_app(engine)) as client:
        alive = client.get("/healthz")
        ready = client.get("/readyz")
    assert alive.status_code == 200
    assert alive.json() == {"status": "ok", "version": __version__}
    assert alive.headers["cache-control"] == "no-store"
    assert "set-cookie" not in alive.headers  # no browser id: no database read
    assert ready.status_code == 200, ready.text
    assert ready.json() == {
        "status": "ready",
        "checks": {
            "database": {"ok": True, "detail": "reachable"},
            "schema": {"ok": True, "detail": "at the newest revision"},
            "warm": {"ok": True, "detail": "built on first use"},
        },
    }


def _older(engine) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0013")


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_schema_behind_the_code_is_not_ready(kind, request, tmp_path):
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = create_postgres_database()
        request.addfinalizer(lambda: drop_postgres_database(url))
    engine = make_engine(url)
    request.addfinalizer(engine.dispose)
    _older(engine)
    with TestClient(create_app(engine)) as client:
        alive = client.get("/healthz")
        ready = client.get("/readyz")
    assert alive.status_code == 200  # the process is fine: no restart for this
    assert ready.status_code == 503, ready.text
    checks = ready.json()["checks"]
    assert checks["database"]["ok"] and checks["warm"]["ok"]
    assert checks["schema"] == {
        "ok": False, "detail": "behind this version of Amity: run `amity init`"
    }
    with engine.connect() as connection:  # what made it fail
        stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert stored == "0013" and stored not in head_revisions(engine)


def test_an_empty_database_is_not_ready(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with TestClient(create_app(engine)) as client:
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["schema"]["detail"] == "not created: run `amity init`"


def test_an_unreachable_database_is_named_without_its_address():
    url = f"postgresql+psycopg://amity:s3cret@127.0.0.1:{free_port()}/amity"
    with TestClient(create_app(make_engine(url))) as client:
        alive = client.get("/healthz")
        ready = client.get("/readyz")
    assert alive.status_code == 200  # touches no database
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == {"ok": False, "detail": "unreachable"}
    assert "127.0.0.1" not in ready.text and "s3cret" not in ready.text


def test_warming_up_is_not_ready_until_done(engine):
    app = create_app(engine)
    with TestClient(app) as client:
        app.state.warm = health.WARM_BUILDING
        building = client.get("/readyz")
        app.state.warm = health.WARM_DONE
        done = client.get("/readyz")
        app.state.warm_failed = ["matching"]
        partly = client.get("/readyz")
    assert building.status_code == 503
    assert building.json()["checks"]["warm"] == {"ok": False, "detail": "loading"}
    assert done.status_code == 200 and done.json()["checks"]["warm"]["detail"] == "loaded"
    # A domain that failed to warm builds on demand: the process serves, the detail names it.
    assert partly.status_code == 200
    assert partly.json()["checks"]["warm"]["detail"].startswith("loaded, except matching")

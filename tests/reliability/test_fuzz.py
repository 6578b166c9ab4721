"""Property-based fuzzing of the whole OpenAPI with schemathesis: no input gives a 5xx.

A short run for `make test` (AMITY_FUZZ_EXAMPLES per operation, default 2, on a small registry,
fuzzing phase only); `make bench` runs far more cases against the demo database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.support.live import serve

from amity.core import schema
from amity.core.db import make_engine, session_scope
from amity.http.app import create_app
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place

EXAMPLES = os.environ.get("AMITY_FUZZ_EXAMPLES", "2")
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def _small_registry(url: str) -> None:
    engine = make_engine(url)
    schema.upgrade(engine)
    with session_scope(engine) as session:
        session.add_all([Country(iso2="CN", iso3="CHN", name_en="China", name_zh="中国"),
                         Country(iso2="FR", iso3="FRA", name_en="France", name_zh="法国")])
        a = Place(kind="city", name="Nanjing", name_zh="南京市", country_code="CN",
                  province_code="320000", source="test", lat=32.0, lon=118.8)
        b = Place(kind="city", name="Paris", country_code="FR", source="test", lat=48.9, lon=2.3)
        session.add_all([a, b])
        session.flush()
        session.add(Partnership(place_a_id=a.id, place_b_id=b.id, kind="friendship_city",
                                level="city_city", status="active", source="test"))
    engine.dispose()


@pytest.mark.xdist_group("fuzz")
def test_no_input_gives_a_server_error(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'amity.db'}"
    _small_registry(url)
    with serve(url, ready="/api/v1/stats", cli=True) as base:
        result = subprocess.run(
            [SCHEMATHESIS, "run", f"{base}/openapi.json", "--checks", "not_a_server_error",
             "-n", EXAMPLES, "--seed", "1", "--phases", "fuzzing", "--no-color",
             "--request-timeout", "60"],
            capture_output=True, text=True, timeout=600,
        )
    assert "Server error" not in result.stdout, result.stdout[-4000:]
    assert result.returncode == 0, result.stdout[-4000:]


def test_ids_past_the_integer_range_are_refused_not_crashed(engine) -> None:
    with TestClient(create_app(engine)) as client:
        for path in ("/api/v1/partnerships/99999999999999999999999",
                     "/api/v1/places/99999999999999999999999",
                     "/api/v1/partnerships?place=99999999999999999999999"):
            response = client.get(path)
            assert response.status_code == 422, path
            assert response.json()["error"]["code"] == "invalid_input"

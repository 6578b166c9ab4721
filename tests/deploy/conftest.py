"""Fixtures of the deployment tests: `amity serve` as an operator runs it, with its log kept.

`launch` starts `amity serve` in a process of its own with stderr written to a file the test
reads; `tiny_registry` puts three places and one partnership into a migrated database.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from tests.support.live import AMITY, database_url, free_port, stop, wait_until_up

from amity.core.db import session_scope
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place


@dataclass
class Server:
    base: str
    log: Path
    process: subprocess.Popen

    def lines(self) -> list[dict]:
        """The JSON log lines written so far (anything else is a failure: one format)."""
        found = []
        for line in self.log.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    found.append(json.loads(line))
                except json.JSONDecodeError:
                    pytest.fail(f"a log line that is not JSON: {line!r}")
        return found


@contextmanager
def launch(
    database: str | Engine,
    log: Path,
    *,
    env: Mapping[str, str] | None = None,
    command: list[str] | None = None,
    ready: str = "/readyz",
    timeout: float = 180.0,
) -> Iterator[Server]:
    """`amity serve` (or `command`, given the port as {port}) on a free port, stderr to `log`;
    yields once `ready` answers 200."""
    port = free_port()
    environment = {**os.environ, "AMITY_DATABASE_URL": database_url(database),
                   "AMITY_LOG_FORMAT": "json", **(env or {})}  # fmt: skip
    argv = [str(AMITY), "serve", "--host", "127.0.0.1", "--port", "{port}"]
    argv = [part.replace("{port}", str(port)) for part in (command or argv)]
    with log.open("ab") as sink:
        process = subprocess.Popen(argv, env=environment, stdout=sink, stderr=sink)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, base + ready, timeout, log=log)
        yield Server(base, log, process)
    finally:
        stop(process)


def tiny_registry(engine: Engine) -> dict[str, int]:
    """Place ids by name (two French cities, one Chinese) and one partnership between two."""
    with session_scope(engine) as session:
        session.add(Country(iso2="CN", iso3="CHN", name_en="China", name_zh="中国",
                            continent="Asia"))  # fmt: skip
        session.add(Country(iso2="FR", iso3="FRA", name_en="France", name_zh="法国",
                            continent="Europe"))  # fmt: skip
        places = {
            name: Place(kind="city", name=name, name_zh=zh, country_code=cc, source="test",
                        lat=1.0, lon=2.0)  # fmt: skip
            for name, zh, cc in [("Nanjing", "南京市", "CN"), ("Paris", "巴黎", "FR"),
                                 ("Lyon", "里昂", "FR")]  # fmt: skip
        }
        session.add_all(places.values())
        session.flush()
        low, high = sorted((places["Nanjing"].id, places["Paris"].id))
        session.add(Partnership(place_a_id=low, place_b_id=high, kind="friendship_city",
                                level="city_city", status="active", source="test"))  # fmt: skip
        return {name: place.id for name, place in places.items()}


def new_partnership(places: dict[str, int]) -> dict:
    """A partnership Nanjing–Lyon as the API takes it (with the evidence a steward gives)."""
    return {"place_a_id": places["Nanjing"], "place_b_id": places["Lyon"], "established": "1994",
            "evidence_document": "Agreement 94/3", "evidence_source": "City archive"}  # fmt: skip

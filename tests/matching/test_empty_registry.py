"""A registry without partnerships (a fresh `amity init`): the recommender has nothing to learn
from, and says so plainly (409), in the API, the command line and at a server's start."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from amity.core import cache
from amity.core.db import session_scope
from amity.http.app import create_app
from amity.matching import service
from amity.partnerships.models import Partnership

from .conftest import build_network


@pytest.fixture
def empty(engine):
    cache.clear()
    built = build_network(engine)
    with session_scope(engine) as session:
        session.execute(delete(Partnership))
    return {**built, "engine": engine}


def test_the_api_says_there_is_nothing_to_learn_from(empty):
    client = TestClient(create_app(empty["engine"]))
    answer = client.get("/api/v1/recommend", params={"place": empty["ids"]["xian"]})
    assert answer.status_code == 409, answer.text
    assert "there are none yet" in answer.json()["error"]["message"]
    zh = client.get("/api/v1/recommend", params={"place": empty["ids"]["xian"]},
                    headers={"Accept-Language": "zh-CN"})  # fmt: skip
    assert zh.status_code == 409 and "还没有" in zh.json()["error"]["message"]


def test_warming_an_empty_registry_logs_one_line_not_a_traceback(empty, caplog):
    caplog.set_level(logging.INFO, logger="amity.matching.service")
    with session_scope(empty["engine"]) as session:
        service.warm(session)  # does not raise
    assert any("recommender not warmed" in r.getMessage() for r in caplog.records)

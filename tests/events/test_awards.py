"""Awards: editions at the conference, nominations, judges' scores and ranked results."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from amity.auth.service import create_token
from amity.core.db import session_scope
from amity.core.errors import Conflict, NotFound
from amity.events import awards
from amity.events.schemas import EditionCreate, NominationCreate, ScoreCreate
from amity.http.app import create_app


def test_results_rank_by_mean_score_and_mark_winners(edition):
    with session_scope(edition["engine"]) as session:
        result = awards.results(session, 2012)
    ranked = result["awards"][0]["nominations"]
    assert [n["citation_en"] for n in ranked] == [
        "hague citation",
        "beijing citation",
        "chengdu citation",
        "unscored citation",
    ]  # 9.0, then 8.0 with more scores, then 8.0, then no score
    assert [n["mean_score"] for n in ranked] == [9.0, 8.0, 8.0, None]
    assert [n["winner"] for n in ranked] == [True, True, False, False]
    assert result["event"]["id"] == edition["ids"]["cifcc2012"]


def test_a_judge_scores_a_criterion_once(edition):
    with session_scope(edition["engine"]) as session, pytest.raises(Conflict):
        awards.score(session, edition["nominations"]["hague"],
                     ScoreCreate(judge="A", criterion="impact", score=1))  # fmt: skip


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (NominationCreate, {"award": "exchange"}),
        (NominationCreate, {"award": "exchange", "place_id": 1, "partnership_id": 1}),
        (ScoreCreate, {"judge": "A", "criterion": "impact", "score": 11}),
        (ScoreCreate, {"judge": "", "criterion": "impact", "score": 5}),
        (EditionCreate, {"year": 1950, "source": "s"}),
    ],
)
def test_award_validation(model, fields):
    with pytest.raises(ValidationError):
        model(**fields)


def test_missing_things_are_not_found(edition):
    with session_scope(edition["engine"]) as session:
        with pytest.raises(NotFound):
            awards.results(session, 2099)
        with pytest.raises(NotFound):
            awards.nominate(session, 2012, NominationCreate(award="nope", place_id=1))
        with pytest.raises(Conflict):
            awards.create_edition(session, EditionCreate(year=2012, source="again"))


def test_awards_api_and_pages(edition):
    with session_scope(edition["engine"]) as session:
        token = create_token(session, "judge")
    client = TestClient(create_app(edition["engine"]))
    body = client.get("/api/v1/awards/2012").json()
    assert body["awards"][0]["nominations"][0]["winner"] is True
    nomination = edition["nominations"]["unscored"]
    score = {"judge": "C", "criterion": "impact", "score": 10}
    path = f"/api/v1/nominations/{nomination}/scores"
    assert client.post(path, json=score).status_code == 401
    auth = {"Authorization": f"Bearer {token}"}
    assert client.post(path, json=score, headers=auth).status_code == 201
    top = client.get("/api/v1/awards/2012").json()["awards"][0]["nominations"][0]
    assert top["citation_en"] == "unscored citation" and top["mean_score"] == 10.0
    page = client.get("/awards/2012?lang=zh")
    assert page.status_code == 200 and "交流合作奖" in page.text and "获奖" in page.text
    assert "Exchange Award" in client.get("/awards?lang=en").text
    assert client.get("/awards/2099").status_code == 404

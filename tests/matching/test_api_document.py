"""The matchmaking API through its service: every route's answer has a schema in the OpenAPI
document, and the answer is the service's result, nothing dropped or added."""

from __future__ import annotations

import json

from amity.core.db import session_scope
from amity.matching import service
from amity.matching.schemas import NoteWrite

ROUTES = {
    ("get", "/api/v1/recommendations"), ("get", "/api/v1/plan"),
    ("get", "/api/v1/profiles/{place_id}"), ("put", "/api/v1/profiles/{place_id}"),
    ("get", "/api/v1/board/notes"), ("post", "/api/v1/board/notes"),
    ("post", "/api/v1/board/notes/{note_id}/close"), ("get", "/api/v1/board/matches/{note_id}"),
    # the pages' twins (/recommend, /board, /board/{id}, /places/{id}/profile)
    ("get", "/api/v1/recommend"), ("get", "/api/v1/board"), ("get", "/api/v1/board/{note_id}"),
    ("get", "/api/v1/places/{place_id}/profile"),
    # the recommendations' exports for people (files, not JSON)
    ("get", "/api/v1/recommend/export.csv"), ("get", "/api/v1/recommend/export.xlsx"),
}  # fmt: skip
DOWNLOADS = {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def test_every_matching_route_has_a_response_schema(api):
    paths = api.get("/openapi.json").json()["paths"]
    matching = {(m, p) for p, ops in paths.items() for m, op in ops.items()
                if "matching" in op.get("tags", [])}  # fmt: skip
    assert matching == ROUTES
    for method, path in ROUTES:
        responses = paths[path][method]["responses"]
        ok = responses.get("200") or responses["201"]
        if set(ok["content"]) & DOWNLOADS:
            continue
        assert "$ref" in ok["content"]["application/json"]["schema"], (method, path)


def _plain(value) -> object:
    return json.loads(json.dumps(value))


def test_the_answers_are_the_services_results(api, auth, network):
    ids = network["ids"]
    with session_scope(network["engine"]) as session:
        note = service.post_note(session, NoteWrite(place_id=ids["xian"], seeks_countries=["FR"]))
        service.post_note(session, NoteWrite(place_id=ids["paris"], offers_fields=["tea"]))
    with session_scope(network["engine"]) as session:
        expected = {
            "explained": service.recommend(session, ids["xian"], k=3, explain_excluded=True),
            "plain": service.recommend(session, ids["xian"], k=3),
            "plan": service.plan(session, new=2),
            "profile": service.get_profile(session, ids["xian"]),
            "notes": service.list_notes(session),
            "matches": service.matches(session, note["id"]),
        }
    place = {"place": ids["xian"], "k": 3}
    explained = api.get("/api/v1/recommendations", params={**place, "explain_excluded": True})
    plain = api.get("/api/v1/recommendations", params=place).json()
    assert explained.json() == _plain(expected["explained"]) and "excluded" in explained.json()
    assert plain == _plain(expected["plain"]) and "excluded" not in plain
    answer = api.get("/api/v1/plan", params={"new": 2}).json()
    assert {k: v for k, v in answer.items() if k != "seconds"} == {
        k: v for k, v in _plain(expected["plan"]).items() if k != "seconds"}  # fmt: skip
    assert answer["pairs"] and answer["balance"]["after"]["pairs"] > 0
    assert api.get(f"/api/v1/profiles/{ids['xian']}").json() == expected["profile"]
    assert api.get("/api/v1/board/notes").json() == {"count": 2, "notes": expected["notes"]}
    matches = api.get(f"/api/v1/board/matches/{note['id']}").json()
    assert matches == _plain(expected["matches"]) and matches["matches"]
    closed = api.post(f"/api/v1/board/notes/{note['id']}/close", headers=auth).json()
    assert closed == {**expected["matches"]["note"], "status": "closed"}

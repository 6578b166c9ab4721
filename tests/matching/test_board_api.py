"""The partner-seeking board, profiles, the plan and the API's errors, on both engines."""

from __future__ import annotations

from sqlalchemy import event

from amity.core.db import session_scope
from amity.matching import board, plan


def _note(api, auth, place, **values):
    body = {"place_id": place} | values
    response = api.post("/api/v1/board/notes", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


def test_board_matches_both_ways_and_ranks_by_fields(api, auth, network):
    ids = network["ids"]
    mine = _note(api, auth, ids["xian"], seeks_countries=["fr", "JP"], seeks_fields=["Education"],
                 offers_fields=["tourism", "apples"], description="寻找教育合作")  # fmt: skip
    both = _note(api, auth, ids["lyon"], seeks_countries=["CN"], seeks_fields=["tourism", "apples"],
                 offers_fields=["education"])  # fmt: skip
    one = _note(api, auth, ids["kyoto"], seeks_fields=["tourism"], offers_fields=["education"])
    # Paris seeks Japan only: Xi'an is not where it looks.
    _note(api, auth, ids["paris"], seeks_countries=["JP"], offers_fields=["education"])
    # Osaka seeks large places, offers nothing Xi'an seeks.
    _note(api, auth, ids["osaka"], seeks_size="large", offers_fields=["robots"])
    # Berlin is in a country Xi'an does not seek.
    _note(api, auth, ids["berlin"], offers_fields=["education"])
    closed = _note(api, auth, ids["kyoto"], offers_fields=["education"])
    assert api.post(f"/api/v1/board/notes/{closed['id']}/close", headers=auth).json()["status"] == (
        "closed"
    )
    found = api.get(f"/api/v1/board/matches/{mine['id']}").json()
    assert [m["note"]["id"] for m in found["matches"]] == [both["id"], one["id"]]
    first = found["matches"][0]
    assert first["they_offer_what_we_seek"] == ["education"]
    assert first["we_offer_what_they_seek"] == ["apples", "tourism"]
    assert first["score"] is not None
    assert mine["seeks_countries"] == ["FR", "JP"] and mine["seeks_fields"] == ["education"]


def test_board_lists_with_filters_in_a_fixed_number_of_queries(api, auth, network):
    ids = network["ids"]
    for key in ("xian", "lyon", "paris", "kyoto", "osaka", "berlin"):
        _note(api, auth, ids[key], offers_fields=["culture" if key != "berlin" else "beer"])
    listed = api.get("/api/v1/board/notes", params={"country": "fr"}).json()
    assert [n["place"]["name"] for n in listed["notes"]] == ["Paris", "Lyon"]  # newest first
    assert api.get("/api/v1/board/notes", params={"field": "BEER"}).json()["count"] == 1
    assert api.get("/api/v1/board/notes", params={"status": "closed"}).json()["count"] == 0
    statements = []
    engine = network["engine"]
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        with session_scope(engine) as session:
            assert len(board.list_notes(session)) == 6
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert len(statements) == 1  # notes and their places in one query, not one per note


def test_profiles_round_trip_and_feed_the_recommender(api, auth, network):
    ids = network["ids"]
    empty = api.get(f"/api/v1/profiles/{ids['xian']}").json()
    assert empty["industries"] == [] and empty["note"] is None
    body = {"industries": ["Apples", " apples "], "needs": ["cold chain"], "note": "苹果之乡"}
    saved = api.put(f"/api/v1/profiles/{ids['xian']}", json=body, headers=auth).json()
    assert saved["industries"] == ["apples"] and saved["note"] == "苹果之乡"
    api.put(f"/api/v1/profiles/{ids['nairobi']}", json={"offers": ["Cold Chain"]}, headers=auth)
    result = api.get("/api/v1/recommendations", params={"place": ids["xian"], "k": 10}).json()
    nairobi = next(r for r in result["results"] if r["name"] == "Nairobi")
    profile = next(f for f in nairobi["factors"] if f["factor"] == "profile")
    assert profile["contribution"] > 0 and profile["reason"]["zh"] == "自述相合：cold chain"


def test_api_errors_have_the_error_shape(api, auth, network):
    ids = network["ids"]
    checks = [
        (api.get("/api/v1/recommendations", params={"place": 999999}), 404, "not_found"),
        (api.get("/api/v1/recommendations", params={"place": ids["xian"], "scope": "moon"}),
         422, "invalid_input"),
        (api.get("/api/v1/recommendations", params={"place": ids["xian"], "country": "ZZ"}),
         422, "invalid_input"),
        (api.get("/api/v1/recommendations", params={"place": ids["xian"], "k": 0}), 422, None),
        (api.get("/api/v1/plan", params={"province": "999999"}), 422, "invalid_input"),
        (api.get("/api/v1/board/matches/999999"), 404, "not_found"),
        (api.post("/api/v1/board/notes", json={"place_id": ids["xian"]}), 401, "unauthorized"),
        (api.post("/api/v1/board/notes", json={"place_id": 999999}, headers=auth), 404,
         "not_found"),
        (api.post("/api/v1/board/notes", json={"place_id": ids["xian"], "seeks_size": "huge"},
                  headers=auth), 422, None),
        (api.post("/api/v1/board/notes/999999/close", headers=auth), 404, "not_found"),
        (api.put("/api/v1/profiles/999999", json={}, headers=auth), 404, "not_found"),
        (api.put(f"/api/v1/profiles/{ids['xian']}", json={}), 401, "unauthorized"),
        (api.get("/api/v1/profiles/999999"), 404, "not_found"),
    ]  # fmt: skip
    for response, status, code in checks:
        assert response.status_code == status, (response.request.url, response.text)
        if code:
            assert response.json()["error"]["code"] == code


def test_plan_for_a_province_respects_the_constraints(network):
    ids = network["ids"]
    with session_scope(network["engine"]) as session:
        result = plan.plan(session, new=2, province="610000")
    assert result["method"].startswith("integer-programme")
    assert len(result["pairs"]) == 2
    partnered = {("xian", "paris"), ("xian", "osaka"), ("baoji", "paris"), ("baoji", "berlin")}
    by_id = {v: k for k, v in ids.items()}
    for row in result["pairs"]:
        pair = (by_id[row["place"]["id"]], by_id[row["partner"]["id"]])
        assert pair not in partnered and pair[0] in {"xian", "baoji"}
    assert len({row["partner"]["id"] for row in result["pairs"]}) == 2  # one new pair per partner
    assert result["balance"]["after"]["pairs"] == result["balance"]["before"]["pairs"] + 2


def test_migration_builds_the_matching_tables_as_the_models_say(engine):
    from sqlalchemy import inspect

    from amity.matching.models import BoardNote, CityProfile

    inspector = inspect(engine)
    for model in (CityProfile, BoardNote):
        columns = {c["name"] for c in inspector.get_columns(model.__tablename__)}
        assert columns == set(model.__table__.columns.keys())

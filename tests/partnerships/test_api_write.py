"""Writes through the API: tokens, content type, body size, validation, conflicts, ending."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from amity.auth.service import revoke_token
from amity.core.db import session_scope

from .test_api_read import assert_error


def new_pair(registry: dict, **extra) -> dict:
    places = registry["places"]
    # A registry steward's record carries its evidence (the token acts as the steward).
    evidence = {"established": "1994", "evidence_document": "Agreement 94/3",
                "evidence_source": "Suzhou archive"}  # fmt: skip
    return {"place_a_id": places["berlin"], "place_b_id": places["suzhou"], **evidence, **extra}


def test_create_then_read_and_list(api_client, small_registry, auth_headers):
    response = api_client.post(
        "/api/v1/partnerships",
        json=new_pair(small_registry, established="1994年6月", kind="sister_city"),
        headers=auth_headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["level"] == "city_city"  # inferred from two cities
    assert body["established"] == "1994-06" and body["established_year"] == 1994
    assert body["a"]["id"] < body["b"]["id"]
    assert api_client.get(f"/api/v1/partnerships/{body['id']}").json()["id"] == body["id"]
    listing = api_client.get("/api/v1/partnerships", params={"country": "DE"}).json()
    assert listing["total"] == 3


def test_writes_need_a_live_token(api_client, engine, small_registry, api_token):
    url = "/api/v1/partnerships"
    assert_error(api_client.post(url, json=new_pair(small_registry)), 401, "unauthorized")
    wrong = {"Authorization": "Bearer amity_not-a-token"}
    assert_error(api_client.post(url, json=new_pair(small_registry), headers=wrong), 401,
                 "unauthorized")
    with session_scope(engine) as session:
        revoke_token(session, 1)
    revoked = {"Authorization": f"Bearer {api_token}"}
    response = api_client.post(url, json=new_pair(small_registry), headers=revoked)
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert api_client.get("/api/v1/partnerships").json()["total"] == 9


def test_wrong_content_type_is_415(api_client, small_registry, auth_headers):
    response = api_client.post(
        "/api/v1/partnerships",
        content=json.dumps(new_pair(small_registry)),
        headers={**auth_headers, "Content-Type": "text/plain"},
    )
    assert_error(response, 415, "unsupported_media_type")


def test_body_over_a_megabyte_is_413(api_client, small_registry, auth_headers):
    big = new_pair(small_registry, note="x" * (1024 * 1024 + 1))
    response = api_client.post("/api/v1/partnerships", json=big, headers=auth_headers)
    assert_error(response, 413, "payload_too_large")


def test_malformed_json_is_422(api_client, auth_headers):
    response = api_client.post(
        "/api/v1/partnerships",
        content=b"{not json",
        headers={**auth_headers, "Content-Type": "application/json"},
    )
    assert_error(response, 422, "invalid_input")


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"place_b_id": None}, 422, "invalid_input"),
        ({"place_b_id": "self"}, 422, "invalid_input"),
        ({"place_b_id": 999_999}, 422, "invalid_input"),
        ({"kind": "twinning"}, 422, "invalid_input"),
        ({"status": "happy"}, 422, "invalid_input"),
        ({"established": "2999"}, 422, "invalid_input"),
        ({"established": "yesterday"}, 422, "invalid_input"),
        ({"colour": "red"}, 422, "invalid_input"),
        ({"place_b_id": "paris-nanjing"}, 409, "conflict"),
    ],
)
def test_invalid_creations(api_client, small_registry, auth_headers, change, status, code):
    places = small_registry["places"]
    body = new_pair(small_registry)
    body.update(change)
    if change.get("place_b_id") == "self":
        body["place_b_id"] = body["place_a_id"]
    if change.get("place_b_id") == "paris-nanjing":
        body = {**body, "place_a_id": places["paris"], "place_b_id": places["nanjing"]}
    response = api_client.post("/api/v1/partnerships", json=body, headers=auth_headers)
    assert_error(response, status, code)
    assert api_client.get("/api/v1/partnerships").json()["total"] == 9


def test_update(api_client, small_registry, auth_headers):
    pid = small_registry["pairs"][2]
    url = f"/api/v1/partnerships/{pid}"
    response = api_client.patch(url, json={"status": "active", "established": "1996"},
                                headers=auth_headers)
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["established"]) == ("active", "1996")
    assert api_client.get("/api/v1/partnerships", params={"status": "dormant"}).json()["total"] == 0
    assert_error(api_client.patch(url, json={"status": "terminated"}, headers=auth_headers),
                 422, "invalid_input")
    assert_error(api_client.patch(url, json={"kind": None}, headers=auth_headers),
                 422, "invalid_input")
    assert_error(api_client.patch("/api/v1/partnerships/999999", json={}, headers=auth_headers),
                 404, "not_found")


def test_end_keeps_the_partnership(api_client, small_registry, auth_headers):
    pid = small_registry["pairs"][0]
    url = f"/api/v1/partnerships/{pid}/end"
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert_error(api_client.post(url, json={"ended_on": tomorrow}, headers=auth_headers),
                 422, "invalid_input")
    assert_error(api_client.post(url, json={"ended_on": "1980-01-01"}, headers=auth_headers),
                 422, "invalid_input")
    response = api_client.post(url, json={"ended_on": "2020-03-01", "reason": "Merged"},
                               headers=auth_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["ended_on"]) == ("terminated", "2020-03-01")
    assert "Merged" in body["note"]
    error = assert_error(api_client.post(url, json={"ended_on": "2021-01-01"},
                                         headers=auth_headers), 409, "conflict")
    assert error["details"]["ended_on"] == "2020-03-01"
    assert api_client.get("/api/v1/partnerships").json()["total"] == 9


def test_streamed_body_over_a_megabyte_is_413(api_client, auth_headers):
    chunks = iter([b'{"note": "' + b"x" * 700_000, b"x" * 700_000 + b'"}'])
    response = api_client.post(
        "/api/v1/partnerships",
        content=chunks,
        headers={**auth_headers, "Content-Type": "application/json"},
    )
    assert_error(response, 413, "payload_too_large")

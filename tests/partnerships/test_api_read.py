"""The read side of the API: lists, facets, errors in one shape, stats, a place's partners."""

from __future__ import annotations

import pytest


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_list_with_filters_and_facets(api_client):
    response = api_client.get(
        "/api/v1/partnerships", params=[("country", "fr"), ("country", "JP"), ("status", "active")]
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 4
    assert body["page"] == 1 and body["per_page"] == 50
    assert set(body["facets"]) == {
        "country", "continent", "province", "region", "level", "kind", "status", "source"
    }
    status = {row["value"]: row["count"] for row in body["facets"]["status"]}
    assert status == {"active": 4, "dormant": 1, "terminated": 1}
    item = body["items"][0]
    assert set(item) == {"id", "kind", "level", "status", "established", "source", "a", "b"}
    assert set(item["a"]) == {
        "id", "name", "name_zh", "country", "country_name", "country_name_zh",
        "province_code", "lat", "lon", "level",
    }


def test_pagination_and_sort(api_client):
    first = api_client.get("/api/v1/partnerships", params={"per_page": 2, "sort": "-id"}).json()
    second = api_client.get(
        "/api/v1/partnerships", params={"per_page": 2, "page": 2, "sort": "-id"}
    ).json()
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(ids) == 4 and ids == sorted(ids, reverse=True)
    assert first["total"] == second["total"] == 9


@pytest.mark.parametrize(
    "params",
    [
        {"per_page": 201},
        {"per_page": 0},
        {"page": 0},
        {"page": "two"},
        {"kind": "twin"},
        {"country": "France"},
        {"country": "ZZ"},
        {"province": "32"},
        {"sort": "population"},
        {"place": "x"},
    ],
)
def test_bad_values_are_422(api_client, params):
    response = api_client.get("/api/v1/partnerships", params=params)
    error = assert_error(response, 422, "invalid_input")
    assert error["details"]


def test_unknown_filter_is_400_with_the_allowed_ones(api_client):
    response = api_client.get("/api/v1/partnerships", params={"contry": "FR", "per_page": 500})
    error = assert_error(response, 400, "unknown_filter")
    assert error["details"]["unknown"] == ["contry"]
    assert "country" in error["details"]["allowed"]


def test_get_one_partnership(api_client, small_registry):
    pid = small_registry["pairs"][0]
    body = api_client.get(f"/api/v1/partnerships/{pid}").json()
    assert body["id"] == pid
    assert {body["a"]["name"], body["b"]["name"]} == {"Nanjing", "Paris"}
    assert body["established_year"] == 1985


def test_missing_and_malformed_ids(api_client):
    assert_error(api_client.get("/api/v1/partnerships/999999"), 404, "not_found")
    assert_error(api_client.get("/api/v1/partnerships/abc"), 422, "invalid_input")
    assert_error(api_client.get("/api/v1/partnerships/-3"), 422, "invalid_input")
    assert_error(api_client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(api_client.delete("/api/v1/partnerships/1"), 405, "method_not_allowed")


def test_stats(api_client):
    body = api_client.get("/api/v1/stats").json()
    assert body["partnerships"] == 9
    assert body["countries"] == 6
    assert body["china_partnerships"] == 6
    assert {row["value"] for row in body["by_continent"]} == {
        "Asia", "Europe", "Africa", "North America"
    }
    # The full statistics ride along: the same figures as the analytics service gives.
    assert body["statistics"]["home"]["partner_countries"] == body["china_partner_countries"]
    assert "gini" in str(body["layout"]).lower()


def test_place_partners(api_client, small_registry):
    chengdu = small_registry["places"]["chengdu"]
    body = api_client.get(f"/api/v1/places/{chengdu}/partners").json()
    assert body["place"]["name"] == "Chengdu"
    assert sorted(p["partner"]["name"] for p in body["partners"]) == ["Houston", "Nairobi"]
    assert_error(api_client.get("/api/v1/places/999999/partners"), 404, "not_found")


def test_openapi_lists_every_route_with_models(api_client):
    spec = api_client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, method in [
        ("/api/v1/partnerships", "get"),
        ("/api/v1/partnerships", "post"),
        ("/api/v1/partnerships/{partnership_id}", "get"),
        ("/api/v1/partnerships/{partnership_id}", "patch"),
        ("/api/v1/partnerships/{partnership_id}/end", "post"),
        ("/api/v1/partnerships/export.csv", "get"),
        ("/api/v1/partnerships/export.xlsx", "get"),
        ("/api/v1/stats", "get"),
        ("/api/v1/places/{place_id}/partners", "get"),
    ]:
        operation = paths[path][method]
        ok = operation["responses"][str(201 if method == "post" and path.endswith("s") else 200)]
        assert ok["content"], (path, method)
        assert "ErrorResponse" in str(operation["responses"]["422"])
    listing = paths["/api/v1/partnerships"]["get"]
    assert "PartnershipPage" in str(listing["responses"]["200"])
    assert {p["name"] for p in listing["parameters"]} >= {"q", "country", "per_page", "sort"}
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_a_missing_page_is_html_and_a_missing_api_resource_is_json(api_client):
    page = api_client.get("/no-such-page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    api = api_client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"

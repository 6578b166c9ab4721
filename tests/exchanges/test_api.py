"""The exchanges and health API: lists with facets, CSV, writes behind the token, errors' shape."""

from __future__ import annotations


def create(api_client, auth_headers, **values) -> dict:
    body = {"mode": "forum", "start": "2019"} | values
    response = api_client.post("/api/v1/exchanges", json=body, headers=auth_headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_list_timeline_and_export(api_client, auth_headers, small_registry):
    pairs, places = small_registry["pairs"], small_registry["places"]
    made = create(api_client, auth_headers, partnership_id=pairs[0], fields=["culture"],
                  title="=cmd|' /C calc'!A0")  # fmt: skip
    create(api_client, auth_headers, place_a_id=places["chengdu"], place_b_id=places["paris"],
           mode="student_exchange", start="2021-09")  # fmt: skip
    listed = api_client.get("/api/v1/exchanges", params={"mode": "forum"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == made["id"]
    modes = {e["value"]: e["count"] for e in listed["facets"]["mode"]}
    assert modes == {"forum": 1, "student_exchange": 1}
    loose = api_client.get("/api/v1/exchanges", params={"place": places["chengdu"]}).json()
    assert loose["items"][0]["without_partnership"] is True
    timeline = api_client.get(f"/api/v1/partnerships/{pairs[0]}/timeline").json()
    assert [i["id"] for i in timeline["items"]] == [made["id"]]
    by_place = api_client.get(f"/api/v1/places/{places['nanjing']}/exchanges").json()
    assert by_place["total"] == 1
    csv = api_client.get("/api/v1/exchanges/export.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("id,partnership_id,a_name")
    assert "'=cmd" in csv  # a formula stays text in a spreadsheet
    older = api_client.get("/api/v1/exchanges/export.csv", params={"encoding": "gb18030"})
    assert older.headers["content-type"] == "text/csv; charset=GB18030"
    assert older.content.decode("gb18030") == csv  # the same table, for older Excel
    taxonomy = api_client.get("/api/v1/exchanges/taxonomy").json()
    assert "summer_camp" in [m["code"] for m in taxonomy["modes"]]


def test_update_delete_and_errors(api_client, auth_headers, small_registry):
    made = create(api_client, auth_headers, partnership_id=small_registry["pairs"][0])
    path = f"/api/v1/exchanges/{made['id']}"
    changed = api_client.patch(path, json={"outcome": "MoU"}, headers=auth_headers).json()
    assert changed["outcome"] == "MoU"
    unknown = api_client.post(
        "/api/v1/exchanges", json={"mode": "nope", "start": "2019",
                                   "partnership_id": small_registry["pairs"][0]},
        headers=auth_headers,
    )  # fmt: skip
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "invalid_input"
    no_token = api_client.post("/api/v1/exchanges", json={"mode": "forum", "start": "2019"})
    assert no_token.status_code == 401 and no_token.json()["error"]["code"] == "unauthorized"
    assert api_client.get("/api/v1/exchanges/9999").json()["error"]["code"] == "not_found"
    bad_filter = api_client.get("/api/v1/exchanges", params={"moed": "forum"})
    assert bad_filter.status_code == 400
    assert bad_filter.json()["error"]["code"] == "unknown_filter"
    assert api_client.delete(path, headers=auth_headers).status_code == 204
    assert api_client.get(path).status_code == 404


def test_taxonomy_endpoint_needs_a_token(api_client, auth_headers):
    body = {"code": "sister_school", "label_en": "Sister schools", "label_zh": "姐妹学校"}
    assert api_client.post("/api/v1/exchanges/taxonomy/mode", json=body).status_code == 401
    added = api_client.post("/api/v1/exchanges/taxonomy/mode", json=body, headers=auth_headers)
    assert added.status_code == 201
    again = api_client.post("/api/v1/exchanges/taxonomy/mode", json=body, headers=auth_headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_health_list_and_actions(api_client, auth_headers, small_registry):
    pairs, places = small_registry["pairs"], small_registry["places"]
    health = api_client.get(f"/api/v1/partnerships/{pairs[1]}/health").json()
    assert health["state"] == "dormant" and health["dormant_years"] == 3
    assert health["reasons"][0]["zh"].startswith("自签约")
    listed = api_client.get("/api/v1/health", params={"office": places["jiangsu"]}).json()
    assert pairs[1] in [i["partnership_id"] for i in listed["items"]]
    # /attention, the list's name before, stays for integrators: the same answer.
    old = api_client.get("/api/v1/attention", params={"office": places["jiangsu"]}).json()
    assert old == listed
    path = f"/api/v1/partnerships/{pairs[1]}/review"
    assert api_client.post(path, json={"note": "ok"}).status_code == 401
    reviewed = api_client.post(path, json={"note": "Called them", "days": 10},
                               headers=auth_headers).json()  # fmt: skip
    assert reviewed["history"][-1]["action"] == "reviewed"
    listed = api_client.get("/api/v1/health", params={"office": places["jiangsu"]}).json()
    assert pairs[1] not in [i["partnership_id"] for i in listed["items"]]
    proposed = api_client.post(
        f"/api/v1/partnerships/{pairs[5]}/propose-ending",
        json={"note": "Silent since 1990"},
        headers=auth_headers,
    ).json()
    assert proposed["ending_proposed"] is True
    ended = api_client.post(f"/api/v1/partnerships/{pairs[8]}/reactivate",
                            json={"note": "x"}, headers=auth_headers)  # fmt: skip
    assert ended.status_code == 409 and ended.json()["error"]["code"] == "conflict"
    empty_note = api_client.post(path, json={"note": ""}, headers=auth_headers)
    assert empty_note.status_code == 422
    missing = api_client.get("/api/v1/health", params={"office": 99999})
    assert missing.status_code == 404

"""Exchange and health pages in both languages, the form, and the health page's actions."""

from __future__ import annotations

import pytest
from tests.auth.web import csrf, sign_in

from amity.core.db import session_scope
from amity.exchanges.service import record_exchange
from amity.partnerships.models import Partnership


def first_pair(registry) -> int:
    with session_scope(registry["engine"]) as session:
        return session.query(Partnership.id).order_by(Partnership.id).first()[0]


@pytest.fixture
def recorded(registry) -> dict:
    ids = registry["ids"]
    with session_scope(registry["engine"]) as session:
        visit = record_exchange(
            session, place_a_id=ids["nanjing"], place_b_id=ids["paris"], mode="high_level_visit",
            start="2023-04", fields=["education", "culture"], direction="both",
            outcome="Two schools twinned",
        )  # fmt: skip
        loose = record_exchange(
            session, place_a_id=ids["nanjing"], place_b_id=ids["lyon"], mode="exhibition",
            start="2019", title="Your City in My Eyes",
        )  # fmt: skip
    return {"visit": visit, "loose": loose}


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", ["交流", "高层互访", "教育", "未结好"]), ("en", ["Exchanges", "High-level visit",
                                                   "Education", "no partnership"])],
)  # fmt: skip
def test_exchange_list_in_both_languages(client, recorded, lang, words):
    page = client.get("/exchanges", params={"lang": lang})
    assert page.status_code == 200
    for word in words:
        assert word in page.text
    filtered = client.get("/exchanges", params={"lang": lang, "mode": "exhibition"})
    assert "Your City in My Eyes" in filtered.text and "Two schools twinned" not in filtered.text
    assert 'href="/api/v1/exchanges/export.csv?mode=exhibition' in filtered.text


def test_partnership_activity_fragment_and_page(client, registry, recorded):
    pid = recorded["visit"]["partnership_id"]
    detail = client.get(f"/partnerships/{pid}", params={"lang": "en"})
    assert f'data-activity-src="/partnerships/{pid}/activity?fragment=1&amp;lang=en"' in detail.text
    fragment = client.get(f"/partnerships/{pid}/activity", params={"fragment": 1, "lang": "zh"})
    assert "<html" not in fragment.text
    assert "友好关系健康度" in fragment.text and "双向互访。" in fragment.text
    assert "Two schools twinned" in fragment.text
    page = client.get(f"/partnerships/{pid}/activity", params={"lang": "en"})
    assert "<html" in page.text and "Visits in both directions." in page.text
    place = client.get(f"/places/{registry['ids']['nanjing']}/activity", params={"lang": "en"})
    assert "2 exchanges" in place.text
    assert client.get("/partnerships/9999/activity").status_code == 404


def test_record_an_exchange_through_the_form(client, registry):
    pid = first_pair(registry)
    form = {"partnership_id": str(pid), "mode": "forum", "start": "2022", "fields": ["culture"],
            "direction": "joint", "csrf_token": csrf(client)}  # fmt: skip
    refused = client.post("/exchanges/new", data=form, params={"lang": "en"})
    assert refused.status_code == 422 and "Sign in with an account allowed" in refused.text
    form["csrf_token"] = sign_in(client)
    bad_date = client.post("/exchanges/new", data={**form, "start": "2999"})
    assert bad_date.status_code == 422
    saved = client.post("/exchanges/new", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/partnerships/{pid}?saved=1"
    timeline = client.get(f"/api/v1/partnerships/{pid}/timeline").json()
    assert timeline["items"][0]["fields"] == ["culture"]


def test_health_page_and_actions(client, registry):
    nanjing = registry["ids"]["nanjing"]
    page = client.get("/health", params={"office": nanjing, "lang": "zh"})
    assert page.status_code == 200 and "友好关系健康度" in page.text
    assert "休眠" in page.text
    pid = first_pair(registry)
    refused = client.post(f"/health/{pid}", data={"action": "review", "note": "ok",
                                                  "office": nanjing, "csrf_token": csrf(client)})
    assert refused.status_code == 403  # fmt: skip
    done = client.post(
        f"/health/{pid}",
        data={"action": "review", "note": "Visit planned", "office": nanjing,
              "csrf_token": sign_in(client)},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    assert done.headers["location"] == f"/health?office={nanjing}&saved=1"
    listed = client.get("/api/v1/health", params={"office": nanjing}).json()
    assert pid not in [i["partnership_id"] for i in listed["items"]]
    assert client.get("/health", params={"office": 99999}).status_code == 404
    assert client.get("/health").status_code == 200


def test_the_old_attention_address_redirects_to_health(client, registry):
    """Bookmarks of /attention keep working: a permanent redirect, query string kept."""
    nanjing = registry["ids"]["nanjing"]
    old = client.get("/attention", params={"office": nanjing, "lang": "zh"},
                     follow_redirects=False)  # fmt: skip
    assert old.status_code == 308
    assert old.headers["location"] == f"/health?office={nanjing}&lang=zh"
    assert client.get("/attention", follow_redirects=False).headers["location"] == "/health"
    followed = client.get("/attention", params={"office": nanjing, "lang": "zh"})
    assert followed.status_code == 200 and "友好关系健康度" in followed.text
    # A form posted to the old address is sent on with its method and body (308, not 303).
    pid = first_pair(registry)
    posted = client.post(f"/attention/{pid}", data={"note": "x"}, follow_redirects=False)
    assert posted.status_code == 308 and posted.headers["location"] == f"/health/{pid}"

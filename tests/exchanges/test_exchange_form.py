"""The exchange form asks for the partnership by names: a place typed by name, then its partner
chosen from its partnerships; no id is shown."""

from __future__ import annotations

import re

from tests.auth.web import sign_in

from amity.core.db import session_scope
from amity.partnerships.models import Partnership


def _pair(registry, a: str, b: str) -> int:
    ids = registry["ids"]
    low, high = sorted((ids[a], ids[b]))
    with session_scope(registry["engine"]) as session:
        return session.query(Partnership.id).filter_by(place_a_id=low, place_b_id=high).one()[0]


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="partnership_id".*?</select>', html, re.S).group(0)
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_the_form_shows_the_partnership_by_names(client, registry):
    sign_in(client)
    pid = _pair(registry, "nanjing", "paris")
    page = client.get("/exchanges/new", params={"partnership_id": pid, "lang": "zh"}).text
    assert "Partnership id" not in page and "友好关系编号" not in page
    assert 'name="partnership_place_name" value="南京市"' in page
    none = "— 无：请在下方填写双方地点 —"
    assert _options(page) == [none, "巴黎 · 法国 · 1985", "大阪 · 日本 · 1990"]
    assert re.search(rf'<option value="{pid}" selected>巴黎 · 法国 · 1985</option>', page)
    assert "/static/js/exchange_form.js" in page


def test_record_an_exchange_by_typing_a_place_and_choosing_its_partner(client, registry):
    token = sign_in(client)
    pid = _pair(registry, "nanjing", "osaka")
    # As the page sends it once a suggestion is chosen: the name shown, and the chosen place.
    form = {"partnership_place_name": "南京市", "partnership_place_id": registry["ids"]["nanjing"],
            "mode": "forum", "start": "2024", "direction": "joint",
            "csrf_token": token}  # fmt: skip
    # The place alone is not enough: the partner is asked for, among the place's partnerships.
    asked = client.post("/exchanges/new", data=form, params={"lang": "zh"})
    assert asked.status_code == 422
    assert "请从该地点的友好关系中选择对方。" in asked.text
    assert _options(asked.text)[1:] == ["巴黎 · 法国 · 1985", "大阪 · 日本 · 1990"]
    saved = client.post("/exchanges/new", data={**form, "partnership_id": str(pid)},
                        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303 and saved.headers["location"] == f"/partnerships/{pid}?saved=1"
    timeline = client.get(f"/api/v1/partnerships/{pid}/timeline").json()
    assert [item["start"] for item in timeline["items"]] == ["2024"]


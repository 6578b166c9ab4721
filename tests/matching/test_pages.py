"""The matchmaking pages in both languages: recommendations, plan, board, profile form."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from tests.auth.web import csrf, sign_in

from amity.core.db import session_scope
from amity.http.app import create_app
from amity.places.models import Country, Place


@pytest.fixture
def web(web_network: dict) -> TestClient:
    return TestClient(create_app(web_network["engine"]))


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_recommend_page_in_chinese_with_reasons_and_exclusions(web, web_network):
    xian = web_network["ids"]["xian"]
    response = web.get(f"/recommend?place={xian}&lang=zh")
    assert response.status_code == 200
    text = _text(response.text)
    assert "为西安市推荐的友城" in text
    assert "共同友城 1 个" in text  # Kyoto shares Paris with Xi'an (in the details)
    # Plain reasons outside the details, each after its sign; no index names there.
    listed = response.text.split('<ol class="recommendations">')[1].split("</ol>")[0]
    cards = re.sub(r"<details.*?</details>", " ", listed, flags=re.S)
    assert "＋ “一带一路”合作国家；布局薄弱的大洲（非洲）" in _text(cards)
    assert "Adamic" not in cards and "指数" not in cards and "Adamic" in listed
    assert "被排除的候选" in text and "已是友城" in text
    assert "已与我国同级别地方结好（直辖市按城市计）" in text
    assert '<a href="/recommend">友城匹配</a>' in response.text
    assert "<script>" not in response.text  # scripts come from files only
    assert "布局薄弱的大洲（非洲）" in text  # Nairobi's strategy reason, all in Chinese


def test_recommend_page_resolves_a_name_and_filters(web, web_network):
    english = _text(web.get("/recommend?q=Xi'an&lang=en&continent=Africa").text)
    assert "Partners suggested for Xi'an" in english
    assert "Nairobi" in english and "Kyoto" not in english.split("Excluded candidates")[0]
    unknown = web.get("/recommend?q=Atlantis&lang=en")
    empty = '<p class="empty">No place found with that name.</p>'  # (the field's script has it too)
    assert empty in unknown.text
    assert web.get("/recommend?place=999999").status_code == 404
    bad = web.get(f"/recommend?place={web_network['ids']['xian']}&continent=Atlantis&lang=en")
    assert bad.status_code == 422 and "Unknown continent" in bad.text
    # The place was found: the refusal is the filter's, not "no place found".
    assert empty not in bad.text
    zh = web.get("/recommend?q=西安&region=Mars&lang=zh")
    assert zh.status_code == 422 and "未知的地区。可选（联合国 M49 次区域）" in zh.text
    assert '<p class="empty">没有找到这个名称的地点' not in zh.text


def test_plan_page_shows_measures_and_pairings(web):
    response = web.get("/plan?province=610000&new=2&lang=zh")
    assert response.status_code == 200
    text = _text(response.text)
    assert "规划前后的布局均衡" in text and "最优解（整数规划）。" in text
    pairings = response.text.split('class="data pairings"')[1].split("</table>")[0]
    assert pairings.count("<tr>") == 3  # header and two pairings
    assert "陕西省" in text  # the province picker


def test_board_page_posts_a_note_and_shows_its_matches(web, web_network):
    ids = web_network["ids"]
    form = {"place_id": str(ids["lyon"]), "seeks_countries": "CN", "seeks_fields": "tourism",
            "offers_fields": "education，wine", "contact": "x@y"}  # fmt: skip
    assert web.post("/board", data=form).status_code == 403  # no CSRF token
    refused = web.post("/board?lang=zh", data={**form, "csrf_token": csrf(web)})
    assert refused.status_code == 422 and "请使用有权修改" in refused.text  # not signed in
    token = sign_in(web)
    posted = web.post("/board", data={**form, "csrf_token": token}, follow_redirects=False)
    assert posted.status_code == 303
    mine = {"place_id": str(ids["xian"]), "seeks_countries": "FR", "seeks_fields": "wine",
            "offers_fields": "tourism", "seeks_continents": ["Europe"],
            "csrf_token": token}  # fmt: skip
    location = web.post("/board", data=mine, follow_redirects=False).headers["location"]
    page = _text(web.get(f"{location}&lang=en").text)
    assert "The note is on the board." in page
    assert "Lyon" in page and "wine" in page
    listed = web.get("/board?country=fr&lang=zh").text
    assert 'data-total="1"' in listed and "里昂" in listed and "1 条启事" in _text(listed)


def test_profile_form_saves_for_a_signed_in_officer(web, web_network):
    xian = web_network["ids"]["xian"]
    assert "西安市的城市自述" in web.get(f"/places/{xian}/profile?lang=zh").text
    form = {"industries": "apples， tourism", "needs": "cold chain", "note": "苹果"}
    anonymous = web.post(f"/places/{xian}/profile", data={**form, "csrf_token": csrf(web)})
    assert anonymous.status_code == 422
    token = sign_in(web)
    saved = web.post(f"/places/{xian}/profile", data={**form, "csrf_token": token})
    assert saved.status_code == 200 and "自述已保存。" in saved.text  # the ?lang=zh cookie
    assert 'value="apples, tourism"' in saved.text
    assert web.get("/places/999999/profile").status_code == 404


def _country_options(page: str) -> dict[str, str]:
    """The recommend page's country filter: {ISO code: label}."""
    select = page.split('<select name="country">')[1].split("</select>")[0]
    options = re.findall(r'<option value="(\w\w)"[^>]*>([^<]*)<', select)
    return {code: html.unescape(label) for code, label in options}


def test_country_filter_follows_the_configured_home_country(web, web_network, monkeypatch):
    """Hong Kong is a region of China only when China is home: the filter asks the setting
    (it once named HK "Hong Kong, China" whatever AMITY_HOME_COUNTRY said)."""
    with session_scope(web_network["engine"]) as session:
        session.add(Country(iso2="HK", iso3="HKG", name_en="Hong Kong", name_zh="香港",
                            continent="Asia"))  # fmt: skip
        hong_kong = Place(kind="city", name="Hong Kong", name_zh="香港", country_code="HK",
                          lat=22.3, lon=114.2, source="test")  # fmt: skip
        session.add(hong_kong)
    monkeypatch.delenv("AMITY_HOME_COUNTRY", raising=False)
    assert _country_options(web.get("/recommend?lang=en").text)["HK"] == "Hong Kong, China"
    assert _country_options(web.get("/recommend?lang=zh").text)["HK"] == "中国香港"
    assert "Hong Kong, China" in _text(web.get(f"/places/{hong_kong.id}?lang=en").text)

    monkeypatch.setenv("AMITY_HOME_COUNTRY", "JP")
    english = _country_options(web.get("/recommend?lang=en").text)
    assert english["HK"] == "Hong Kong" and english["JP"] == "Japan"
    assert _country_options(web.get("/recommend?lang=zh").text)["HK"] == "香港"
    # The templates' country_name asks too (the page environment is cached per language).
    place_page = _text(web.get(f"/places/{hong_kong.id}?lang=en").text)
    assert "Hong Kong" in place_page and "Hong Kong, China" not in place_page

"""Statistics for one continent or one country: the API, the page, and the refusals that say
what is allowed (AF is Afghanistan's code, never Africa's)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from amity.http.app import create_app

CONTINENTS = ["Africa", "Asia", "Europe", "North America", "South America", "Oceania",
              "Antarctica"]  # fmt: skip


@pytest.fixture
def client(registry_on_both):
    with TestClient(create_app(registry_on_both)) as test_client:
        yield test_client


def _stats(client, **params) -> dict:
    response = client.get("/api/v1/statistics", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_statistics_for_a_continent_count_the_partners_there(client):
    europe = _stats(client, continent="Europe")
    assert europe["scope"] == {"continent": "Europe", "country": None, "name_en": "Europe",
                               "name_zh": "欧洲", "home": "CN", "home_name_en": "China"}
    # China's partners in Europe: Chengdu–Belgrade and Bavaria–Chengdu.
    assert europe["home"]["pairs"] == 2
    assert {r["iso2"] for r in europe["home"]["by_partner_country"]} == {"RS", "DE"}
    # Every pair with a European side, wherever the other is.
    assert europe["world"]["pairs"] == 5
    assert europe["coverage"] is None
    africa = _stats(client, continent="africa")  # the name in any case
    assert africa["scope"]["continent"] == "Africa" and africa["home"]["pairs"] == 1
    everything = _stats(client)
    assert everything["scope"]["continent"] is None and everything["home"]["pairs"] == 8


def test_statistics_for_a_country(client):
    japan = _stats(client, country="jp")
    assert japan["scope"]["country"] == "JP" and japan["scope"]["name_en"] == "Japan"
    assert japan["home"]["pairs"] == 2
    assert [r["iso2"] for r in japan["home"]["by_partner_country"]] == ["JP"]
    assert japan["world"]["pairs"] == 4
    # Another scope is another answer, not the cached one of the first.
    assert _stats(client, country="US")["home"]["pairs"] == 1


def _refused(client, **params) -> dict:
    response = client.get("/api/v1/statistics", params=params)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    return error


def test_a_country_code_is_not_taken_for_a_continent(client):
    error = _refused(client, continent="ZA")
    assert error["details"]["allowed"] == CONTINENTS
    assert "Allowed: Africa, Asia, Europe" in error["message"]
    assert "ZA is the country code of South Africa: use country=ZA" in error["message"]


def test_a_continent_is_not_taken_for_a_country_or_a_home(client):
    error = _refused(client, country="Africa")
    assert "ISO 3166-1 alpha-2" in error["message"] and "continent=Africa" in error["message"]
    home = _refused(client, home="Africa")
    assert "ISO 3166-1 alpha-2" in home["message"]
    assert all(name in home["message"] for name in CONTINENTS)
    unknown = _refused(client, country="ZZ")
    assert "e.g. CN, FR" in unknown["message"]
    assert "not both" in _refused(client, continent="Asia", country="JP")["message"]


def test_other_fixed_choices_list_their_values(client):
    response = client.get("/api/v1/dashboard", params={"lang": "fr"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert "'en' or 'zh'" in error["message"] and "'fr'" in error["message"]
    assert error["details"]["problems"][0]["allowed"] == ["en", "zh"]
    export = client.get("/api/v1/export/csv", params={"encoding": "latin-1"}).json()["error"]
    assert export["details"]["problems"][0]["allowed"] == ["utf-8", "gb18030"]


def test_the_page_per_continent_in_chinese(client):
    page = client.get("/statistics", params={"continent": "Europe", "lang": "zh"})
    assert page.status_code == 200
    assert "中国与欧洲的友好关系" in page.text
    assert 'href="/api/v1/statistics?continent=Europe"' in page.text
    assert '<option value="Europe" selected>欧洲</option>' in page.text
    english = client.get("/statistics", params={"country": "JP", "lang": "en"})
    assert "Partnerships of China with Japan" in english.text


def test_the_page_says_what_it_takes(client):
    page = client.get("/statistics", params={"continent": "ZA", "lang": "zh"})
    assert page.status_code == 422
    assert "未知的大洲“ZA”" in page.text and "非洲（Africa）" in page.text
    assert "ZA 是南非的国家代码" in page.text
    assert "中国的全部友好关系" in page.text  # everything counted meanwhile
    country = client.get("/statistics", params={"country": "Africa", "lang": "en"})
    assert country.status_code == 422 and "ISO 3166-1 alpha-2" in country.text

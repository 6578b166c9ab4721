"""The case library pages in Chinese and English: search, facets, highlights, one case."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from amity.http.app import create_app


@pytest.fixture
def client(sqlite_library) -> TestClient:
    return TestClient(create_app(sqlite_library["engine"]))


def test_search_page_in_chinese(client, sqlite_library):
    page = client.get("/cases", params={"q": "苹果", "lang": "zh"})
    assert page.status_code == 200
    assert 'data-total="1"' in page.text
    assert "<mark>苹果</mark>" in page.text
    assert f'href="/cases/{sqlite_library["ids"]["apple"]}"' in page.text
    assert "案例库" in page.text and "领域" in page.text  # title and a facet, translated


def test_search_page_in_english_with_a_facet_chosen(client):
    page = client.get("/cases", params={"q": "university", "field": "education", "lang": "en"})
    assert 'data-total="2"' in page.text
    assert "<mark>universities</mark>" in page.text
    assert 'class="chosen" aria-current="true"' in page.text
    assert "Case library" in page.text


def test_facet_links_add_and_remove_a_value(client):
    page = client.get("/cases", params={"country": "KZ", "lang": "en"}).text
    assert 'href="/cases?country=KZ&amp;country=CN"' in page or "country=CN" in page
    assert 'data-total="1"' in page


def test_bad_filter_shows_everything_with_a_notice(client):
    page = client.get("/cases", params={"country": "China", "lang": "en"})
    assert page.status_code == 422 and 'role="alert"' in page.text
    assert 'data-total="5"' in page.text


def test_case_page_shows_both_languages(client, sqlite_library):
    case_id = sqlite_library["ids"]["universities"]
    zh = client.get(f"/cases/{case_id}", params={"lang": "zh"}).text
    en = client.get(f"/cases/{case_id}", params={"lang": "en"}).text
    for page in (zh, en):
        assert "山东与京畿道大学联盟" in page
        assert "The Shandong–Gyeonggi federation of universities" in page
    assert zh.index("山东与京畿道大学联盟") < zh.index("The Shandong–Gyeonggi federation")
    assert en.index('id="case-title">The Shandong') > 0
    assert "来源" in zh and "Source" in en
    assert client.get("/cases/9999", params={"lang": "zh"}).status_code == 404

"""Events and awards pages in Chinese and English: the calendar, one event, the awards."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from amity.http.app import create_app


@pytest.fixture
def client(sqlite_calendar) -> TestClient:
    return TestClient(create_app(sqlite_calendar["engine"]))


def test_calendar_in_both_languages(client):
    zh = client.get("/events", params={"lang": "zh"}).text
    en = client.get("/events", params={"lang": "en"}).text
    assert 'data-total="5"' in zh and 'data-total="5"' in en
    assert "五月" in zh and "May" in en  # months named in the page's language
    assert "日期不详" in zh and "Date not known" in en
    assert 'class="month-grid"' in en  # May 2012 has a known day
    assert zh.index("2013") < zh.index("2012")  # newest year first


def test_calendar_filters_and_ics_link(client):
    page = client.get("/events", params={"year": "2012", "kind": "forum", "lang": "en"}).text
    assert 'data-total="2"' in page
    assert 'href="/events.ics?year=2012&amp;kind=forum"' in page


def test_event_page(client, sqlite_calendar):
    event_id = sqlite_calendar["ids"]["ifpd2"]
    en = client.get(f"/events/{event_id}", params={"lang": "en"}).text
    assert "2nd International Forum on Public Diplomacy" in en
    assert "Lyu Fengding" in en and f'href="/events/{event_id}.ics"' in en
    zh = client.get(f"/events/{sqlite_calendar['ids']['cifcc2012']}", params={"lang": "zh"}).text
    assert "2012中国国际友好城市大会" in zh and "大会" in zh
    assert ".ics" not in zh.split("<main")[1].split("</main>")[0]  # no day, nothing to add


def test_awards_pages_without_awards(client):
    assert "尚无奖项记录" in client.get("/awards", params={"lang": "zh"}).text
    assert client.get("/awards/2012", params={"lang": "en"}).status_code == 404

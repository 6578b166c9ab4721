"""The iCalendar export parses back, has all-day dates, escapes text and folds long lines."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from icalendar import Calendar

from amity.http.app import create_app


def test_export_parses_back_with_all_day_dates(calendar):
    client = TestClient(create_app(calendar["engine"]))
    response = client.get("/events.ics?lang=en")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in parsed.walk("VEVENT")}
    # Only events whose day is known: not 2012, 2013-05 or the undated forum.
    assert set(events) == {
        "1st International Forum on Public Diplomacy",
        "2nd International Forum on Public Diplomacy",
    }
    hague = events["2nd International Forum on Public Diplomacy"]
    assert hague.decoded("dtstart") == date(2012, 9, 19)
    assert hague.decoded("dtend") == date(2012, 9, 21)  # exclusive: the day after the last
    assert str(hague["location"]) == "Peace Palace; hall 2, east wing, The Hague"
    assert str(hague["uid"]) == f"event-{calendar['ids']['ifpd2']}@events.amity"
    assert "dtstamp" in hague


def test_text_is_escaped_and_lines_folded(calendar):
    client = TestClient(create_app(calendar["engine"]))
    raw = client.get("/events.ics?lang=en").content.decode()
    assert "DTSTART;VALUE=DATE:20120919" in raw
    assert "LOCATION:Peace Palace\\; hall 2\\, east wing\\, The Hague" in raw
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    assert "\r\n " in raw  # the long description is folded


def test_chinese_names_in_the_chinese_export(calendar):
    client = TestClient(create_app(calendar["engine"]))
    parsed = Calendar.from_ical(client.get("/events.ics?lang=zh").content)
    summaries = {str(e["summary"]) for e in parsed.walk("VEVENT")}
    assert "第一届公共外交国际论坛" in summaries
    assert "2nd International Forum on Public Diplomacy" in summaries  # no Chinese name


def test_filtered_and_single_event_exports(calendar):
    client = TestClient(create_app(calendar["engine"]))
    beijing = Calendar.from_ical(client.get("/events.ics?country=CN").content)
    assert [str(e["summary"]) for e in beijing.walk("VEVENT")] == [
        "1st International Forum on Public Diplomacy"
    ]
    one = client.get(f"/events/{calendar['ids']['ifpd1']}.ics")
    assert len(Calendar.from_ical(one.content).walk("VEVENT")) == 1
    undated = client.get(f"/events/{calendar['ids']['undated']}.ics")
    assert undated.status_code == 200
    assert Calendar.from_ical(undated.content).walk("VEVENT") == []
    assert client.get("/events/9999.ics").status_code == 404

"""Dates in the list (filter and sort by year) and the anniversaries: page, .ics feed, scope."""

from datetime import date

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import update

from amity.core.db import session_scope
from amity.http.app import create_app
from amity.partnerships import anniversaries
from amity.partnerships.models import Partnership
from amity.partnerships.schemas import PartnershipQuery
from amity.partnerships.service import list_partnerships

START = date(2027, 1, 15)


def _set_dates(engine, ids, dates):
    with session_scope(engine) as session:
        for pid, established in zip(ids, dates, strict=True):
            session.execute(update(Partnership).where(Partnership.id == pid).values(
                established=established,
                established_year=int(established[:4]) if established else None,
            ))  # fmt: skip


def test_the_list_filters_and_sorts_by_year(engine, small_registry):
    def names(**query):
        with session_scope(engine) as session:
            result = list_partnerships(session, PartnershipQuery(**query))
        return result["total"], [i["established"] for i in result["items"]]

    # Dates of the small registry: 1985, 1990-05, -, 2000, -, 1987, 1987, -, 1995.
    assert names(established_from=1987, established_to=1995, sort="established") == (
        4, ["1987", "1987", "1990-05", "1995"]
    )
    assert names(established_from=1990, sort="-established") == (3, ["2000", "1995", "1990-05"])
    assert names(established_to=1986)[0] == 1
    assert names(sort="established")[1][-3:] == [None, None, None]  # undated ones last


def test_the_list_page_and_api_take_the_years(engine, small_registry):
    client = TestClient(create_app(engine))
    api = client.get("/api/v1/partnerships", params={"established_from": 1990})
    assert api.status_code == 200 and api.json()["total"] == 3
    page = client.get("/partnerships", params={"established_from": 1987, "established_to": 1987,
                                               "lang": "zh"})  # fmt: skip
    assert 'data-total="2"' in page.text and "签约起始年份" in page.text
    bad = client.get("/api/v1/partnerships", params={"established_from": 2000,
                                                     "established_to": 1990})  # fmt: skip
    assert bad.status_code == 422 and "first year is after the last" in bad.text
    page = client.get("/partnerships", params={"established_from": 2000, "established_to": 1990,
                                               "lang": "zh"})  # fmt: skip
    assert page.status_code == 422 and "无法理解所选条件" in page.text


def test_round_anniversaries_and_partial_dates(engine, small_registry):
    pairs = small_registry["pairs"]
    # nanjing-paris, nanjing-osaka, suzhou-lyon, chengdu-houston, chengdu-nairobi (proposed),
    # jiangsu-bavaria, paris-berlin, hongkong-osaka, lyon-osaka (terminated)
    _set_dates(engine, pairs, ["1977-10-03", "1987-06", "1997", "2017-11-18", "2022-03-01",
                               "1973-06-24", "2000-02-29", None, "2002-05-01"])  # fmt: skip
    with session_scope(engine) as session:
        everyone = anniversaries.upcoming(session, start=START)
        jiangsu = anniversaries.upcoming(
            session, office_id=small_registry["places"]["jiangsu"], start=START
        )
    assert (everyone["start"], everyone["end"]) == ("2027-01-01", "2027-12-31")
    found = {(i["partnership_id"], i["when"], i["precision"], i["years"])
             for i in everyone["items"]}  # fmt: skip
    assert found == {
        (pairs[0], "2027-10-03", "day", 50),
        (pairs[1], "2027-06", "month", 40),
        (pairs[2], "2027", "year", 30),
        (pairs[3], "2027-11-18", "day", 10),
    }  # proposed, terminated, not round (54, 27) and undated pairs are not there
    assert [i["when"] for i in everyone["items"]] == ["2027", "2027-06", "2027-10-03",
                                                      "2027-11-18"]  # fmt: skip
    # The province's office sees its cities' partnerships, home side first.
    assert {i["partnership_id"] for i in jiangsu["items"]} == {pairs[0], pairs[1], pairs[2]}
    assert all(i["home"]["country"] == "CN" for i in jiangsu["items"])
    # 29 February in a common year: listed by month, never given an invented day.
    with session_scope(engine) as session:
        leap = anniversaries.upcoming(session, start=date(2030, 1, 1))
    assert {(i["when"], i["precision"]) for i in leap["items"]
            if i["partnership_id"] == pairs[6]} == {("2030-02", "month")}  # fmt: skip


def test_the_ics_feed_holds_only_days_known(engine, small_registry):
    pairs = small_registry["pairs"]
    _set_dates(engine, pairs[:4], ["1977-10-03", "1987-06", "1997", "2017-11-18"])
    client = TestClient(create_app(engine))
    response = client.get("/anniversaries.ics", params={"from": "2027-01-15", "lang": "zh"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.content.replace(b"\r\n ", b"")  # unfold
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and b"VERSION:2.0" in body
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    assert sorted(e.decoded("dtstart").isoformat() for e in events) == ["2027-10-03",
                                                                        "2027-11-18"]
    first = min(events, key=lambda e: e.decoded("dtstart"))
    assert first.decoded("dtend") == date(2027, 10, 4)  # all day: DTEND the day after
    assert "DTSTART;VALUE=DATE:20271003" in body.decode()
    assert str(first["summary"]) == "南京市 – 巴黎：结好50周年"
    assert len({str(e["uid"]) for e in events}) == 2
    assert client.get("/anniversaries.ics", params={"from": "soon"}).status_code == 422
    assert client.get("/anniversaries", params={"from": "9999-12-01"}).status_code == 422


def test_the_anniversaries_page_in_chinese(engine, small_registry):
    pairs = small_registry["pairs"]
    _set_dates(engine, pairs[:3], ["1977-10-03", "1987-06", "1997"])
    client = TestClient(create_app(engine))
    office = small_registry["places"]["nanjing"]
    page = client.get("/anniversaries", params={"office": office, "from": "2027-01-01",
                                                "lang": "zh"})  # fmt: skip
    assert page.status_code == 200
    assert 'data-total="2"' in page.text and "50年" in page.text and "40年" in page.text
    assert "不知道具体日期" in page.text and "周年纪念" in page.text
    assert client.get("/anniversaries", params={"office": "99999"}).status_code == 422
    assert client.get("/anniversaries", params={"office": "x"}).status_code == 422


def test_the_import_page_offers_both_templates(engine):
    client = TestClient(create_app(engine))
    page = client.get("/import", params={"lang": "zh"})
    assert page.status_code == 200 and "/import/template.xlsx?lang=zh" in page.text
    assert "结好时间" in page.text
    zh = client.get("/import/template.csv", params={"lang": "zh"})
    assert zh.content.decode("utf-8-sig").startswith("序号,省份,中方城市,外方城市,国家,结好时间")
    en = client.get("/import/template.xlsx", params={"lang": "en"})
    assert en.status_code == 200 and en.content.startswith(b"PK")
    assert client.get("/import/template.pdf").status_code == 404


def test_the_anniversaries_have_a_json_twin(engine, small_registry):
    pairs = small_registry["pairs"]
    _set_dates(engine, pairs[:4], ["1977-10-03", "1987-06", "1997", "2017-11-18"])
    client = TestClient(create_app(engine))
    answer = client.get("/api/v1/anniversaries", params={"from": "2027-01-15"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["start"], body["end"]) == ("2027-01-01", "2027-12-31")
    found = {(i["partnership_id"], i["years"], i["precision"], i["in_calendar"])
             for i in body["items"]}  # fmt: skip
    assert {(pairs[0], 50, "day", True), (pairs[1], 40, "month", False),
            (pairs[2], 30, "year", False), (pairs[3], 10, "day", True)} <= found  # fmt: skip
    with session_scope(engine) as session:  # the same answer as the page's and the feed's
        assert body == anniversaries.upcoming(session, start=date(2027, 1, 15))
    office = small_registry["places"]["nanjing"]
    scoped = client.get("/api/v1/anniversaries", params={"office": office, "from": "2027-01-15"})
    assert scoped.json()["office"]["id"] == office
    assert scoped.json()["total"] <= body["total"]
    assert client.get("/api/v1/anniversaries", params={"office": 99999}).status_code == 404
    assert client.get("/api/v1/anniversaries", params={"from": "soon"}).status_code == 422
    assert client.get("/api/v1/anniversaries", params={"from": "9999-12-01"}).status_code == 422
    assert client.get("/api/v1/anniversaries", params={"colour": "red"}).status_code == 400


def test_amity_stats_prints_the_phases(engine, small_registry, monkeypatch):
    from typer.testing import CliRunner

    from amity.cli import app

    pairs = small_registry["pairs"]
    _set_dates(engine, pairs[:4], ["1977-10-03", "1987-06", "1997", "2017-11-18"])
    monkeypatch.setenv("AMITY_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(app, ["stats"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stdout
    # Six China pairs: the four dated here, one the fixture dates, one without a date.
    assert "CN by phase (5 pairs dated, 1 without a date)" in result.stdout
    phase_one = next(line for line in result.stdout.splitlines() if "1973–1978" in line)
    assert [cell.strip() for cell in phase_one.split("│")[3:5]] == ["1", "1"]

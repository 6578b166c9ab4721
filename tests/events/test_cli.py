"""`amity events list|ical` and `amity awards list|results` against a real database."""

from __future__ import annotations

import json

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from amity.core.db import clear_engines
from amity.events import cli as events_cli
from amity.http.app import create_app


def _runner(engine, monkeypatch):
    monkeypatch.setenv("AMITY_DATABASE_URL", engine.url.render_as_string(False))
    clear_engines()
    app = typer.Typer()
    events_cli.register(app)
    return lambda *args: CliRunner().invoke(app, list(args))


@pytest.fixture
def run(calendar, monkeypatch):
    yield _runner(calendar["engine"], monkeypatch)
    clear_engines()


def test_list_by_date_and_by_year(run, calendar):
    every = json.loads(run("events", "list", "--json").output)
    assert every["total"] == 5
    assert [e["id"] for e in every["items"]][:2] == [calendar["ids"]["cifcc2012"],
                                                      calendar["ids"]["ifpd1"]]  # fmt: skip
    assert every["items"][-1]["name_en"] == "China-Japan Governors Forum"  # undated: last
    forums = json.loads(run("events", "list", "--year", "2012", "--kind", "forum", "--json").output)
    ids = calendar["ids"]
    assert {e["id"] for e in forums["items"]} == {ids["ifpd1"], ids["ifpd2"]}
    table = run("events", "list", "--year", "2013")
    assert table.exit_code == 0 and "Jeju Forum sub-forum" in table.output
    assert "Public Diplomacy" not in table.output
    bad = run("events", "list", "--country", "Netherlands")
    assert bad.exit_code == 2 and "Invalid selection" in bad.output


def _without_stamps(ics: bytes) -> list[bytes]:
    return [line for line in ics.splitlines() if not line.startswith(b"DTSTAMP")]


def test_ical_is_the_pages_calendar(run, calendar):
    cli = run("events", "ical", "--year", "2012")
    assert cli.exit_code == 0
    page = TestClient(create_app(calendar["engine"])).get("/events.ics", params={"year": "2012"})
    assert _without_stamps(cli.stdout_bytes) == _without_stamps(page.content)
    assert cli.stdout_bytes.count(b"BEGIN:VEVENT") == 2  # the 2012 events with a known day
    chinese = run("events", "ical", "--locale", "zh").stdout_bytes.decode()
    assert "SUMMARY:第一届公共外交国际论坛" in chinese
    assert run("events", "ical", "--locale", "fr").exit_code == 2


def test_awards_list_and_results(edition, monkeypatch):
    run = _runner(edition["engine"], monkeypatch)
    try:
        listed = json.loads(run("awards", "list", "--json").output)
        results = json.loads(run("awards", "results", "2012", "--json").output)
        table = run("awards", "results", "2012")
        missing = run("awards", "results", "1999")
    finally:
        clear_engines()
    assert [a["code"] for a in listed["award_types"]] == ["exchange"]
    assert [e["year"] for e in listed["editions"]] == [2012]
    ranked = results["awards"][0]["nominations"]
    assert ranked[0]["nominee"]["place"]["name"] == "The Hague" and ranked[0]["winner"]
    assert table.exit_code == 0 and "The Hague" in table.output and "Exchange Award" in table.output
    assert missing.exit_code == 2

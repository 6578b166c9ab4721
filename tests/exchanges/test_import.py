"""Importing exchanges: good files, bad rows by line, GB18030, JSON, re-import, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from amity.cli import app
from amity.core.db import clear_engines, session_scope
from amity.core.errors import InvalidInput
from amity.exchanges.importer import import_exchanges
from amity.exchanges.models import Exchange
from amity.partnerships.models import ImportBatch

DATA = Path(__file__).parent / "data"


def count(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Exchange))


def test_good_file_then_reimport_adds_nothing(gazetteer_any):
    with session_scope(gazetteer_any) as session:
        report = import_exchanges(session, DATA / "good.csv")
    assert (report.imported, report.rejected_rows, report.written) == (3, 0, True)
    with session_scope(gazetteer_any) as session:
        seminar = session.scalar(select(Exchange).where(Exchange.mode == "seminar"))
        assert seminar.fields == ["city_construction", "environment"]
        assert (seminar.start, seminar.delegation_size) == ("2013-08", 40)
        assert seminar.partnership_id is None  # no partnership recorded between the two
        camp = session.scalar(select(Exchange).where(Exchange.mode == "summer_camp"))
        assert camp.fields == ["culture", "education"]  # labels read as codes
        visit = session.scalar(select(Exchange).where(Exchange.mode == "high_level_visit"))
        assert (float(visit.budget_amount), visit.budget_currency) == (150000.0, "CNY")
        batch = session.get(ImportBatch, report.batch_id)
        assert batch.kind == "exchanges"
    with session_scope(gazetteer_any) as session:
        again = import_exchanges(session, DATA / "good.csv")
    assert (again.imported, again.duplicates, again.previous_batch_id) == (0, 3, report.batch_id)
    assert count(gazetteer_any) == 3


def test_bad_rows_reject_the_file_by_line(gazetteer_engine):
    with session_scope(gazetteer_engine) as session:
        report = import_exchanges(session, DATA / "bad.csv")
    problems = {p.line: (p.status, p.reason) for p in report.problems}
    assert sorted(problems) == [3, 4, 5, 6]
    assert problems[3] == ("invalid", "Unknown mode 'teleportation'.")
    assert problems[4][0] == "invalid" and "2999" in problems[4][1]
    assert problems[5][0] == "unresolved"
    assert problems[6] == ("invalid", "The end is before the start.")
    assert not report.written and count(gazetteer_engine) == 0
    with session_scope(gazetteer_engine) as session:
        partial = import_exchanges(session, DATA / "bad.csv", partial=True)
    assert partial.imported == 1 and count(gazetteer_engine) == 1


def test_gb18030_chinese_headers_and_words(gazetteer_engine):
    with session_scope(gazetteer_engine) as session:
        report = import_exchanges(session, DATA / "gb18030.csv")
        assert (report.encoding, report.imported) == ("gb18030", 1)
        exchange = session.scalar(select(Exchange))
        assert (exchange.mode, exchange.start, exchange.direction) == (
            "high_level_visit", "2018-05", "both"
        )  # fmt: skip
        assert exchange.fields == ["culture", "economy_trade"]
        assert exchange.title == "友好访问"


def test_json_and_dry_run(gazetteer_engine):
    document = {"exchanges": [{"city1": "Hangzhou", "country1": "CN", "city2": "Gifu",
                               "country2": "JP", "mode": "forum", "start": "2020"}]}  # fmt: skip
    data = json.dumps(document).encode()
    with session_scope(gazetteer_engine) as session:
        report = import_exchanges(session, data, filename="x.json", dry_run=True)
    assert (report.format, report.rows_read, report.written) == ("json", 1, False)
    assert count(gazetteer_engine) == 0


def test_missing_columns():
    with pytest.raises(InvalidInput, match="lacks the columns mode, start"):
        import_exchanges(None, b"city1,city2\nA,B\n", filename="x.csv")


def test_cli_import_and_health(gazetteer_engine, monkeypatch):
    monkeypatch.setenv("AMITY_DATABASE_URL", str(gazetteer_engine.url))
    clear_engines()
    runner = CliRunner()
    rejected = runner.invoke(app, ["exchanges", "import", str(DATA / "bad.csv"), "--json"])
    assert rejected.exit_code == 1
    assert [p["line"] for p in json.loads(rejected.stdout)["problems"]] == [3, 4, 5, 6]
    done = runner.invoke(app, ["exchanges", "import", str(DATA / "good.csv")])
    assert done.exit_code == 0 and "Imported 3 exchanges" in done.stdout
    added = runner.invoke(
        app, ["exchanges", "taxonomy", "add", "mode", "sister_school", "--en", "Sister schools",
              "--zh", "姐妹学校"],
    )  # fmt: skip
    assert added.exit_code == 0, added.stdout
    listed = json.loads(runner.invoke(app, ["exchanges", "taxonomy", "list", "--json"]).stdout)
    assert "sister_school" in [m["code"] for m in listed["modes"]]
    health = runner.invoke(app, ["health", "Hangzhou", "--json"])
    assert health.exit_code == 0, health.stdout
    everything = json.loads(health.stdout)
    assert everything["office"]["name"] == "Hangzhou"
    # --unhealthy keeps only dormant or declining ones; --attention is its former name
    unhealthy = runner.invoke(app, ["health", "Hangzhou", "--unhealthy", "--json"])
    former = runner.invoke(app, ["health", "Hangzhou", "--attention", "--json"])
    assert unhealthy.exit_code == 0 and unhealthy.stdout == former.stdout
    assert json.loads(unhealthy.stdout)["office"]["name"] == "Hangzhou"
    clear_engines()

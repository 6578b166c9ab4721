"""`amity sync wikidata` as an office runs it: the diff, the prompt, --yes, --json, offline."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from amity.cli import app
from amity.core.db import clear_engines, session_scope
from amity.partnerships.models import Partnership


@pytest.fixture
def env(engine, world, endpoint, tmp_path, monkeypatch):
    values = {
        "AMITY_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "AMITY_WIKIDATA_ENDPOINT": endpoint.url,
        "AMITY_SYNC_CACHE": str(tmp_path / "cache"),
        "AMITY_WIKIDATA_TRIES": "2",
        "AMITY_WIKIDATA_BACKOFF": "0.01",
        "COLUMNS": "200",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    clear_engines()
    yield values
    clear_engines()


def _dates(engine) -> list:
    with session_scope(engine) as s:
        return sorted(s.scalars(select(Partnership.established)).all(), key=str)


def test_diff_then_no_at_the_prompt_changes_nothing(engine, env):
    before = _dates(engine)
    shown = CliRunner().invoke(app, ["sync", "wikidata", "--country", "CN"], input="n\n")
    assert shown.exit_code == 0, shown.output
    assert "New pairs (recorded as the registry steward's act): 3" in shown.output
    assert "Nanjing – Florence" in shown.output and "1980-02-22" in shown.output
    assert "Conflicts (kept as stored; review by hand): 2" in shown.output
    assert "Not written: nothing was changed." in shown.output
    assert _dates(engine) == before


def test_yes_writes_and_json_reports(engine, env, tmp_path):
    out = tmp_path / "diff.json"
    done = CliRunner().invoke(app, ["sync", "wikidata", "--country", "CN", "--yes", "--json",
                                    "--out", str(out)])  # fmt: skip
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert report["written"] and report["counts"]["new_pairs"] == 3
    assert json.loads(out.read_text("utf-8"))["counts"] == report["counts"]
    assert "1985-06" in _dates(engine)
    again = CliRunner().invoke(app, ["sync", "wikidata", "--country", "CN", "--dry-run"])
    assert "Nothing to write: the conflicts above are kept as stored" in again.output


def test_offline_is_a_clear_message(engine, env, monkeypatch):
    monkeypatch.setenv("AMITY_WIKIDATA_ENDPOINT", "http://127.0.0.1:9/sparql")
    failed = CliRunner().invoke(app, ["sync", "wikidata", "--dry-run"])
    assert failed.exit_code == 2
    assert "Sync failed: Cannot reach the Wikidata endpoint http://127.0.0.1:9/sparql" in " ".join(
        failed.output.split())
    assert "offline" in failed.output

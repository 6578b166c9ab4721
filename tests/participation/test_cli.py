"""`amity voice list|summary TOPIC ID` against a real database: what the /voice page shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer
from tests.auth.world import actor
from typer.testing import CliRunner

from amity.auth.permissions import PUBLIC_ACTOR
from amity.core.db import clear_engines, session_scope
from amity.participation import cli as voice_cli
from amity.participation import service


@pytest.fixture
def voices(world, monkeypatch) -> dict:
    """On the first partnership: two published submissions (one with two votes), one pending,
    one rejected; a published one on the second partnership."""
    engine, pairs = world["engine"], world["pairs"]
    sent = {}
    for key, pair, kind, field, body, address in (
        ("youth", pairs[0], "idea", "youth", "加强青年交流和旅游合作", "192.0.2.1"),
        ("students", pairs[0], "feedback", "education", "More student exchanges", "192.0.2.2"),
        ("pending", pairs[0], "idea", None, "青年 pending", "192.0.2.3"),
        ("rejected", pairs[0], "idea", "youth", "青年青年 rejected", "192.0.2.4"),
        ("elsewhere", pairs[1], "idea", "culture", "Another partnership", "192.0.2.5"),
    ):
        with session_scope(engine) as session:
            sent[key] = service.submit(
                session, topic="partnership", topic_id=pair, kind=kind, field=field, body=body,
                address=address, actor=PUBLIC_ACTOR,
            )["id"]  # fmt: skip
    with session_scope(engine) as session:
        for key in ("youth", "students", "rejected", "elsewhere"):
            decision = "reject" if key == "rejected" else "publish"
            service.moderate(session, sent[key], decision=decision, reason=None,
                             actor=actor(engine, "admin"))  # fmt: skip
        for voter in ("browser:a", "browser:b"):
            service.vote(session, sent["students"], voter_key=voter, address="192.0.2.9",
                         actor=PUBLIC_ACTOR)  # fmt: skip
    monkeypatch.setenv("AMITY_DATABASE_URL", engine.url.render_as_string(False))
    clear_engines()
    app = typer.Typer()
    voice_cli.register(app)
    yield {**world, "ids": sent, "run": lambda *a: CliRunner().invoke(app, ["voice", *a])}
    clear_engines()


def test_list_shows_the_published_most_voted_first(voices):
    run, pair = voices["run"], str(voices["pairs"][0])
    listed = json.loads(run("list", "partnership", pair, "--json").output)
    assert [r["id"] for r in listed["items"]] == [voices["ids"]["students"], voices["ids"]["youth"]]
    assert listed["total"] == 2 and listed["items"][0]["votes"] == 2
    table = run("list", "partnership", pair)
    assert table.exit_code == 0 and "加强青年交流和旅游合作" in table.output
    assert "pending" not in table.output and "rejected" not in table.output


def test_summary_counts_one_topics_published_items(voices):
    run, pair = voices["run"], str(voices["pairs"][0])
    summary = json.loads(run("summary", "partnership", pair, "--json").output)
    assert (summary["submissions"], summary["votes"]) == (2, 2)
    assert {r["key"]: (r["submissions"], r["votes"]) for r in summary["by"]["field"]} == {
        "education": (1, 2), "youth": (1, 0)}  # fmt: skip
    assert {r["key"] for r in summary["by"]["kind"]} == {"idea", "feedback"}
    terms = {t["term"]: t["count"] for t in summary["terms"]}
    assert terms["青年"] == 1 and "rejected" not in terms and "another" not in terms
    table = run("summary", "partnership", pair)
    assert table.exit_code == 0 and "2 published, 2 votes" in table.output


@pytest.mark.parametrize("topic, topic_id", [("partnership", "999999"), ("town", "1")])
def test_unknown_topics_are_a_clear_error(voices, topic, topic_id):
    for command in ("list", "summary"):
        result = voices["run"](command, topic, topic_id)
        assert result.exit_code == 2
        assert "No partnership 999999" in result.output or "Unknown topic: town" in result.output



def test_the_terms_come_in_the_same_order_in_every_process():
    """Equal counts in word order: the summary reads the same from one run to the next (string
    hashes are salted per process, so each process would order a set of words its own way)."""
    code = ("from amity.participation.terms import top_terms; "
            "print(top_terms(['apple river school museum harbour', 'garden bridge library']))")
    outputs = {
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed},
                       capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3", "4")
    }  # fmt: skip
    assert len(outputs) == 1
    assert outputs.pop().startswith("[{'term': 'apple', 'count': 1}, {'term': 'bridge'")

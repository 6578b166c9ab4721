"""`amity cases search|show` against a real database: the same search as the /cases page."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from amity.cases import cli as cases_cli
from amity.core.db import clear_engines


@pytest.fixture
def run(library, monkeypatch):
    """Run `amity cases ...` on the library's database."""
    monkeypatch.setenv("AMITY_DATABASE_URL", library["engine"].url.render_as_string(False))
    clear_engines()
    app = typer.Typer()
    cases_cli.register(app)
    yield lambda *args: CliRunner().invoke(app, ["cases", *args])
    clear_engines()


def test_search_finds_cases_in_either_language(run, library):
    apples = json.loads(run("search", "apple", "--json").output)
    assert {c["id"] for c in apples["items"]} == {
        library["ids"]["apple"], library["ids"]["english_only"], library["ids"]["seminar"]
    }
    assert apples["total"] == 3 and set(apples) >= {"total", "page", "per_page", "facets"}
    chinese = json.loads(run("search", "苹果", "--json").output)
    assert [c["id"] for c in chinese["items"]] == [library["ids"]["apple"]]
    table = run("search", "苹果")
    assert table.exit_code == 0 and "Shaanxi apple orchards in Kazakhstan" in table.output


def test_search_filters_and_bad_input(run, library):
    education = json.loads(run("search", "--field", "education", "--json").output)
    assert {c["id"] for c in education["items"]} == {
        library["ids"]["universities"], library["ids"]["english_only"]
    }
    bad = run("search", "x" * 201)
    assert bad.exit_code == 2 and "Invalid search" in bad.output


def test_show_prints_one_case(run, library):
    case = json.loads(run("show", str(library["ids"]["universities"]), "--json").output)
    assert case["title_zh"] == "山东与京畿道大学联盟"
    assert {p["name"] for p in case["places"]} == {"Shandong", "Gyeonggi"}
    shown = run("show", str(library["ids"]["apple"]))
    assert shown.exit_code == 0 and "陕西与哈萨克斯坦共建苹果园" in shown.output
    assert "Shaanxi (CN)" in shown.output and "seed 003" in shown.output
    missing = run("show", "999999")
    assert missing.exit_code == 2 and "No case with id 999999" in missing.output

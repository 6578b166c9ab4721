"""`amity network` and `amity export` on the fixture registry."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
import typer
from openpyxl import load_workbook
from sqlalchemy import update
from typer.testing import CliRunner

from amity.analytics import cli
from amity.core.db import session_scope
from amity.partnerships.models import Partnership


@pytest.fixture
def run(registry, monkeypatch):
    monkeypatch.setenv("AMITY_DATABASE_URL", registry.url.render_as_string(hide_password=False))
    app = typer.Typer()
    cli.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_network_json(run):
    result = run("network", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["nodes"], report["edges"]) == (17, 15)


def test_network_json_prints_the_stored_report_without_the_graph_library(run, registry):
    first = json.loads(run("network", "--json").output)  # computed and stored
    url = registry.url.render_as_string(hide_password=False)
    script = (
        "import sys; from amity.cli import main; sys.argv = ['amity', 'network', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('graph library loaded:', 'igraph' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env={**os.environ, "AMITY_DATABASE_URL": url},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "graph library loaded: False" in done.stderr
    assert json.loads(done.stdout) == first
    # After a write the stored report is not the registry's: it is computed again, and current.
    with session_scope(registry) as session:
        session.execute(update(Partnership).where(Partnership.id == 1).values(status="ended"))
    again = json.loads(run("network", "--json").output)
    assert again["as_of"]["current"] and again["as_of"]["version"] != first["as_of"]["version"]


def test_network_table(run):
    result = run("network")
    assert result.exit_code == 0, result.output
    assert "largest component" in result.output and "Nanjing" in result.output


def test_export_to_file_and_stdout(run, tmp_path):
    target = tmp_path / "network.graphml"
    assert run("export", "--format", "graphml", "--output", str(target)).exit_code == 0
    assert target.read_bytes().startswith(b"<?xml")
    result = run("export", "--format", "csv")
    assert result.exit_code == 0
    assert result.output.startswith("\ufeff")  # UTF-8 with the BOM Excel needs
    assert len(list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))) == 15
    older = tmp_path / "gb.csv"
    written = run("export", "--format", "csv", "--encoding", "gb18030", "-o", str(older))
    assert written.exit_code == 0
    assert older.read_bytes().decode("gb18030").startswith("id,a_id,a_name")
    assert run("export", "--format", "csv", "--encoding", "latin-1").exit_code == 2


def test_export_statistics_in_chinese(run, tmp_path):
    target = tmp_path / "stats.xlsx"
    assert run("export", "--format", "xlsx", "--lang", "zh", "-o", str(target)).exit_code == 0
    assert load_workbook(target).sheetnames[0] == "概要"
    raw = tmp_path / "raw.xlsx"
    assert run("export", "--format", "xlsx", "--raw", "-o", str(raw)).exit_code == 0
    assert load_workbook(raw).sheetnames[0] == "summary"
    assert run("export", "--format", "xlsx", "--lang", "fr").exit_code == 2


def test_export_unknown_format(run):
    assert run("export", "--format", "pdf").exit_code == 2

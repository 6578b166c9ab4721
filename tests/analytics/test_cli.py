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
    assert len(list(csv.DictReader(io.StringIO(result.output)))) == 15


def test_export_unknown_format(run):
    assert run("export", "--format", "pdf").exit_code == 2

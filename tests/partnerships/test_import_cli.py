"""`amity import` as a user runs it: the report, exit codes, and a kill -9 halfway."""

import csv
import json
import os
import pty
import select as io_select
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from amity.cli import app
from amity.core.db import make_engine, session_scope
from amity.partnerships.models import ImportBatch, Partnership
from amity.places.models import Place

RUN_CLI = "from amity.cli import app; app()"


@pytest.fixture
def cli_env(gazetteer_engine, monkeypatch):
    url = gazetteer_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("AMITY_DATABASE_URL", url)
    return {**os.environ, "AMITY_DATABASE_URL": url}


def _counts(url):
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            return tuple(
                session.scalar(select(func.count()).select_from(t))
                for t in (Partnership, Place, ImportBatch)
            )
    finally:
        engine.dispose()


def test_json_report_and_exit_codes(cli_env, data_dir, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("city1,country1,city2,country2\nBeijing,China,Beijing,China\n", encoding="utf-8")
    runner = CliRunner()
    rejected = runner.invoke(app, ["import", str(bad), "--as-steward", "--json"], env=cli_env)
    assert rejected.exit_code == 1
    assert json.loads(rejected.stdout)["problems"][0]["line"] == 2
    good = runner.invoke(app, ["import", str(data_dir / "good.csv"), "--as-steward"], env=cli_env)
    assert good.exit_code == 0, good.stdout
    assert "Imported 5 partnerships as the registry steward" in good.stdout
    broken = runner.invoke(app, ["import", str(bad), "--map", "a=b"], env=cli_env)
    assert broken.exit_code == 2 and "no known field" in broken.stdout


def _big_file(engine, path, new_places: int) -> None:
    """Pairs of gazetteer cities (with their points), plus towns the import must create."""
    with session_scope(engine) as session:
        cities = session.execute(
            select(Place.name, Place.country_code, Place.lat, Place.lon)
            .where(Place.source == "geonames", Place.population > 200_000)
            .order_by(Place.id)
        ).all()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"])
        for i, a in enumerate(cities):
            for b in cities[i + 1 : i + 4]:
                writer.writerow([*a, *b])
        for n in range(new_places):
            town = [f"Amitytown {n}", "FR", 45.0, 2 + n / 1e4]
            writer.writerow(["Beijing", "CN", 39.9, 116.4, *town])


@pytest.mark.parametrize("kill_at", ["Checking rows", "Adding new places"])
def test_kill_9_halfway_leaves_the_database_as_it_was(gazetteer_engine, cli_env, tmp_path, kill_at):
    big = tmp_path / "big.csv"
    _big_file(gazetteer_engine, big, new_places=3000)
    url = cli_env["AMITY_DATABASE_URL"]
    before = _counts(url)
    main, child = pty.openpty()  # a terminal, so Rich draws the progress bar as it goes
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, "import", str(big), "--partial", "--as-steward"],
        stdout=child, stderr=child, env=cli_env, close_fds=True,
    )  # fmt: skip
    os.close(child)
    output, deadline = b"", time.monotonic() + 120
    while kill_at.encode() not in output and time.monotonic() < deadline:
        ready, _, _ = io_select.select([main], [], [], 1)
        if ready:
            try:
                output += os.read(main, 65536)
            except OSError:
                break
    assert kill_at.encode() in output, output.decode(errors="replace")[-2000:]
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    os.close(main)
    assert process.returncode == -signal.SIGKILL
    assert _counts(url) == before


def test_kill_9_during_an_official_table_with_dates_changes_nothing(
    gazetteer_engine, cli_env, tmp_path
):
    """A GB18030 table with Chinese headers that dates stored pairs and adds new ones: killed
    while its new places are written, after the dates were set, nothing of it stays."""
    big = tmp_path / "big.csv"
    _big_file(gazetteer_engine, big, new_places=3000)
    rows = list(csv.reader(big.open(encoding="utf-8")))
    undated = tmp_path / "undated.csv"
    with undated.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["城市1", "国家1", "纬度1", "经度1", "城市2", "国家2", "纬度2", "经度2"])
        writer.writerows(r for r in rows[1:] if not r[4].startswith("Amitytown"))
    dated = tmp_path / "dated.csv"
    with dated.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["城市1", "国家1", "纬度1", "经度1", "城市2", "国家2", "纬度2", "经度2",
                         "结好时间"])  # fmt: skip
        writer.writerows([*r, "1985年6月14日"] for r in rows[1:])
    first = CliRunner().invoke(
        app, ["import", str(undated), "--partial", "--as-steward", "--json"], env=cli_env
    )
    assert json.loads(first.stdout)["imported"] > 1000
    url = cli_env["AMITY_DATABASE_URL"]
    before = _counts(url)
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, "import", str(dated), "--partial", "--as-steward"],
        stdout=child, stderr=child, env=cli_env, close_fds=True,
    )  # fmt: skip
    os.close(child)
    output, deadline = b"", time.monotonic() + 180
    while b"Adding new places" not in output and time.monotonic() < deadline:
        ready, _, _ = io_select.select([main], [], [], 1)
        if ready:
            try:
                output += os.read(main, 65536)
            except OSError:
                break
    assert b"Adding signing dates" in output, output.decode(errors="replace")[-2000:]
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    os.close(main)
    assert _counts(url) == before
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            dated_pairs = select(func.count()).where(Partnership.established.is_not(None))
            assert session.scalar(dated_pairs) == 0
    finally:
        engine.dispose()

"""`amity backup` then `amity restore` gives back exactly what was saved, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from amity.cli import app
from amity.core.db import clear_engines, session_scope
from amity.core.errors import InvalidInput
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place
from amity.system import backup as backups


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _seed(engine: Engine) -> list[tuple]:
    with session_scope(engine) as session:
        session.add_all([Country(iso2="CN", iso3="CHN", name_en="China", name_zh="中国"),
                         Country(iso2="FR", iso3="FRA", name_en="France", name_zh="法国")])
        nanjing = Place(kind="city", name="Nanjing", name_zh="南京市", country_code="CN",
                        source="test")
        paris = Place(kind="city", name="Paris", name_zh="巴黎", country_code="FR", source="test")
        session.add_all([nanjing, paris])
        session.flush()
        session.add(Partnership(place_a_id=nanjing.id, place_b_id=paris.id,
                                kind="friendship_city", level="city_city", status="active",
                                established="1985-04", established_year=1985, source="test"))
    return _snapshot(engine)


def _snapshot(engine: Engine) -> list[tuple]:
    with session_scope(engine) as session:
        places = session.execute(select(Place.id, Place.name, Place.name_zh)
                                 .order_by(Place.id)).all()
        pairs = session.execute(select(Partnership.id, Partnership.place_a_id,
                                       Partnership.place_b_id, Partnership.established)
                                .order_by(Partnership.id)).all()
    return [tuple(row) for row in places + pairs]


def _scribble(engine: Engine) -> None:
    """Changes made after the backup, which the restore must undo."""
    with session_scope(engine) as session:
        session.query(Partnership).delete()
        session.query(Place).filter(Place.name == "Paris").update({"name": "Lutetia"})
        session.add(Place(kind="city", name="Lyon", country_code="FR", source="test"))


def test_backup_restore_round_trip(engine: Engine, tmp_path) -> None:
    saved = _seed(engine)
    target = tmp_path / "amity.backup"

    report = backups.backup(_url(engine), target)

    assert report.bytes == target.stat().st_size > 0
    _scribble(engine)
    assert _snapshot(engine) != saved
    engine.dispose()  # the restore replaces what open connections would see
    backups.restore(_url(engine), target)
    assert _snapshot(engine) == saved
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Partnership)) == 1


def test_commands_round_trip(engine: Engine, tmp_path, monkeypatch) -> None:
    saved = _seed(engine)
    monkeypatch.setenv("AMITY_DATABASE_URL", _url(engine))
    clear_engines()
    target = tmp_path / "nested" / "amity.backup"
    runner = CliRunner()

    result = runner.invoke(app, ["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    _scribble(engine)
    engine.dispose()
    result = runner.invoke(app, ["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert _snapshot(engine) == saved
    clear_engines()


def test_restore_refuses_a_file_of_the_other_kind(engine: Engine, tmp_path) -> None:
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a backup")
    with pytest.raises(InvalidInput):
        backups.restore(_url(engine), wrong)
    with pytest.raises(InvalidInput):
        backups.restore(_url(engine), tmp_path / "missing.backup")


def test_restore_without_confirmation_changes_nothing(sqlite_engine: Engine, tmp_path,
                                                      monkeypatch) -> None:
    saved = _seed(sqlite_engine)
    target = tmp_path / "amity.backup"
    backups.backup(_url(sqlite_engine), target)
    _scribble(sqlite_engine)
    changed = _snapshot(sqlite_engine)
    monkeypatch.setenv("AMITY_DATABASE_URL", _url(sqlite_engine))

    result = CliRunner().invoke(app, ["restore", str(target)], input="n\n")

    assert result.exit_code != 0
    assert _snapshot(sqlite_engine) == changed != saved

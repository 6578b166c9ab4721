"""`amity backup` and `amity restore` carry the attachment files with the database, on both
engines: a restore into a wiped database and an empty folder gives back every live file, byte for
byte; deleted files are not backed up; missing or damaged files are named; old backups (the bare
database) still restore and say they hold no files."""

from __future__ import annotations

import io
import shutil
import tarfile

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from tests.attachments.conftest import PDF, png
from typer.testing import CliRunner

from amity.cli import app
from amity.core.db import Base, clear_engines
from amity.core.errors import InvalidInput
from amity.system import backup as backups


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _said(result) -> str:
    """A command's output with Rich's line wrapping undone."""
    return " ".join(result.output.split())


def _upload(world, owner: str, name: str, content: bytes) -> dict:
    answer = world["client"].post(
        f"/api/v1/{owner}s/{world[owner]}/attachments",
        files={"file": (name, content, "application/octet-stream")}, headers=world["headers"]["nj"],
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    return answer.json()


def _three(world) -> tuple[dict, dict, dict]:
    """A photo on the case and a PDF on the event (kept), and a photo that is deleted."""
    photo = _upload(world, "case", "签约仪式.png", png(320, 200))
    document = _upload(world, "event", "议程.pdf", PDF)
    gone = _upload(world, "exchange", "old.png", png(10, 10, (1, 2, 3)))
    deleted = world["client"].delete(gone["url"], headers=world["headers"]["nj"])
    assert deleted.status_code == 204, deleted.text
    return photo, document, gone


def _stored_name(world, item: dict) -> str:
    from amity.attachments.models import Attachment
    from amity.core.db import session_scope

    with session_scope(world["engine"]) as session:
        return session.get(Attachment, item["id"]).stored_name


def _wipe(world) -> None:
    """Lose everything: every table, and the attachments folder."""
    engine = world["engine"]
    if engine.dialect.name == "sqlite":
        Base.metadata.drop_all(engine)
    else:  # search tables outside the models refer to them
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    shutil.rmtree(world["files"])


def test_round_trip_into_a_wiped_database_and_folder(world, tmp_path):
    photo, document, gone = _three(world)
    contents = {photo["id"]: png(320, 200), document["id"]: PDF}
    target = tmp_path / "amity.backup"
    seen = []

    report = backups.backup(_url(world["engine"]), target,
                            progress=lambda *args: seen.append(args))  # fmt: skip

    assert (report.files, report.problems) == (2, [])
    assert report.file_bytes == sum(len(c) for c in contents.values())
    with tarfile.open(target) as archive:
        names = archive.getnames()
    stored = {i: _stored_name(world, {"id": i}) for i in (photo["id"], document["id"])}
    assert sorted(names) == sorted(["database", "amity-backup.json",
                                    *(f"attachments/{s}" for s in stored.values())])
    assert f"attachments/{_stored_name(world, gone)}" not in names  # deleted: not backed up
    assert seen[-1] == (backups.COPYING, 2, 2)

    _wipe(world)
    world["files"].mkdir()
    (world["files"] / "stray.png").write_bytes(b"not any attachment's")
    seen.clear()
    restored = backups.restore(_url(world["engine"]), target,
                               progress=lambda *args: seen.append(args))  # fmt: skip

    assert (restored.format, restored.files, restored.problems) == (2, 2, [])
    assert restored.orphans == ["stray.png"]  # kept, and said
    assert (world["files"] / "stray.png").exists()
    assert seen[-1] == (backups.RESTORING, 2, 2)
    for item in (photo, document):
        served = world["client"].get(item["url"])
        assert served.status_code == 200 and served.content == contents[item["id"]]
    assert world["client"].get(gone["url"]).status_code == 410
    assert not [p for p in world["files"].iterdir() if p.name.startswith(".")]  # no temp files


def test_missing_and_damaged_files_are_named(world, tmp_path, monkeypatch):
    photo, document, _gone = _three(world)
    photo_file = world["files"] / _stored_name(world, photo)
    photo_file.write_bytes(photo_file.read_bytes()[:-4] + b"XXXX")  # same size, other bytes
    (world["files"] / _stored_name(world, document)).unlink()
    monkeypatch.setenv("AMITY_DATABASE_URL", _url(world["engine"]))
    clear_engines()
    target = tmp_path / "amity.backup"
    runner = CliRunner()

    result = runner.invoke(app, ["backup", str(target)])

    assert result.exit_code == 0, result.output  # a warning: the backup is still written
    assert f"attachment {photo['id']} ({photo_file.name}): damaged" in _said(result)
    assert f"attachment {document['id']} (" in _said(result) and "missing" in _said(result)
    assert "2 attachment files are not in this backup" in _said(result)
    with tarfile.open(target) as archive:
        assert [n for n in archive.getnames() if n.startswith("attachments/")] == []
    strict = runner.invoke(app, ["backup", str(tmp_path / "strict.backup"), "--strict"])
    assert strict.exit_code == 1 and (tmp_path / "strict.backup").is_file()

    _wipe(world)
    result = runner.invoke(app, ["restore", str(target), "--yes"])
    assert result.exit_code == 0, _said(result)
    assert "Put back 0 attachment files" in _said(result)
    assert f"attachment {photo['id']}" in _said(result)
    assert "not in the backup (damaged" in _said(result)
    assert "2 attachment files are missing or damaged" in _said(result)
    clear_engines()


def test_a_file_damaged_inside_the_backup_is_not_put_in_place(world, tmp_path):
    photo, _document, _gone = _three(world)
    target = tmp_path / "amity.backup"
    backups.backup(_url(world["engine"]), target)
    name = f"attachments/{_stored_name(world, photo)}"
    tampered = tmp_path / "tampered.backup"
    with tarfile.open(target) as source, tarfile.open(tampered, "w") as out:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == name:
                content = content[:-1] + bytes([content[-1] ^ 1])
            out.addfile(member, io.BytesIO(content))
    _wipe(world)

    report = backups.restore(_url(world["engine"]), tampered)

    assert [(p.id, p.reason.split(":")[0]) for p in report.problems] == [
        (photo["id"], "damaged in the backup")]
    assert report.files == 1
    assert not (world["files"] / name.split("/")[1]).exists()
    assert world["client"].get(photo["url"]).status_code == 410


def test_an_old_backup_restores_and_says_it_holds_no_files(world, tmp_path, monkeypatch):
    photo, document, _gone = _three(world)
    old = tmp_path / "old.backup"
    backups._dump(_url(world["engine"]), old)  # format 1: the bare database file
    (world["files"] / _stored_name(world, document)).unlink()
    monkeypatch.setenv("AMITY_DATABASE_URL", _url(world["engine"]))
    world["engine"].dispose()

    result = CliRunner().invoke(app, ["restore", str(old), "--yes"])

    assert result.exit_code == 0, _said(result)
    assert "holds no attachment files" in _said(result)
    assert f"attachment {document['id']}" in _said(result) and "missing" in _said(result)
    assert world["client"].get(photo["url"]).content == png(320, 200)  # left in place
    clear_engines()


def test_a_backup_cut_short_or_of_the_other_engine_is_refused(world, tmp_path):
    _three(world)
    target = tmp_path / "amity.backup"
    backups.backup(_url(world["engine"]), target)
    cut = tmp_path / "cut.backup"
    cut.write_bytes(target.read_bytes()[:4096])
    with pytest.raises(InvalidInput):
        backups.restore(_url(world["engine"]), cut)
    other = "postgresql+psycopg://x@localhost/x" if world["engine"].dialect.name == "sqlite" \
        else f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(InvalidInput, match="configured database"):
        backups.restore(other, target)

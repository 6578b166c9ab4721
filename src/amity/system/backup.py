"""Backups of the whole database and the attached files, and their restore, on either engine.

A backup is one file: an uncompressed tar (format 2) holding the database (`database`), every
file the database's live attachments point to (`attachments/<stored name>`), each checked against
its row's size and sha256 as it is copied, and last a manifest (`amity-backup.json`: the format,
the engine, the files and the problems found). The manifest is written last, so a backup cut
short has none and is refused. Format 1, the bare database file of earlier releases, still
restores; it holds no attachment files.

SQLite: the online backup API copies a consistent snapshot while the app keeps serving (a plain
file copy could catch a half-written page or miss the WAL). PostgreSQL: pg_dump's custom format,
restored with pg_restore in one transaction, so a failed restore leaves the database as it was;
the list of files is read in the very snapshot pg_dump dumps (an exported snapshot), so the
files copied are exactly those the dumped rows point to.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from amity.attachments import service as attachments
from amity.core.errors import InvalidInput
from amity.core.progress import Progress, silent

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
FORMAT = 2  # 1: the bare database file; 2: the tar described above
MANIFEST, DATABASE, FILES = "amity-backup.json", "database", "attachments/"
COPYING, RESTORING = "Attachment files copied", "Attachment files restored"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Problem:
    """An attachment whose file is not where it should be: its row id, stored name and why."""

    id: int
    stored_name: str
    reason: str


@dataclass(frozen=True)
class BackupReport:
    engine: str
    path: str
    bytes: int
    format: int = FORMAT
    files: int = 0  # attachment files written (backup) or put in place (restore)
    file_bytes: int = 0
    problems: list[Problem] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # restore: files no live row points to
    folder: str = ""


def backup(url: str, destination: Path, *, progress: Progress = silent) -> BackupReport:
    """Write a backup of the database at `url` and of its attachment files to `destination`
    (replaced, once complete, if it exists). A file that is missing or does not match its row
    is left out and listed in the report and the manifest; the backup goes on."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine_name(url)
    folder = attachments.folder()
    partial = destination.with_name(destination.name + ".partial")
    copied: list[dict] = []
    problems: list[Problem] = []
    try:
        with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".amity-backup-") as work:
            dump = Path(work) / DATABASE
            wanted = _dump(url, dump)
            partial.unlink(missing_ok=True)
            partial.touch(mode=0o600)  # it holds everything: readable by its owner only
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
                archive.add(dump, DATABASE, filter=_private)
                for done, item in enumerate(wanted, 1):
                    content, reason = _read_checked(folder, item)
                    if reason:
                        problems.append(Problem(item.id, item.stored_name, reason))
                    else:
                        _add_bytes(archive, FILES + item.stored_name, content)
                        copied.append({"id": item.id, "stored_name": item.stored_name,
                                       "sha256": item.sha256, "size": item.size})
                    progress(COPYING, done, len(wanted))
                manifest = {"format": FORMAT, "engine": engine,
                            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                            "files": copied, "problems": [p.__dict__ for p in problems]}
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
        partial.replace(destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(engine=engine, path=str(destination), bytes=destination.stat().st_size,
                        files=len(copied), file_bytes=sum(f["size"] for f in copied),
                        problems=problems, folder=str(folder))  # fmt: skip


def restore(url: str, source: Path, *, progress: Progress = silent) -> BackupReport:
    """Replace the database at `url` with the backup in `source` (made by `backup`), then put
    its attachment files in place, each checked against the restored database's sha256.

    Files in the attachments folder that the restored database does not point to are left in
    place and listed as orphans: a restore never deletes a file.
    """
    source = Path(source)
    if not source.is_file():
        raise InvalidInput(f"No backup file at {source}.", {"path": str(source)})
    with source.open("rb") as file:
        head = file.read(16)
    folder = attachments.folder()
    if head.startswith((SQLITE_MAGIC, PG_CUSTOM_MAGIC)):  # format 1: the database alone
        engine = _restore_database(url, source, head)
        problems = _check_in_place(folder, _files_in(url))
        return BackupReport(engine=engine, path=str(source), bytes=source.stat().st_size,
                            format=1, problems=problems, folder=str(folder))  # fmt: skip
    if not tarfile.is_tarfile(source):
        raise InvalidInput("This file is not an Amity backup.", {"path": str(source)})
    with tarfile.open(source, "r:") as archive:
        try:
            members = {m.name: m for m in archive.getmembers() if m.isfile()}
        except tarfile.TarError:
            raise InvalidInput("This backup is damaged or cut short: its table of contents "
                               "cannot be read.", {"path": str(source)}) from None
        manifest = _manifest(archive, source, _engine_name(url))
        if DATABASE not in members:
            raise InvalidInput("This backup holds no database.", {"path": str(source)})
        # Unpacked beside an SQLite database (the room it needs is there), else in TMPDIR.
        beside = _sqlite_path(url).parent if _engine_name(url) == "sqlite" else None
        if beside:
            beside.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".amity-restore-", dir=beside) as work:
            dump = Path(work) / DATABASE
            with archive.extractfile(members[DATABASE]) as packed, dump.open("wb") as out:
                shutil.copyfileobj(packed, out, _CHUNK)
            with dump.open("rb") as file:
                engine = _restore_database(url, dump, file.read(16))
        wanted = _files_in(url)
        left_out = {p["id"]: p["reason"] for p in manifest.get("problems", [])}
        problems, placed, placed_bytes = [], 0, 0
        for done, item in enumerate(wanted, 1):
            member = members.get(FILES + item.stored_name)
            if not _plain_name(item.stored_name):
                reason = "the database gives it an unsafe file name"
            elif member is None:
                reason = (f"not in the backup ({left_out[item.id]} when it was made)"
                          if item.id in left_out else "not in the backup")  # fmt: skip
            else:
                reason = _place(archive, member, folder, item)
            if reason:
                problems.append(Problem(item.id, item.stored_name, reason))
            else:
                placed, placed_bytes = placed + 1, placed_bytes + item.size
            progress(RESTORING, done, len(wanted))
    return BackupReport(engine=engine, path=str(source), bytes=source.stat().st_size,
                        format=manifest["format"], files=placed, file_bytes=placed_bytes,
                        problems=problems, orphans=_orphans(folder, wanted),
                        folder=str(folder))  # fmt: skip


def _engine_name(url: str) -> str:
    return "sqlite" if make_url(url).get_backend_name() == "sqlite" else "postgresql"


def _dump(url: str, target: Path) -> list[attachments.StoredFile]:
    """Write the database to `target`; return the live files of the rows written there."""
    if _engine_name(url) == "sqlite":
        _sqlite_copy(_sqlite_path(url), target)
        return _files_in(f"sqlite:///{target}")
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            # pg_dump dumps this transaction's snapshot, and the rows are read in it too.
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            _run(_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                 f"--file={target}", f"--dbname={_libpq_url(url)}")
            return _live(conn)
    finally:
        engine.dispose()


def _restore_database(url: str, source: Path, head: bytes) -> str:
    if _engine_name(url) == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise InvalidInput("This file is not an SQLite backup.", {"path": str(source)})
        _sqlite_copy(source, _sqlite_path(url))
        return "sqlite"
    if not head.startswith(PG_CUSTOM_MAGIC):
        raise InvalidInput("This file is not a pg_dump custom-format backup.",
                           {"path": str(source)})
    _run(_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
         "--single-transaction", "--exit-on-error", f"--dbname={_libpq_url(url)}", str(source))
    return "postgresql"


def _files_in(url: str) -> list[attachments.StoredFile]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return _live(conn)
    finally:
        engine.dispose()


def _live(conn: Connection) -> list[attachments.StoredFile]:
    if not inspect(conn).has_table("attachments"):  # a database from before attachments
        return []
    with Session(bind=conn) as session:
        return attachments.live_files(session)


def _manifest(archive: tarfile.TarFile, source: Path, engine: str) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, AttributeError):  # absent, not JSON, not a plain file
        raise InvalidInput("This backup is incomplete (it has no manifest): it was cut short "
                           "while it was written.", {"path": str(source)}) from None
    if manifest.get("format") != FORMAT:
        raise InvalidInput(f"This backup has format {manifest.get('format')}; this release "
                           f"reads formats 1 and {FORMAT}.", {"path": str(source)})
    if manifest.get("engine") != engine:
        raise InvalidInput(f"This backup is of a {manifest.get('engine')} database; the "
                           f"configured database is {engine}.", {"path": str(source)})
    return manifest


def _plain_name(name: str) -> bool:
    """A stored name is one plain file name (a restored database is data: never a path)."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def _read_checked(folder: Path, item: attachments.StoredFile) -> tuple[bytes, str | None]:
    """The file's bytes if they match the row; else why not. An attachment is at most
    AMITY_ATTACHMENT_MAX_MB (100 MB at most), so it is read whole and hashed once."""
    if not _plain_name(item.stored_name):
        return b"", "the database gives it an unsafe file name"
    path = folder / item.stored_name
    try:
        size = path.stat().st_size
        if size != item.size:
            return b"", f"damaged: {size:,} bytes, the database says {item.size:,}"
        content = path.read_bytes()
    except FileNotFoundError:
        return b"", f"missing from {folder}"
    except OSError as error:
        return b"", f"unreadable: {error.strerror}"
    if len(content) != item.size or sha256(content).hexdigest() != item.sha256:
        return b"", "damaged: its sha256 differs from the database's"
    return content, None


def _check_in_place(folder: Path, wanted: list[attachments.StoredFile]) -> list[Problem]:
    """After a restore from a backup without files: which live rows' files are not on disk as
    they were uploaded."""
    problems = []
    for item in wanted:
        _content, reason = _read_checked(folder, item)
        if reason:
            problems.append(Problem(item.id, item.stored_name, reason))
    return problems


def _place(archive: tarfile.TarFile, member: tarfile.TarInfo, folder: Path,
           item: attachments.StoredFile) -> str | None:  # fmt: skip
    """Write one file from the backup under a temporary name, check it against the restored
    row, then rename it into place (a reader never sees half a file); else why not."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".restore-")
    digest, size = sha256(), 0
    try:
        with archive.extractfile(member) as packed, os.fdopen(handle, "wb") as out:
            while chunk := packed.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size != item.size or digest.hexdigest() != item.sha256:
            Path(temporary).unlink()
            return "damaged in the backup: its sha256 differs from the database's"
        os.replace(temporary, folder / item.stored_name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return None


def _orphans(folder: Path, wanted: list[attachments.StoredFile]) -> list[str]:
    """Files in the folder that no live row of the restored database points to (kept)."""
    if not folder.is_dir():
        return []
    referenced = {item.stored_name for item in wanted}
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.name not in referenced)


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(content), int(time.time()), 0o600
    archive.addfile(info, io.BytesIO(content))


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise InvalidInput("An in-memory SQLite database has nothing to back up.", {"url": url})
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy one SQLite database into another through the backup API (page by page, locked)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # A backup file is read on its own later: fold the WAL in so it is one self-contained file.
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        dst.close()
        src.close()


def _libpq_url(url: str) -> str:
    """The SQLAlchemy URL as libpq reads it (no +driver)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    """pg_dump or pg_restore: the newest server install's (it reads older servers), else PATH."""
    installs = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if installs:
        return str(installs[-1])
    found = shutil.which(name)
    if not found:
        raise InvalidInput(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run(*args: str) -> None:
    result = subprocess.run(args, capture_output=True, text=True,
                            env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
    if result.returncode != 0:
        raise InvalidInput(f"{Path(args[0]).name} failed.",
                           {"stderr": result.stderr.strip()[-2000:]})

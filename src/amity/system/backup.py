"""Backups of the whole database and their restore, on either engine.

SQLite: the online backup API copies a consistent snapshot while the app keeps serving (a plain
file copy could catch a half-written page or miss the WAL). PostgreSQL: pg_dump's custom format,
restored with pg_restore in one transaction, so a failed restore leaves the database as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from amity.core.errors import InvalidInput

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class BackupReport:
    engine: str
    path: str
    bytes: int


def backup(url: str, destination: Path) -> BackupReport:
    """Write a backup of the database at `url` to `destination` (overwritten if it exists)."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), destination)
        engine = "sqlite"
    else:
        partial = destination.with_name(destination.name + ".partial")
        _run(_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}",
             f"--dbname={_libpq_url(url)}")
        partial.replace(destination)
        engine = "postgresql"
    return BackupReport(engine=engine, path=str(destination), bytes=destination.stat().st_size)


def restore(url: str, source: Path) -> BackupReport:
    """Replace the database at `url` with the backup in `source` (made by `backup`)."""
    source = Path(source)
    if not source.is_file():
        raise InvalidInput(f"No backup file at {source}.", {"path": str(source)})
    with source.open("rb") as file:
        head = file.read(16)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise InvalidInput("This file is not an SQLite backup.", {"path": str(source)})
        _sqlite_copy(source, _sqlite_path(url))
        engine = "sqlite"
    else:
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise InvalidInput("This file is not a pg_dump custom-format backup.",
                               {"path": str(source)})
        _run(_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
             "--single-transaction", "--exit-on-error", f"--dbname={_libpq_url(url)}", str(source))
        engine = "postgresql"
    return BackupReport(engine=engine, path=str(source), bytes=source.stat().st_size)


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

"""`flask --app ethics backup`: a consistent copy of the database while the application serves.

SQLite: the online backup API copies every page in one step, inside one read transaction, so
the copy holds what was committed at one moment (the write-ahead log included) and writers go on
meanwhile; the copy is checked, then gzip-compressed. PostgreSQL: `pg_dump` in its custom
format, which is compressed and taken from one snapshot. Either way the file is written under a
temporary name and renamed when complete, a `FILE.sha256` beside it lets `restore` (or
`sha256sum -c`) check it, and its size and checksum go to the audit log.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from ethics.audit.services import record
from ethics.core.extensions import db

CHUNK = 1024 * 1024
PG_CLIENT_MISSING = ("{tool} was not found: install the PostgreSQL client tools of the server's major version or newer "
                     "(Debian and Ubuntu: apt-get install postgresql-client)")


class OperationError(Exception):
    """A backup or restore that cannot go on; the message says why, for the person running it."""


@dataclass(frozen=True)
class Backup:
    path: Path
    engine: str
    size: int
    sha256: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_file(path: Path) -> Path:
    """Where the checksum of a backup is kept, in the format `sha256sum -c` reads."""
    return path.with_name(path.name + ".sha256")


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise OperationError("the SQLite database is in memory: there is nothing on disk to back up or restore")
    return Path(url.database)


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """The URL for pg_dump/pg_restore (libpq's own scheme, no driver name) and the environment that
    carries the password, so it never shows in the process list."""
    env = {"PGPASSWORD": url.password} if url.password else {}
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def run_pg_tool(tool: str, arguments: list[str], env: dict[str, str]) -> None:
    program = shutil.which(tool)
    if program is None:
        raise OperationError(PG_CLIENT_MISSING.format(tool=tool))
    done = subprocess.run([program, *arguments], env={**os.environ, **env}, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise OperationError(f"{tool} failed: {done.stderr.strip() or done.returncode}")


def _sqlite_copy(database: Path, partial: Path) -> None:
    copy = partial.with_name(partial.name + ".db")
    source = sqlite3.connect(database)
    try:
        target = sqlite3.connect(copy)
        try:
            source.backup(target)  # every page in one step: one read transaction, one moment
            (verdict,) = target.execute("PRAGMA quick_check").fetchone()
        finally:
            target.close()
        if verdict != "ok":
            raise OperationError(f"the copy failed SQLite's check: {verdict}")
        with copy.open("rb") as raw, gzip.open(partial, "wb", compresslevel=6) as packed:
            shutil.copyfileobj(raw, packed, CHUNK)
    finally:
        source.close()
        copy.unlink(missing_ok=True)


def _postgresql_dump(url: URL, partial: Path) -> None:
    target, env = libpq_target(url)
    run_pg_tool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", str(partial),
                            "--dbname", target], env)


def make_backup(output: Path) -> Backup:
    """Back up the configured database into `output` (which must not exist yet), write its
    checksum beside it and record both in the audit log."""
    if output.exists():
        raise OperationError(f"{output} already exists: choose a new name (a date in it helps)")
    if not output.parent.is_dir():
        raise OperationError(f"{output.parent} is not a folder")
    url = db.engine.url
    engine = db.engine.dialect.name
    partial = output.with_name(f".{output.name}.partial")
    previous_umask = os.umask(0o077)  # every file it writes, the uncompressed copy too, is the owner's only
    try:
        if engine == "sqlite":
            _sqlite_copy(sqlite_path(url), partial)
        elif engine == "postgresql":
            _postgresql_dump(url, partial)
        else:
            raise OperationError(f"backups of {engine} databases are not supported")
        os.replace(partial, output)
    finally:
        os.umask(previous_umask)
        partial.unlink(missing_ok=True)
    backup = Backup(output, engine, output.stat().st_size, sha256_of(output))
    checksum_file(output).write_text(f"{backup.sha256}  {output.name}\n", encoding="ascii")
    record("operations.backup", file=str(output.resolve()), engine=engine, bytes=backup.size, sha256=backup.sha256)
    db.session.commit()
    return backup

"""`flask --app ethics restore FILE`: put a backup back, then check the audit chain it holds.

Only into a database that holds no data (tables a fresh `db upgrade` made are fine), unless told
(`--force`), since everything in it is replaced. The file is checked first (its `.sha256` beside
it, when there, and its kind against the configured database), so a wrong or damaged file
changes nothing.
"""
from __future__ import annotations

import gzip
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, select, table, text

from ethics.audit.models import CHAIN_TAIL
from ethics.audit.services import Verification, keep_verification, record, verify
from ethics.core.database import read_only
from ethics.core.extensions import db
from ethics.operations.backup import CHUNK, OperationError, checksum_file, libpq_target, run_pg_tool, sha256_of, sqlite_path
from ethics.operations.schema import revision_state

BOOKKEEPING = frozenset({"alembic_version", "data_version"})  # rows a fresh `db upgrade` writes
GZIP, PGDUMP = b"\x1f\x8b", b"PGDMP"


@dataclass(frozen=True)
class Restored:
    engine: str
    sha256: str
    verification: Verification
    revision: str | None  # the schema revision the backup holds
    at_head: bool


def kind_of(path: Path) -> str:
    """Which database a backup file is of, from its first bytes."""
    with path.open("rb") as file:
        start = file.read(5)
    if start.startswith(GZIP):
        return "sqlite"
    if start == PGDUMP:
        return "postgresql"
    raise OperationError(f"{path} is not a backup made by `flask --app ethics backup`")


def check_file(path: Path) -> str:
    """The file's SHA-256, refused when it differs from the checksum kept beside it."""
    if not path.is_file():
        raise OperationError(f"{path} does not exist")
    digest = sha256_of(path)
    kept = checksum_file(path)
    if kept.exists() and kept.read_text(encoding="ascii").split()[:1] != [digest]:
        raise OperationError(f"{path} does not match its checksum in {kept.name}: the file is damaged or not that backup")
    return digest


def tables_holding_data() -> list[str]:
    names = inspect(db.engine).get_table_names()
    with db.engine.connect() as connection:
        return [name for name in names if name not in BOOKKEEPING
                and connection.execute(select(text("1")).select_from(table(name)).limit(1)).first() is not None]


def _restore_sqlite(path: Path) -> None:
    database = sqlite_path(db.engine.url)
    with tempfile.TemporaryDirectory(dir=database.parent) as folder:
        copy = Path(folder) / "restoring.db"
        try:
            with gzip.open(path, "rb") as packed, copy.open("wb") as raw:
                shutil.copyfileobj(packed, raw, CHUNK)
        except (OSError, EOFError) as error:
            raise OperationError(f"{path} cannot be unpacked: {error}") from None
        source = sqlite3.connect(copy)
        try:
            (verdict,) = source.execute("PRAGMA quick_check").fetchone()
            if verdict != "ok":
                raise OperationError(f"the backup failed SQLite's check: {verdict}")
            target = sqlite3.connect(database)
            try:
                source.backup(target)  # replaces every page of the database, in one step
            finally:
                target.close()
        except sqlite3.DatabaseError as error:
            raise OperationError(f"{path} does not hold a SQLite database: {error}") from None
        finally:
            source.close()


def _restore_postgresql(path: Path) -> None:
    """pg_restore turns the whole archive into SQL first, so a damaged or foreign file fails before
    anything is touched; then psql drops the tables (and the audit chain's function) there and
    runs that SQL in one transaction, so a failure part way leaves the database as it was."""
    target, env = libpq_target(db.engine.url)
    names = inspect(db.engine).get_table_names()
    with tempfile.TemporaryDirectory() as folder:  # private (0700): the SQL holds every row
        script, drop = Path(folder) / "restore.sql", Path(folder) / "drop.sql"
        run_pg_tool("pg_restore", ["--no-owner", "--no-privileges", "--file", str(script), str(path)], env)
        tables = ", ".join(map(db.engine.dialect.identifier_preparer.quote, names))
        drop.write_text((f"DROP TABLE {tables} CASCADE;\n" if names else "") + f"DROP FUNCTION IF EXISTS {CHAIN_TAIL};\n",
                        encoding="utf-8")
        run_pg_tool("psql", ["--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1", "--single-transaction",
                             "--dbname", target, "--file", str(drop), "--file", str(script)], env)


def restore_backup(path: Path, force: bool = False) -> Restored:
    """Replace the configured database's content with the backup's, then verify its audit chain and
    keep the outcome; at the current schema the restore itself is recorded in the audit log too."""
    digest = check_file(path)
    kind, engine = kind_of(path), db.engine.dialect.name
    if kind != engine:
        raise OperationError(f"{path} is a backup of a {kind} database, but the configured database is {engine}")
    if not force and (holding := tables_holding_data()):
        raise OperationError(f"the database is not empty ({len(holding)} tables hold data, such as {holding[0]}): "
                             "restore into a new database, or add --force to replace everything in it")
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old database open
    if kind == "sqlite":
        _restore_sqlite(path)
    else:
        _restore_postgresql(path)
    db.engine.dispose()
    revision, at_head = revision_state()
    with read_only():
        verification = verify()
    db.session.rollback()
    if at_head:  # an older schema is upgraded first; its tables are not written before that
        keep_verification(verification, by="command")
        record("operations.restore", file=str(path.resolve()), engine=engine, sha256=digest)
        db.session.commit()
    return Restored(engine, digest, verification, revision, at_head)

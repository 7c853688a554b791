"""Deleting so that what was deleted cannot be read back from the database's own files.

A DELETE leaves the old row where it was until the space is reused: on PostgreSQL as a dead
tuple, with the id of the transaction that wrote it, until a vacuum (and a vacuum keeps it while
any older snapshot is open); on SQLite in the freed page and in the write-ahead log until a
checkpoint. Where that would tell who wrote what (the survey), the tables are rewritten instead:

- PostgreSQL: the live rows are copied aside, the tables TRUNCATEd (they get new files; the old
  ones are removed at commit) and the rows written back, all in the caller's transaction.
- SQLite: every connection overwrites deleted content with zeros (`secure_delete`, set with the
  other pragmas), and after the commit the log is copied into the database and truncated to
  nothing (`wal_checkpoint(TRUNCATE)`).

What the engine keeps outside its data files (PostgreSQL's own WAL and its archive, backups) is
the operator's to configure: docs/survey-anonymity.md says how.
"""
from __future__ import annotations

import logging

from psycopg.errors import LockNotAvailable
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session

from ethics.core.database import BUSY_TIMEOUT_S
from ethics.core.extensions import Model, db
from ethics.core.tasks import task

log = logging.getLogger(__name__)


def _execute(session: Session | scoped_session, sql: str, writes: tuple[str, ...]) -> None:
    """Run a statement SQLAlchemy cannot build, telling the data versions which tables it writes."""
    session.execute(text(sql), execution_options={"ethics_writes": writes})


class TablesBusy(Exception):
    """Another transaction held the tables longer than the caller would wait."""


def lock(session: Session | scoped_session, *tables: type[Model], wait_s: float | None = None) -> None:
    """Take the tables whole for this transaction (PostgreSQL), before any other lock the caller
    takes, so no row is added between copying them aside and emptying them; wait at most
    `wait_s` when given (TablesBusy). SQLite's write transactions already exclude each other."""
    if session.get_bind().dialect.name != "postgresql":
        return
    names = ", ".join(table.__tablename__ for table in tables)
    if wait_s is not None:
        _execute(session, f"SET LOCAL lock_timeout = '{int(wait_s * 1000)}ms'", ())
    try:
        _execute(session, f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE", ())
    except OperationalError as error:
        if isinstance(error.orig, LockNotAvailable):
            raise TablesBusy(names) from error
        raise
    if wait_s is not None:
        _execute(session, "SET LOCAL lock_timeout = 0", ())


def forget_deleted(session: Session | scoped_session, *tables: type[Model]) -> None:
    """Leave no trace of the rows deleted from `tables` (parents before children; a table that
    others reference must come with them) once this transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        lock(session, *tables)
        names = tuple(table.__tablename__ for table in tables)
        for name in names:
            _execute(session, f"CREATE TEMP TABLE keep_{name} ON COMMIT DROP AS SELECT * FROM {name}", ())
        _execute(session, f"TRUNCATE {', '.join(names)}", names)
        for name in names:
            _execute(session, f"INSERT INTO {name} SELECT * FROM keep_{name}", (name,))
    else:
        session.info[_TRUNCATE_LOG] = True


_TRUNCATE_LOG = "ethics_truncate_log"


@event.listens_for(Session, "after_commit")
def _truncate_log(session: Session) -> None:
    """Once a transaction that asked for it has committed, copy SQLite's write-ahead log into the
    database and empty it. A reader still on an older snapshot keeps the log from being emptied:
    then the request does not wait for it, and the worker tries again until it can."""
    if session.info.pop(_TRUNCATE_LOG, False) and not empty_log():
        empty_log_later()


class LogInUse(Exception):
    """A reader still holds the write-ahead log."""


def empty_log(wait_ms: int = 200) -> bool:
    """Checkpoint and truncate the log on a connection of its own (it can be emptied only outside
    every transaction); False when a reader held it longer than `wait_ms`."""
    connection = db.engine.raw_connection()
    cursor = connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        busy, _frames, _copied = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")  # as the pool's next user expects
        connection.close()
    return not busy


@task(retries=60, retry_delay=60)
def empty_log_later() -> None:
    if not empty_log():
        log.warning("the write-ahead log could not be emptied yet (a reader holds it); trying again in a minute")
        raise LogInUse()

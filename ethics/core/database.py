"""How requests use their transactions: SQLite made safe for concurrent writers, PostgreSQL's
BEGIN sent with a transaction's first statement, and on both engines, reads that write nothing
and the few writes a read-only request makes.

SQLite answers parallel read-then-write transactions with "database is locked"; WAL, a busy
timeout and BEGIN IMMEDIATE on write transactions (waiting in small steps) make writers queue
instead. Requests that cannot change data (GET/HEAD) keep a deferred BEGIN so readers never
wait for each other.
"""
from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from contextvars import ContextVar

import psycopg
from flask import Flask, request
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ethics.core.data_versions import writing

_read_only: ContextVar[bool] = ContextVar("ethics_read_only", default=False)


BUSY_TIMEOUT_S = 30  # how long a writer waits for another before giving up
BUSY_POLL_S = 0.0002
# WAL, foreign keys, a busy timeout, commits that survive a crash of the process, and deleted
# content overwritten with zeros (ethics.core.forgetting).
SQLITE_PRAGMAS = ("journal_mode=WAL", "foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_S * 1000}",
                  "synchronous=NORMAL", "secure_delete=ON")


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout; begin write transactions IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the "begin" event issue BEGIN
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if _read_only.get():
            connection.exec_driver_sql("BEGIN")
        else:
            begin_immediate(connection.connection.dbapi_connection)


def begin_immediate(dbapi_connection) -> None:
    """BEGIN IMMEDIATE, waiting for another writer by trying again every 0.2 ms. SQLite's own
    busy handler sleeps 1, 2, 5, 10 ... ms between tries, far longer than a write here holds
    the lock (a roster mark: well under a millisecond), so queued writers sat idle."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")  # for this statement only: the loop below waits instead
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(BUSY_POLL_S)
    finally:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cursor.close()


def configure_postgresql(engine: Engine) -> None:
    """Send each transaction's BEGIN with its first statement, which saves every transaction a
    round trip (a request reads the data versions first: BEGIN and the read go as one query).

    psycopg, left to itself, sends BEGIN on its own before a transaction's first statement. Here
    it runs in autocommit mode, and a statement that finds the transaction SQLAlchemy has begun
    not yet begun on the server carries the BEGIN: as one simple query of two statements when it
    has no parameters, else after a BEGIN of its own. A connection with an isolation level, read
    only or deferrable set (by SQLAlchemy's options) is handed back to psycopg, whose BEGIN
    carries them; one used with SQLAlchemy's AUTOCOMMIT level (VACUUM) gets no BEGIN."""
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.autocommit = True

    @event.listens_for(engine, "do_execute")
    def begin_with_statement(cursor, statement, parameters, context):
        if not _begin_due(cursor.connection, context):
            return False
        if parameters or isinstance(cursor, psycopg.ServerCursor):
            cursor.connection.execute("BEGIN")
            return False  # SQLAlchemy executes the statement
        cursor.execute(f"BEGIN; {statement}", parameters)  # none: psycopg sends a simple query
        cursor.nextset()  # the statement's own result
        return True

    @event.listens_for(engine, "do_executemany")
    @event.listens_for(engine, "do_execute_no_params")
    def begin_first(cursor, *statement_and_context):
        if _begin_due(cursor.connection, statement_and_context[-1]):
            cursor.connection.execute("BEGIN")
        return False


def _idle_in_autocommit(dbapi_connection) -> bool:
    """No transaction is open on the server, and psycopg would begin none of its own."""
    return dbapi_connection.autocommit and dbapi_connection.info.transaction_status == TransactionStatus.IDLE


def _begin_due(dbapi_connection, context) -> bool:
    """Whether the transaction SQLAlchemy has begun for this statement is not begun on the server
    and this code is to begin it."""
    if not (_idle_in_autocommit(dbapi_connection) and context.root_connection.in_transaction()
            and context.execution_options.get("isolation_level") != "AUTOCOMMIT"):
        return False
    if (dbapi_connection.isolation_level, dbapi_connection.read_only, dbapi_connection.deferrable) != (None,) * 3:
        dbapi_connection.autocommit = False  # psycopg's own BEGIN carries these
        return False
    return True


def send_due_begin(connection) -> None:
    """Begin `connection`'s transaction on the server now if no statement has yet: for work that
    goes to the driver directly (a COPY), which would otherwise run outside the transaction."""
    dbapi_connection = connection.connection.driver_connection
    if _idle_in_autocommit(dbapi_connection):
        dbapi_connection.execute("BEGIN")


def init_database(app: Flask, db) -> None:
    """Apply each database's settings and mark safe requests as read-only transactions."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
        elif db.engine.dialect.driver == "psycopg" and "isolation_level" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]:
            configure_postgresql(db.engine)  # an engine with an isolation level of its own is left to psycopg

    @app.before_request
    def mark_read_only():
        view = app.view_functions.get(request.endpoint or "")
        _read_only.set(request.method in ("GET", "HEAD", "OPTIONS") or getattr(view, "reads_only", False))

    @app.teardown_request
    def clear_read_only(_exc):
        _read_only.set(False)


def reads_only(view):
    """Mark a POST view that never writes (a search form), so it takes no SQLite write lock."""
    view.reads_only = True
    return view


@contextmanager
def write_transaction(session, continue_reads: bool = False):
    """Run a write from a read-only request (an audit entry on a GET) in its own transaction. With
    `continue_reads`, on PostgreSQL it goes on in the transaction the request has read in, which
    saves ending one and beginning another, unless that transaction holds changes of its own
    (a read must not commit them); SQLite's reading transaction cannot safely become a writer
    (another may have written since it began), so there it is always a new one."""
    if not (continue_reads and session.get_bind().dialect.name == "postgresql" and not writing()):
        session.rollback()
    token = _read_only.set(False)
    try:
        yield
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        _read_only.reset(token)


@contextmanager
def read_only():
    """Mark work that only reads (an import's checking pass), so SQLite takes no write lock."""
    token = _read_only.set(True)
    try:
        yield
    finally:
        _read_only.reset(token)

"""Engine settings that make SQLite safe for concurrent writers.

SQLite answers parallel read-then-write transactions with "database is locked"; WAL, a busy
timeout and BEGIN IMMEDIATE on write transactions make writers queue instead. Requests that
cannot change data (GET/HEAD) keep a deferred BEGIN so readers never wait for each other.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

_read_only: ContextVar[bool] = ContextVar("ethics_read_only", default=False)


# WAL, foreign keys, a busy timeout, and commits that survive a crash of the process.
SQLITE_PRAGMAS = ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL")


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
        connection.exec_driver_sql("BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")


def init_database(app: Flask, db) -> None:
    """Apply the SQLite settings and mark safe requests as read-only transactions."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)

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
def write_transaction(session):
    """Run a write from a read-only request (an audit entry on a GET) in its own transaction."""
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

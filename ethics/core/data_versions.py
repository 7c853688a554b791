"""Per-process caches of what is computed from the data, kept correct across processes by data versions.

Every domain (people, training, survey ...) is a `Domain` and has a version row in
`data_version`. Any write that reaches the database through SQLAlchemy is seen by the engine:
an ORM or Core statement names its table, and a textual statement that is not a plain read is
taken to write everything. The commit that carries the writes raises the version of each domain
whose tables they wrote, inside the same transaction, so readers see the new data and the new
version together. A cached value is stored under the versions it was computed from and is used
only while they are still current.

The versions are raised as the last statements before COMMIT, in a fixed order: on PostgreSQL
a writer waits for the version rows only once it holds every other lock it will take, so the
hot rows cannot deadlock with anything. There the raises and the COMMIT reach the server as one
query, which saves every write transaction a round trip.
"""
from __future__ import annotations

import threading
from enum import StrEnum
from functools import cache

from cachetools import LRUCache
from flask import Flask, current_app
from sqlalchemy import BigInteger, String, TableClause, TextClause, event, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.dml import UpdateBase

from ethics.core.extensions import Model, db


class Domain(StrEnum):
    """What a cached value can depend on: a package ethics/<domain>/ with a models.py, or a table
    that names its own (`__data_domain__`, for one written far more often than the rest)."""

    API = "api"
    AUTH = "auth"
    IMPORTING = "importing"
    MAIL = "mail"
    ORGANISATION = "organisation"
    PEOPLE = "people"
    PLAN = "plan"
    RECOGNITION = "recognition"
    REMINDERS = "reminders"
    SIGN_IN = "sign_in"
    SURVEY = "survey"
    TRAINING = "training"


_TOUCHED, _VERSIONS = "ethics_touched_domains", "ethics_data_versions"  # kept per transaction
CACHE_BYTES = 64 * 1024 * 1024


class ValueCache:
    """The app's own least-recently-used store, bounded by size (a kept page counts its bytes)."""

    def __init__(self):
        self.values = LRUCache(maxsize=CACHE_BYTES,
                               getsizeof=lambda value: len(value[0]) if isinstance(value, tuple) else 4096)
        self.lock = threading.Lock()  # the development server and threaded workers share it

    def get(self, key):
        with self.lock:
            return self.values.get(key)

    def put(self, key, value) -> None:
        with self.lock:
            self.values[key] = value


class DataVersion(Model):
    """How many committed transactions have written a domain's tables (it only ever grows)."""

    __tablename__ = "data_version"
    domain: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


UNVERSIONED = frozenset({"audit"})  # nothing is computed from the audit log, so its writes raise no version


@cache
def domain_of_tables() -> dict[str, Domain]:
    """Table name -> domain, from where each model lives (ethics/<domain>/models.py) unless the
    model names its own; a package that is not a Domain fails here, at start-up. The audit log's
    tables have none: every use of the API writes an entry, and raising a version nobody reads
    would cost each of them an update of one hot row."""
    found = {}
    for mapper in Model.registry.mappers:
        parts = mapper.class_.__module__.split(".")
        if len(parts) == 3 and parts[0] == "ethics" and parts[2] == "models" and parts[1] not in UNVERSIONED:
            for table in mapper.tables:
                found[table.name] = Domain(getattr(mapper.class_, "__data_domain__", parts[1]))
    return found


def note_written(connection, table_name: str) -> None:
    """Count a write the engine cannot see (a PostgreSQL COPY) as a write of its table's domain."""
    domain = domain_of_tables().get(table_name)
    if domain:
        connection.info.setdefault(_TOUCHED, set()).add(domain)


def domains() -> list[str]:
    return sorted(set(domain_of_tables().values()))


# Textual statements that cannot change data (the SQLite BEGIN, reads, advisory locks).
_TEXT_READS = frozenset({"SELECT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "SHOW", "SET", "PRAGMA"})


def _note_statement(connection, statement: str, context) -> None:
    """An INSERT, UPDATE or DELETE built by SQLAlchemy writes its table; textual SQL writes the
    tables its `ethics_writes` execution option names, or else may write anything, so it counts as
    a write of every domain (rare: migrations)."""
    named = context.execution_options.get("ethics_writes") if context is not None else None
    if named is not None:
        for table_name in named:
            note_written(connection, table_name)
        return
    compiled = context.compiled if context is not None else None
    built = compiled.statement if compiled is not None else None
    table = getattr(built, "table", None) if isinstance(built, UpdateBase) else None
    if isinstance(table, TableClause):
        note_written(connection, table.name)
    elif built is None or isinstance(built, TextClause | UpdateBase):  # text, or DML over a join or alias
        words = statement.split(None, 1)
        if words and words[0].upper() not in _TEXT_READS:
            connection.info.setdefault(_TOUCHED, set()).update(domain_of_tables().values())


def seed_versions(connection) -> None:
    """One version row per domain (run by the migration and after create_all)."""
    present = set(connection.scalars(select(DataVersion.domain)))
    missing = [{"domain": name, "version": 0} for name in domains() if name not in present]
    if missing:
        connection.execute(insert(DataVersion), missing)


def watch_writes(engine: Engine) -> None:
    """Note which domains each transaction writes; raise their versions as it commits (the
    engine's dialect commits through `raise_versions_and_commit`)."""

    @event.listens_for(engine, "before_cursor_execute")
    def note_write(connection, _cursor, statement, _parameters, context, _executemany):
        _note_statement(connection, statement, context)

    commit = engine.dialect.do_commit

    def raise_versions_and_commit(connection):
        """The dialect's commit with the version raises sent first. SQLAlchemy calls it inside its
        handling of a failed COMMIT, which its "commit" event is outside of: a raise that fails
        (a lock timeout, a lost server) is wrapped and rolled back like a failed COMMIT."""
        touched = connection.info.pop(_TOUCHED, None)
        connection.info.pop(_VERSIONS, None)
        if touched:
            # names come from our own module paths, never from input
            raises = [f"UPDATE data_version SET version = version + 1 WHERE domain = '{name}'" for name in sorted(touched)]
            cursor = connection.cursor()
            try:
                if _in_postgresql_transaction(connection.dbapi_connection):
                    cursor.execute("; ".join([*raises, "COMMIT"]))
                else:
                    for statement in raises:
                        cursor.execute(statement)
            finally:
                cursor.close()
        commit(connection)

    engine.dialect.do_commit = raise_versions_and_commit  # type: ignore[method-assign]  # SQLAlchemy has no hook there

    @event.listens_for(engine, "rollback")
    def forget_writes(connection):
        connection.info.pop(_TOUCHED, None)
        connection.info.pop(_VERSIONS, None)

    @event.listens_for(engine, "checkin")
    def forget_on_return(_dbapi_connection, record):
        record.info.pop(_TOUCHED, None)
        record.info.pop(_VERSIONS, None)


def _in_postgresql_transaction(dbapi_connection) -> bool:
    """Whether this is a psycopg connection inside a transaction: then the raises and the COMMIT
    go in one round trip, a simple query of several statements (the server skips the COMMIT if
    a raise fails, and the transaction is rolled back as usual), and psycopg's own commit()
    finds the transaction ended and sends nothing."""
    info = getattr(dbapi_connection, "info", None)
    status = getattr(info, "transaction_status", None)
    return status is not None and status.name == "INTRANS"


def _versions() -> dict[str, int]:
    """Every domain's version, read once per transaction (one small query, sent as plain SQL: it
    runs on every kept page, and the ORM's statement handling would cost more than the query)."""
    connection = db.session.connection()
    if _VERSIONS not in connection.info:
        connection.info[_VERSIONS] = dict(connection.exec_driver_sql("SELECT domain, version FROM data_version").all())
    return connection.info[_VERSIONS]


def writing() -> bool:
    """True when this transaction has changes of its own, which must not be kept for others."""
    session = db.session
    return bool(session.new or session.dirty or session.deleted or session.connection().info.get(_TOUCHED))


def versions_of(depends_on: tuple[Domain, ...]) -> tuple[int, ...]:
    """The current versions of some domains: what a validator (an HTTP ETag) of data shown is made of."""
    versions = _versions()
    return tuple(versions.get(name, -1) for name in depends_on)


def cached(key: tuple, depends_on: tuple[Domain, ...], compute):
    """compute(), or the value it gave for `key` while the domains it depends on were unchanged."""
    versions = _versions()
    if any(name not in versions for name in depends_on) or writing():
        return compute()
    store: ValueCache = current_app.extensions["ethics_cache"]
    full_key = (key, tuple(versions[name] for name in depends_on))
    value = store.get(full_key)
    if value is None:
        value = compute()
        if value is not None:  # nothing to keep: a miss could not be told from it (an unknown token, say)
            store.put(full_key, value)
    return value


@event.listens_for(DataVersion.__table__, "after_create")
def _seed_after_create(_target, connection, **_kw):
    seed_versions(connection)


def init_app(app: Flask) -> None:
    app.extensions["ethics_cache"] = ValueCache()
    with app.app_context():
        watch_writes(db.engine)

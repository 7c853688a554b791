"""Writing many new rows of one table at once, inserting or updating a row in one statement, and
finding many rows by a list of keys, the fastest way each database takes them.

PostgreSQL loads rows by COPY several times faster than by INSERTs, even batched ones (an import
of 20,000 people: docs/performance.md); SQLite runs its executemany in C, which is already
the fastest it has.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, String, Table, any_, bindparam, insert
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ethics.core.data_versions import note_written
from ethics.core.database import send_due_begin
from ethics.core.extensions import db

COPY_FROM = 20  # rows; below this an INSERT is cheaper (COPY costs a round trip more to start)


def insert_rows(table: Table, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys) into `table` in the session's transaction. The
    rows must name every column that has a Python-side default: COPY does not apply them."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql" or len(rows) < COPY_FROM:
        connection.execute(insert(table), rows)
        return
    send_due_begin(connection)
    names = list(rows[0])
    # Each column's own conversion (JSON to text, for one), as an INSERT would apply it.
    convert = [(name, table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect))
               for name in names]
    columns = ", ".join(f'"{name}"' for name in names)  # names come from the table, never from input
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]  # a live psycopg connection
    with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([process(row[name]) if process else row[name] for name, process in convert])
    note_written(connection, table.name)


def among(column, values: list[str]) -> ColumnElement[bool]:
    """`column IN values` for a long list of strings, sent to PostgreSQL as one array (= ANY),
    which it parses and plans several times faster than a thousand separate parameters."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(String)))
    return column.in_(values)


def upsert(dialect: str):
    """The INSERT construct with ON CONFLICT of the database (`dialect` is its name)."""
    return pg_insert if dialect == "postgresql" else sqlite_insert


def upsert_row(entity, keys: list[str], **values) -> None:
    """Insert a row, or update the one with the same `keys`, in one statement, so two writers
    at once cannot clash."""
    statement = upsert(db.session.get_bind().dialect.name)(entity).values(**values)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=keys, set_={name: statement.excluded[name] for name in values if name not in keys}))

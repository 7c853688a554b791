"""On PostgreSQL a transaction's BEGIN travels with its first statement (ethics/core/database.py):
one round trip fewer, and every kind of first statement still runs inside the transaction."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError

from ethics import create_app
from ethics.core.bulk import COPY_FROM, insert_rows
from ethics.core.data_versions import DataVersion
from ethics.core.extensions import db
from ethics.people.models import Person, Unit
from ethics.training.attendance import mark
from ethics.training.registrations import register
from tests.conftest import POSTGRES
from tests.test_bulk import person_row

pytestmark = pytest.mark.skipif(not POSTGRES, reason="psycopg's BEGIN; this runs in the PostgreSQL pass")


def sent_while(work, trace: Path) -> list[tuple[str, str]]:
    """The messages the client sent to the server during work(), from libpq's own trace."""
    pgconn = db.session.connection().connection.dbapi_connection.pgconn
    with trace.open("w") as sink:
        pgconn.trace(sink.fileno())
        try:
            work()
        finally:
            pgconn.untrace()
    return re.findall(r"\tF\t\d+\t(\w+)\t? ?(.*)", trace.read_text())


def units() -> int:
    return db.session.scalar(select(func.count()).select_from(Unit))


def test_a_first_statement_without_parameters_carries_the_begin(app, tmp_path):
    db.session.commit()
    sent = sent_while(lambda: db.session.connection().exec_driver_sql("SELECT domain, version FROM data_version"),
                      tmp_path / "trace")
    assert sent == [("Query", '"BEGIN; SELECT domain, version FROM data_version"')]
    # the statement's own rows, read in the transaction it began
    assert db.session.connection().connection.dbapi_connection.info.transaction_status.name == "INTRANS"
    assert {row.domain for row in db.session.execute(select(DataVersion.domain))} >= {"people", "training"}


def test_a_first_statement_with_parameters_begins_the_transaction_first(app, tmp_path):
    before = units()
    db.session.commit()
    sent = sent_while(lambda: db.session.execute(insert(Unit).values(code="TX1", name_th="ทดสอบ", name_en="Test")),
                      tmp_path / "trace")
    assert sent[0] == ("Query", '"BEGIN"')
    db.session.rollback()
    assert units() == before


def test_rows_copied_first_in_a_transaction_go_back_with_its_rollback(app, make_unit):
    unit_id = make_unit().id
    rows = [person_row(n, unit_id) for n in range(COPY_FROM + 2)]
    db.session.commit()
    insert_rows(Person.__table__, rows)  # a COPY, and nothing before it in its transaction
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_a_server_side_cursor_first_in_a_transaction_reads_inside_it(app, make_unit):
    make_unit()
    db.session.commit()
    streamed = db.session.execute(select(Unit.code).execution_options(stream_results=True, yield_per=10))
    assert len(streamed.all()) == 1  # a named cursor exists only inside a transaction


def test_work_that_must_run_outside_a_transaction_still_can_and_the_connection_goes_on(app):
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM data_version")  # refused inside a transaction block
    before = units()
    db.session.commit()
    db.session.execute(text("INSERT INTO unit (code, name_th, name_en, version) VALUES ('TX2', 'ทดสอบ', 'Test', 1)"))
    db.session.rollback()
    assert units() == before


def test_rows_inserted_many_at_once_first_in_a_transaction_go_back_with_its_rollback(app):
    before = units()
    db.session.commit()
    db.session.execute(insert(Unit), [{"code": f"TX{n}", "name_th": "ทดสอบ", "name_en": "Test"} for n in range(3)])
    db.session.rollback()
    assert units() == before


def test_a_read_only_transaction_refuses_a_write(app):
    db.session.commit()
    connection = db.session.connection(execution_options={"postgresql_readonly": True})
    with pytest.raises(DBAPIError, match="read-only transaction"):
        connection.execute(insert(Unit).values(code="TX9", name_th="ทดสอบ", name_en="Test"))
    db.session.rollback()


def engine_app(app_config, isolation_level: str):
    options = {**app_config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "isolation_level": isolation_level}
    return create_app({**app_config, "SQLALCHEMY_ENGINE_OPTIONS": options})


def test_an_engine_with_an_isolation_level_of_its_own_keeps_it(app_config):
    with engine_app(app_config, "SERIALIZABLE").app_context():
        assert db.session.scalar(text("SHOW transaction_isolation")) == "serializable"
        db.session.remove()
        db.engine.dispose()


def test_an_engine_made_to_autocommit_begins_no_transaction(app_config):
    with engine_app(app_config, "AUTOCOMMIT").app_context():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("VACUUM data_version")  # refused inside a transaction block
        db.engine.dispose()


def test_a_mark_that_changes_no_standing_is_five_round_trips(app, make_session, make_person, tmp_path):
    """What docs/performance.md counts: BEGIN with the versions read (as every request starts),
    the mark, the person's lock, their standing, the version raise with COMMIT."""
    session, person = make_session(), make_person()
    register(session.id, person, date(2026, 11, 1))
    session_id, person_id, day_id = session.id, person.id, session.days[0].id
    mark(session_id, person_id, day_id, True)
    db.session.commit()

    def second_click():
        db.session.connection().exec_driver_sql("SELECT domain, version FROM data_version")
        mark(session_id, person_id, day_id, True)
        db.session.commit()

    sent = sent_while(second_click, tmp_path / "trace")
    assert [kind for kind, _ in sent if kind in ("Query", "Sync")] == ["Query", "Sync", "Sync", "Sync", "Query"]

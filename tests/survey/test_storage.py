"""docs/survey-anonymity.md, read from the storage itself: once a batch has moved and once a
campaign has closed, the database's own files hold each answer sheet once, in the response
tables, and nothing that puts it next to the person who answered (the pending copy, a deleted
row with its transaction id, the write-ahead log's order of writes)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from ethics.core.extensions import db
from ethics.survey import answering
from tests.conftest import POSTGRES
from tests.survey.conftest import all_fives
from tests.survey.test_anonymity import make_people

TABLES = ("survey_pending", "survey_response", "survey_answer")


def marker(n: int) -> str:
    return f"ร่องรอย-{n:03d}-คำตอบลับ"


def sqlite_files() -> dict[str, bytes]:
    path = Path(db.engine.url.database)
    return {name: file.read_bytes() if file.exists() else b""
            for name, file in (("database", path), ("log", path.with_name(path.name + "-wal")))}


def postgresql_pages() -> dict[str, bytes]:
    """Every page of the answer tables (and their TOAST tables) as stored, dead rows included."""
    db.session.commit()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public")
        connection.commit()
        pages = {}
        for table in TABLES:
            relations = [table] + [row[0] for row in connection.execute(text(
                "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = CAST(:t AS regclass) AND reltoastrelid <> 0"),
                {"t": table})]
            raw = b""
            for relation in relations:
                blocks = connection.scalar(text("SELECT pg_relation_size(CAST(:r AS regclass)) / 8192"), {"r": relation})
                for block in range(blocks):
                    raw += connection.scalar(text("SELECT public.get_raw_page(:r, :b)"), {"r": relation, "b": block})
            pages[table] = raw
        return pages


def stored() -> dict[str, bytes]:
    return postgresql_pages() if db.engine.dialect.name == "postgresql" else sqlite_files()


def copies(storage: dict[str, bytes], n: int) -> dict[str, int]:
    needle = marker(n).encode()
    return {name: raw.count(needle) for name, raw in storage.items() if needle in raw}


@pytest.fixture
def answering_people(app, make_campaign, make_person, make_unit):
    """Fifteen people who may answer, and a function that has the first n of them answer."""
    people = make_people(make_person, make_unit("STORE"), 15)
    campaign = make_campaign()

    def answer(first: int, last: int):
        for n in range(first, last):
            answering.submit(campaign.id, people[n].id, all_fives(campaign, 1 + n % 5), marker(n))
        return campaign

    return answer


def live_place() -> str:
    return "survey_response" if db.engine.dialect.name == "postgresql" else "database"


def test_a_moved_batch_leaves_one_copy_of_each_sheet_and_nothing_beside_who_answered(answering_people):
    answering_people(0, 10)  # the tenth sheet moves the batch
    storage = stored()
    for n in range(10):
        assert copies(storage, n) == {live_place(): 1}, n
    if db.engine.dialect.name == "sqlite":
        assert storage["log"] == b""  # it held the participation and answer writes in turn


def test_after_closing_each_sheet_is_stored_once_and_no_batch_can_be_told_apart(answering_people):
    campaign = answering_people(0, 15)  # one batch moved, five sheets waiting
    assert all(copies(stored(), n) for n in range(10, 15))
    answering.close_campaign(campaign)
    db.session.commit()
    storage = stored()
    for n in range(15):
        assert copies(storage, n) == {live_place(): 1}, n
    if db.engine.dialect.name == "sqlite":
        assert storage["log"] == b""
    else:
        writers = db.session.scalars(text("SELECT DISTINCT xmin::text FROM survey_response")).all()
        assert len(writers) == 1  # the first batch's transaction id is gone with its rows


@pytest.mark.skipif(os.environ.get("ETHICS_TEST_BACKEND") == "postgresql", reason="SQLite's write-ahead log only")
def test_a_reader_holding_the_log_delays_its_emptying_not_the_answer(answering_people):
    import sqlite3
    import time

    from ethics.core import forgetting

    reader = sqlite3.connect(db.engine.url.database)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM survey_participation").fetchone()  # holds a snapshot, as a long report would
    started = time.monotonic()
    answering_people(0, 10)  # the tenth sheet moves the batch
    assert time.monotonic() - started < 10  # the answers did not wait for the reader (a busy wait would be 30 s)
    assert stored()["log"] != b""
    reader.rollback()
    reader.close()
    forgetting.empty_log_later.call_local()  # the worker's next try
    assert stored()["log"] == b""


@pytest.mark.skipif(os.environ.get("ETHICS_TEST_BACKEND") != "postgresql", reason="PostgreSQL's table locks only")
def test_a_long_reader_of_the_pending_table_delays_the_move_not_the_answer(answering_people):
    import time

    from ethics.survey.models import SurveyPending

    with db.engine.connect() as reader:  # a report that read the table and keeps its transaction open
        reader.execute(text("SELECT count(*) FROM survey_pending"))
        started = time.monotonic()
        answering_people(0, 10)
        assert time.monotonic() - started < 10  # waited about two seconds, then left the move to the next answer
        assert db.session.scalar(select(func.count()).select_from(SurveyPending)) == 10
        reader.rollback()
    answering_people(10, 11)
    assert db.session.scalar(select(func.count()).select_from(SurveyPending)) == 0


def statements_sent() -> list[str]:
    """Every statement the app's connections send from now on, as SQLite itself traces them."""
    sent: list[str] = []
    db.engine.dispose()
    event.listen(db.engine, "connect", lambda dbapi_connection, _record: dbapi_connection.set_trace_callback(sent.append))
    return sent


@pytest.mark.skipif(POSTGRES, reason="SQLite's write lock")
def test_counting_the_waiting_survey_sheets_takes_no_write_lock(answering_people):
    """Each answer's count opens a deferred transaction; the batch move after the tenth still
    takes the write lock before it writes."""
    sent = statements_sent()
    answering_people(0, answering.BATCH)
    counts = [n for n, statement in enumerate(sent) if statement.startswith("SELECT count(*)")]
    assert len(counts) == answering.BATCH and all(sent[n - 1] == "BEGIN" for n in counts)
    moved = sent[counts[-1]:]
    first_write = next(n for n, statement in enumerate(moved) if statement.startswith("INSERT INTO survey_response"))
    assert "BEGIN IMMEDIATE" in moved[:first_write]

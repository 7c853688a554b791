"""SQLite writers queue: one waits for another's write lock, in small steps, then goes on; past
the busy timeout it gives up with the database's own error."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import text

from ethics.core.database import BUSY_POLL_S
from ethics.core.extensions import db
from tests.conftest import POSTGRES

nap = time.sleep  # the holder's own, untouched when a test watches the app's naps
pytestmark = pytest.mark.skipif(POSTGRES, reason="SQLite's write lock; PostgreSQL locks rows")


def hold_write_lock(path: str, seconds: float, held: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    held.set()
    nap(seconds)
    other.execute("COMMIT")
    other.close()


def test_a_writer_waits_for_the_lock_in_small_steps_then_writes(app, make_unit, monkeypatch):
    make_unit()  # the file exists with its tables
    naps = []
    monkeypatch.setattr("ethics.core.database.time.sleep", lambda seconds: (naps.append(seconds), nap(seconds)))
    held = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db.engine.url.database, 0.05, held))
    holder.start()
    held.wait()
    db.session.execute(text("UPDATE unit SET name_en = 'x'"))
    db.session.commit()
    holder.join()
    assert len(naps) > 10 and set(naps) == {BUSY_POLL_S}  # SQLite's own handler naps 1, 2, 5, 10 ... ms
    assert db.session.scalar(text("SELECT name_en FROM unit")) == "x"


def test_a_writer_gives_up_after_the_busy_timeout(app, make_unit, monkeypatch):
    make_unit()
    monkeypatch.setattr("ethics.core.database.BUSY_TIMEOUT_S", 0.02)
    held = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db.engine.url.database, 0.2, held))
    holder.start()
    held.wait()
    with pytest.raises(Exception, match="locked"):
        db.session.execute(text("UPDATE unit SET name_en = 'x'"))
    db.session.rollback()
    holder.join()

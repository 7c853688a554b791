"""One engine per database URL for the baselines, with the app's SQLite pragmas, so a baseline's
commit costs what the app's does."""
from __future__ import annotations

from functools import cache

from sqlalchemy import Engine, create_engine, event

from ethics.core.config import sqlalchemy_url
from ethics.core.database import SQLITE_PRAGMAS


@cache
def engine(url: str) -> Engine:
    made = create_engine(sqlalchemy_url(url))
    if made.dialect.name == "sqlite":
        @event.listens_for(made, "connect")
        def pragmas(connection, _record):
            cursor = connection.cursor()
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()
    return made

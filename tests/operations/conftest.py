"""Operations tests run on whole databases of their own (a file, or a PostgreSQL database made and
dropped here), since pg_dump and pg_restore work on a database, not on one test's schema."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

from ethics import create_app
from ethics.core.config import sqlalchemy_url
from ethics.core.extensions import db
from tests.conftest import POSTGRES


@contextmanager
def scratch_database(tmp_path, name: str):
    """The URL of a new, empty database, removed afterwards."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / name}.db"
        return
    import psycopg

    server = os.environ["ETHICS_TEST_DATABASE_URL"]
    database = f"ops_{name}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    try:
        yield sqlalchemy_url(make_url(server).set(database=database).render_as_string(hide_password=False))
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{database}" WITH (FORCE)')


@pytest.fixture
def fresh_app(app_config, tmp_path):
    """A second application on a new, empty database: where backups are restored."""
    with scratch_database(tmp_path, "target") as url:
        other = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url})
        yield other
        with other.app_context():
            db.engine.dispose()

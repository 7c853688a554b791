"""Per-test database (an SQLite file, or a PostgreSQL schema when ETHICS_TEST_BACKEND=postgresql),
factories for units, people and accounts, and clients that sign in."""
from __future__ import annotations

import contextvars
import itertools
import os
import shutil
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import pytest
from argon2 import PasswordHasher
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.pool import NullPool

from ethics import create_app
from ethics.auth.models import Account, AccountRole, SupervisedUnit
from ethics.core.extensions import db
from ethics.people.citizen_id import check_digit
from ethics.people.models import Person, Unit

PASSWORD = "correct-horse-battery"
POSTGRES = os.environ.get("ETHICS_TEST_BACKEND") == "postgresql"
# Apps built from the environment in a test (not from the suite's config mapping) must not tune the
# collector of the whole test run: tests/operations/test_collector.py turns it on where it checks it.
os.environ["ETHICS_TUNE_COLLECTOR"] = "0"
# argon2 at its cheapest: a sign-in checks the password in microseconds instead of 0.1 s of both
# cores (tests/auth/test_passwords.py checks the real parameters).
CHEAP_HASHING = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def pytest_report_header(config):
    return f"ethics database backend: {'postgresql' if POSTGRES else 'sqlite'}"


@cache
def password_hash() -> str:
    """Hash once per run, as the test apps hash (CHEAP_HASHING)."""
    return PasswordHasher(**CHEAP_HASHING).hash(PASSWORD)


@contextmanager
def postgres_schema():
    import psycopg

    url = os.environ["ETHICS_TEST_DATABASE_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield url.replace("postgresql://", "postgresql+psycopg://", 1), schema
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def schema_config(url: str, schema: str) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}}}


BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    "ETHICS_AUDIT_KEY": "test-audit-key-that-is-long-enough-0123456789",
    "WTF_CSRF_ENABLED": False,
    "ETHICS_TASKS_IMMEDIATE": True,
    "ETHICS_PASSWORD_HASHER": CHEAP_HASHING,
}


def make_tables(database_config: dict) -> None:
    """Every table, as `db upgrade` leaves them (test_cli.py proves create_all and the migrations match)."""
    app = create_app({**BASE_CONFIG, **database_config})
    with app.app_context():
        db.create_all()
        mark_at_migrations_head()
        db.engine.dispose()


@pytest.fixture(scope="session")
def tables_template(tmp_path_factory):
    """The tables, made once per run rather than once per test (making them was most of a test's
    setup, above all on PostgreSQL): on SQLite a file each test's database starts as a copy of, on
    PostgreSQL a schema every test uses in turn, emptied after each."""
    if POSTGRES:
        with postgres_schema() as (url, schema):
            make_tables(schema_config(url, schema))
            yield url, schema
    else:
        path = tmp_path_factory.mktemp("tables") / "tables.db"
        make_tables({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
        yield path


def empty_tables(url: str, schema: str) -> None:
    """Leave the schema as make_tables did: no rows, identities from 1, every data version 0, the
    migrations at head. DELETE, children first, rather than TRUNCATE, which makes new files for
    every table and index and costs as much as making the tables. A test that left rows locked
    shows here, as a lock timeout."""
    from ethics.operations.schema import head

    deletes = "; ".join(f'DELETE FROM "{schema}"."{table.name}"'
                        for table in reversed(db.metadata.sorted_tables) if table.name != "data_version")
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '10s'; {deletes}")
            connection.execute(text("SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false) "
                                    "FROM pg_sequences WHERE schemaname = :schema"), {"schema": schema})
            connection.execute(text(f'UPDATE "{schema}".data_version SET version = 0'))
            connection.execute(text(f'UPDATE "{schema}".alembic_version SET version_num = :head'), {"head": head()})
    finally:
        engine.dispose()


@dataclass
class DemoRows:
    """Every table's rows (and, on PostgreSQL, every sequence's place) after the demo was seeded once."""

    tables: dict[str, list[dict]]
    sequences: list[tuple[str, int]]  # name and last value of each sequence used


@pytest.fixture(scope="session")
def demo_snapshots(tmp_path_factory, tables_template):
    """The demo province seeded once per run and size, then copied into each test's database:
    seeding it (argon2 hashes, thousands of rows through the services) took 10-30 s per test."""
    made: dict[int, DemoRows] = {}
    with ExitStack() as stack:
        def snapshot(people_count: int) -> DemoRows:
            if people_count not in made:
                if POSTGRES:
                    url, schema = stack.enter_context(postgres_schema())
                    config = schema_config(url, schema)
                    make_tables(config)
                else:
                    path = tmp_path_factory.mktemp("demo") / "demo.db"
                    shutil.copyfile(tables_template, path)
                    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
                made[people_count] = seeded_rows({**BASE_CONFIG, **config}, people_count)
            return made[people_count]

        yield snapshot


def seeded_rows(config: dict, people_count: int) -> DemoRows:
    from ethics.demo import seed

    app = create_app(config)
    with app.app_context():
        seed(people_count=people_count)
        db.session.commit()
        with db.engine.connect() as connection:
            tables = {table.name: [dict(row) for row in connection.execute(select(table)).mappings()]
                      for table in db.metadata.sorted_tables}
            sequences = [] if not POSTGRES else [tuple(row) for row in connection.execute(text(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() AND last_value IS NOT NULL"))]
        db.session.remove()
        db.engine.dispose()
    return DemoRows(tables, sequences)


@pytest.fixture
def load_demo(app, demo_snapshots):
    """load_demo(people_count=200): the test's database holds what `seed-demo` (with that many
    people) writes, committed, as if it had just been seeded."""

    def load(people_count: int = 200) -> None:
        rows = demo_snapshots(people_count)
        db.session.commit()
        with db.engine.begin() as connection:
            # the rows are consistent as a whole, not table by table (a unit names its signatory)
            connection.execute(text("SET LOCAL session_replication_role = replica" if POSTGRES
                                    else "PRAGMA defer_foreign_keys = ON"))
            for table in db.metadata.sorted_tables:  # the versions stay the test's own, raised by this commit
                if rows.tables[table.name] and table.name != "data_version":
                    connection.execute(table.insert(), rows.tables[table.name])
            for name, value in rows.sequences:
                connection.execute(text("SELECT setval(:name, :value)"), {"name": name, "value": value})

    return load


@pytest.fixture
def database_config(tmp_path, tables_template):
    """A database with every table and no rows, for this test alone."""
    if POSTGRES:
        url, schema = tables_template
        try:
            yield schema_config(url, schema)
        finally:
            empty_tables(url, schema)
    else:
        path = tmp_path / "test.db"
        shutil.copyfile(tables_template, path)
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}


@pytest.fixture
def empty_database_config(tmp_path):
    """A database without tables, for the migrations to build."""
    if POSTGRES:
        with postgres_schema() as (url, schema):
            yield schema_config(url, schema)
    else:
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}"}


@pytest.fixture
def app_config(database_config):
    return {**BASE_CONFIG, **database_config}


class IsolatedClient(FlaskClient):
    """Each request gets its own app context and session, as in production.

    Without this, requests reuse the test's app context: `g` (Flask-Login's cached user) and
    the identity map leak from one request to the next and hide real bugs.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()  # end the test's own transaction so it holds no lock
        kwargs.setdefault("buffered", True)  # streamed bodies are read inside the request's context
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture
def empty_app(app_config, empty_database_config):
    """An app whose database has no tables: the migrations must build it."""
    app = create_app({**app_config, **empty_database_config})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def mark_at_migrations_head() -> None:
    """Say what `db upgrade` would: the schema create_all made is the migrations' head (test_cli.py
    proves they match), so /healthz finds it current."""
    from sqlalchemy import Column, MetaData, String, Table

    from ethics.operations.schema import head

    version = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))
    with db.engine.begin() as connection:
        version.create(connection)
        connection.execute(version.insert().values(version_num=head()))


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- factories ------------------------------------------------------------------------

_serial = itertools.count(1)


def citizen_id(n: int | None = None) -> str:
    first = f"1{(n if n is not None else next(_serial)):011d}"
    return first + str(check_digit(first))


@pytest.fixture
def make_unit(app):
    def make(code=None, name_th=None, parent=None, name_en=""):
        code = code or f"U{next(_serial)}"
        unit = Unit(code=code, name_th=name_th or f"หน่วย {code}", name_en=name_en, parent=parent)
        db.session.add(unit)
        db.session.commit()
        return unit

    return make


@pytest.fixture
def make_person(app, make_unit):
    def make(unit=None, **values):
        person = Person(
            citizen_id=values.pop("citizen_id", None) or citizen_id(),
            title=values.pop("title", "นาย"),
            first_name=values.pop("first_name", "สมชาย"),
            last_name=values.pop("last_name", f"ทดสอบ{next(_serial)}"),
            personnel_type=values.pop("personnel_type", "civil_servant"),
            unit=unit or make_unit(),
            active=values.pop("active", True),
            **values,
        )
        db.session.add(person)
        db.session.commit()
        return person

    return make


@pytest.fixture
def make_account(app):
    def make(username, roles=("employee",), person=None, supervised=()):
        account = Account(username=username, password_hash=password_hash(), person=person, active=True,
                          session_version=1, created_at=datetime(2026, 11, 1),
                          role_rows=[AccountRole(role=role) for role in roles],
                          supervised=[SupervisedUnit(unit_id=unit.id) for unit in supervised])
        db.session.add(account)
        db.session.commit()
        return account

    return make


@pytest.fixture
def make_course(app):
    from ethics.training.catalogue import CourseData, save_course

    def make(code=None, category="ethics", min_attendance=1.0, pass_score=None, **values):
        code = code or f"C{next(_serial)}"
        course = save_course(None, CourseData(code=code, title_th=values.get("title_th", f"หลักสูตร {code}"),
                                              title_en=values.get("title_en", ""), category=category,
                                              default_hours=6, min_attendance=min_attendance, pass_score=pass_score))
        db.session.commit()
        return course

    return make


@pytest.fixture
def make_plan_activity(app):
    """An activity `code` in the plan of `fiscal_year` (the plan made if missing), so a session can
    link to it; its source counts participants."""
    from ethics.plan.models import Activity, Measure, Plan, Strategy
    from ethics.plan.services import plan_for

    def make(fiscal_year: int, code: str):
        s, m, a = (int(part) for part in code.split("."))
        plan = plan_for(fiscal_year) or Plan(fiscal_year=fiscal_year)
        db.session.add(plan)
        strategy = next((x for x in plan.strategies if x.number == s), None) or Strategy(number=s, name=f"กลยุทธ์ {s}")
        if strategy not in plan.strategies:
            plan.strategies.append(strategy)
        measure = next((x for x in strategy.measures if x.number == m), None) or Measure(number=m, name=f"มาตรการ {m}")
        if measure not in strategy.measures:
            strategy.measures.append(measure)
        measure.activities.append(Activity(number=a, code=code, name=f"กิจกรรม {code}", source="training_participants"))
        db.session.commit()

    return make


@pytest.fixture
def make_session(app, make_course):
    from datetime import date, time, timedelta

    from ethics.training.catalogue import SessionData, save_session

    def make(course=None, first_day=date(2026, 12, 1), days=1, capacity=None, status="open", open_to_all=True,
             plan_activity_code="", code="", deadline=None):
        course = course or make_course()
        session = save_session(None, SessionData(
            code=code, course_id=course.id, first_day=first_day, last_day=first_day + timedelta(days=days - 1),
            starts=time(9, 0), ends=time(16, 0), venue="ห้องประชุม", capacity=capacity, trainer="วิทยากร",
            unit_id=None, plan_activity_code=plan_activity_code, registration_deadline=deadline,
            open_to_all=open_to_all, status=status))
        db.session.commit()
        return session

    return make


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username, password=PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def htmx_client(app):
    client = app.test_client()
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    return client


@pytest.fixture
def org(make_unit, make_person, make_account):
    """A small province: two branches, one supervisor over one of them, and every role."""
    province = make_unit("PROV", "สำนักงานจังหวัด")
    dev = make_unit("DEV", "ศูนย์พัฒนา", parent=province)
    dev_team = make_unit("DEV-1", "งานฝึกอบรม", parent=dev)
    audit = make_unit("AUD", "ตรวจสอบภายใน", parent=province)
    boss = make_person(dev, first_name="หัวหน้า")
    inside = make_person(dev_team, first_name="ในสังกัด", supervisor=boss)
    outside = make_person(audit, first_name="นอกสังกัด")
    me = make_person(dev_team, first_name="พนักงาน")
    accounts = {
        "admin": make_account("admin", ("admin",)),
        "hr": make_account("hr", ("hr", "employee")),
        "supervisor": make_account("supervisor", ("supervisor", "employee"), person=boss, supervised=[dev]),
        "committee": make_account("committee", ("committee", "employee")),
        "employee": make_account("employee", ("employee",), person=me),
    }
    return {"units": {"province": province, "dev": dev, "dev_team": dev_team, "audit": audit},
            "people": {"boss": boss, "inside": inside, "outside": outside, "me": me}, "accounts": accounts}


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block."""
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)

"""Data versions and the caches that rely on them: a write, however it reaches the database and
from whichever process, makes every value computed from the old data unusable."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import OperationalError

from ethics import create_app
from ethics.core.data_versions import DataVersion, Domain, cached, domain_of_tables
from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.people.models import Unit
from ethics.training.registrations import register
from tests.conftest import POSTGRES


def versions() -> dict[str, int]:
    db.session.commit()
    return dict(db.session.execute(select(DataVersion.domain, DataVersion.version)).all())


def test_a_commit_raises_the_version_of_each_domain_it_wrote_and_no_other(app, make_unit):
    before = versions()
    make_unit()
    after = versions()
    assert after["people"] == before["people"] + 1
    assert {name: v for name, v in after.items() if name != "people"} == \
        {name: v for name, v in before.items() if name != "people"}


def test_a_core_statement_counts_for_its_table_and_textual_sql_for_every_domain(app, make_unit):
    unit = make_unit()
    before = versions()
    db.session.execute(update(Unit).where(Unit.id == unit.id).values(name_en="core"))
    db.session.commit()
    after_core = versions()
    assert after_core == before | {"people": before["people"] + 1}
    db.session.execute(text("SELECT name_en FROM unit WHERE id = :id"), {"id": unit.id})
    db.session.commit()
    assert versions() == after_core  # a read raises nothing
    db.session.execute(text("UPDATE unit SET name_en = 'x' WHERE id = :id"), {"id": unit.id})
    db.session.commit()
    assert versions() == {name: version + 1 for name, version in after_core.items()}  # cannot know which: all


def test_a_write_and_its_version_reach_another_connection_together_and_the_session_goes_on(app, make_unit):
    """On PostgreSQL the raise and the COMMIT travel as one query: the writes must still be
    committed, seen from elsewhere, and the session's next transaction must work as usual."""
    before = versions()
    unit_id = make_unit().id
    db.session.commit()  # on SQLite the session's transaction would hold the write lock
    with db.engine.connect() as elsewhere:
        seen = elsewhere.execute(select(Unit.id).where(Unit.id == unit_id)).scalar()
        version = elsewhere.execute(select(DataVersion.version).where(DataVersion.domain == "people")).scalar()
    assert (seen, version) == (unit_id, before["people"] + 1)
    db.session.execute(update(Unit).where(Unit.id == unit_id).values(name_en="again"))
    db.session.commit()
    assert versions()["people"] == before["people"] + 2
    assert db.session.scalar(select(Unit.name_en).where(Unit.id == unit_id)) == "again"


@pytest.mark.skipif(not POSTGRES, reason="the one-query commit is psycopg's; this runs in the PostgreSQL pass")
def test_on_postgresql_the_raises_and_the_commit_are_one_query(app, make_unit, tmp_path):
    """What the commit sends, read off libpq's own trace of the messages to the server."""
    unit = make_unit()
    db.session.execute(update(Unit).where(Unit.id == unit.id).values(name_en="traced"))
    pgconn = db.session.connection().connection.dbapi_connection.pgconn
    trace = tmp_path / "trace"
    with trace.open("w") as sink:
        pgconn.trace(sink.fileno())
        try:
            db.session.commit()
        finally:
            pgconn.untrace()
    sent = re.findall(r"\tF\t\d+\t(\w+)\t ?(.*)", trace.read_text())  # what the client sent
    assert sent == [("Query", '"UPDATE data_version SET version = version + 1 WHERE domain = \'people\'; COMMIT"')]
    assert db.session.connection().connection.dbapi_connection.info.transaction_status.name == "IDLE"


@pytest.mark.skipif(not POSTGRES, reason="a row lock with a timeout is PostgreSQL's; this runs in the PostgreSQL pass")
def test_a_raise_that_fails_fails_the_commit_as_sqlalchemy_reports_it(app, make_unit):
    """A version row held by another writer beyond the lock timeout: the commit raises
    SQLAlchemy's error, nothing of the transaction stays, and the session goes on."""
    unit_id = make_unit(name_en="before").id
    before = versions()
    with db.engine.connect() as other:
        other.execute(text("SELECT version FROM data_version WHERE domain = 'people' FOR UPDATE"))
        db.session.execute(text("SET LOCAL lock_timeout = '50ms'"))
        db.session.execute(update(Unit).where(Unit.id == unit_id).values(name_en="lost"))
        with pytest.raises(OperationalError, match="lock timeout"):
            db.session.commit()
        db.session.rollback()
        other.rollback()
    assert db.session.scalar(select(Unit.name_en).where(Unit.id == unit_id)) == "before"
    assert versions() == before
    db.session.execute(update(Unit).where(Unit.id == unit_id).values(name_en="after"))
    db.session.commit()
    assert versions()["people"] == before["people"] + 1


def test_a_rolled_back_write_raises_no_version(app, make_unit):
    unit = make_unit()
    before = versions()
    db.session.execute(text("UPDATE unit SET name_en = 'y' WHERE id = :id"), {"id": unit.id})
    db.session.rollback()
    assert versions() == before


def test_every_package_with_models_is_a_named_domain(app):
    assert set(domain_of_tables().values()) == set(Domain)


def test_a_value_is_reused_until_a_domain_it_depends_on_changes(app, make_unit, make_course):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with app.test_request_context():
        assert cached(("k",), (Domain.PEOPLE,), compute) == 1
    with app.test_request_context():
        assert cached(("k",), (Domain.PEOPLE,), compute) == 1
    make_course()  # training: not a dependency
    with app.test_request_context():
        assert cached(("k",), (Domain.PEOPLE,), compute) == 1
    make_unit()
    with app.test_request_context():
        assert cached(("k",), (Domain.PEOPLE,), compute) == 2


def test_nothing_is_kept_for_a_value_of_none(app):
    """None could not be told from a miss, and keeping it for every unknown key (a guessed API
    token) would push the kept pages out."""
    calls = []
    with app.test_request_context():
        for _ in range(2):
            assert cached(("none",), (Domain.PEOPLE,), lambda: calls.append(1)) is None
    assert len(calls) == 2
    assert not [key for key in app.extensions["ethics_cache"].values if key[0] == ("none",)]


def test_an_audit_entry_raises_no_version(app):
    """Nothing is computed from the audit log, so its writes (one per use of the API) raise none."""
    from ethics.audit.services import record

    versions = select(DataVersion.domain, DataVersion.version)
    before = dict(db.session.execute(versions).all())
    record("test.event")
    db.session.commit()
    assert dict(db.session.execute(versions).all()) == before and "audit" not in before


def test_a_value_seen_through_the_transactions_own_changes_is_not_kept(app, make_unit):
    calls = []
    unit = make_unit()
    with app.test_request_context():
        unit.name_en = "pending"
        db.session.flush()
        cached(("k",), (Domain.PEOPLE,), lambda: calls.append(unit.name_en) or unit.name_en)
        db.session.rollback()
    with app.test_request_context():
        assert cached(("k",), (Domain.PEOPLE,), lambda: calls.append(unit.name_en) or unit.name_en) == ""
    assert calls == ["pending", ""]


def test_a_write_from_another_process_makes_the_kept_value_stale(app, app_config, make_unit):
    unit = make_unit(name_th="เดิม")
    unit_id, model = unit.id, type(unit)

    def name():
        return db.session.get(model, unit_id).name_th

    with app.test_request_context():
        assert cached(("name",), (Domain.PEOPLE,), name) == "เดิม"
    db.session.commit()  # as a request would end: no lock held while the other server writes
    other = create_app(app_config)  # its own engine and connections, like a second server
    with other.app_context():
        db.session.execute(text("UPDATE unit SET name_th = 'ใหม่' WHERE id = :id"), {"id": unit_id})
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    db.session.expire_all()
    with app.test_request_context():
        assert cached(("name",), (Domain.PEOPLE,), name) == "ใหม่"


# --- kept pages ------------------------------------------------------------------------

@pytest.fixture
def roster(org, make_session):
    session = make_session(first_day=local_now().date() + timedelta(days=5))
    register(session.id, org["people"]["me"], local_now().date())
    db.session.commit()
    return session


def test_a_kept_page_shows_a_change_made_after_it_was_kept(client, auth, org, roster):
    auth.login("hr")
    me = org["people"]["me"]
    old_name = me.full_name
    assert old_name in client.get(f"/training/sessions/{roster.id}").text
    me.first_name = "เปลี่ยนชื่อ"
    db.session.commit()
    page = client.get(f"/training/sessions/{roster.id}").text
    assert me.full_name in page and old_name not in page
    day = roster.days[0]
    client.post(f"/training/sessions/{roster.id}/attendance/{me.id}/{day.id}", data={"present": "1"})
    assert 'aria-pressed="true"' in client.get(f"/training/sessions/{roster.id}").text


def test_a_kept_page_carries_each_readers_own_csrf_token(app, org, roster, make_account):
    """Two browsers of one account, and a second account: each page holds its reader's token."""
    app.config["WTF_CSRF_ENABLED"] = True
    make_account("hr2", ("hr",))
    browsers = {name: app.test_client() for name in ("hr", "hr again", "hr2")}
    for name, browser in browsers.items():  # everyone signs in first: a sign-in changes the accounts
        login = browser.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
        assert browser.post("/login", data={"username": name.split()[0], "password": "correct-horse-battery",
                                            "csrf_token": token}).status_code == 302
    me, day = org["people"]["me"], roster.days[0]
    pages, tokens = {}, {}
    for name, browser in browsers.items():
        pages[name] = browser.get(f"/training/sessions/{roster.id}").text  # "hr again" reads what "hr" kept
        tokens[name] = re.search(r'"X-CSRFToken": "([^"]+)"', pages[name]).group(1)
    for name, browser in browsers.items():
        marked = browser.post(f"/training/sessions/{roster.id}/attendance/{me.id}/{day.id}", data={"present": "1"},
                              headers={"X-CSRFToken": tokens[name], "HX-Request": "true"})
        assert marked.status_code == 200, name  # the token in the page is this reader's and valid
    assert len(set(tokens.values())) == 3
    assert ">hr2<" in pages["hr2"] and ">hr2<" not in pages["hr"]  # each account's own menu


def test_a_message_to_show_once_is_shown_on_a_kept_page_and_then_gone(client, auth, org, roster):
    auth.login("hr")
    client.get(f"/training/sessions/{roster.id}")
    client.post(f"/training/sessions/{roster.id}/scores", data={})
    shown = client.get(f"/training/sessions/{roster.id}").text
    assert 'class="flash success"' in shown
    assert 'class="flash success"' not in client.get(f"/training/sessions/{roster.id}").text


def test_the_signed_in_account_is_read_again_after_any_change_to_accounts(client, auth, org):
    """The account and its roles are kept per process (ethics/auth/services.py): a role taken
    away by any path, here raw SQL, is seen on the very next request."""
    auth.login("hr")
    assert client.get("/people").status_code == 200
    assert client.get("/people").status_code == 200  # now from what was kept
    db.session.execute(text("DELETE FROM account_role WHERE account_id = :id AND role = 'hr'"),
                       {"id": org["accounts"]["hr"].id})
    db.session.commit()
    assert client.get("/people").status_code == 403

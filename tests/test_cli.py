from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import check, upgrade
from sqlalchemy import func, inspect, select

from ethics.auth.models import Account
from ethics.auth.services import authenticate
from ethics.core.extensions import db
from ethics.people.models import Person, Unit
from tests.conftest import citizen_id


def test_create_user_reads_the_password_from_stdin(runner, make_person):
    person = make_person()
    result = runner.invoke(args=["create-user", "somsak", "--role", "hr", "--role", "employee",
                                 "--citizen-id", person.citizen_id], input="a long new password\n")
    assert result.exit_code == 0, result.output
    account = db.session.scalar(select(Account).where(Account.username == "somsak"))
    assert account.roles == {"hr", "employee"} and account.person_id == person.id
    assert authenticate("somsak", "a long new password") is not None


@pytest.mark.parametrize("args, stdin, message", [
    (["create-user", "x1", "--role", "hr"], "short\n", "at least 8"),
    (["create-user", "x2", "--role", "hr", "--citizen-id", citizen_id(123)], "a long new password\n", "no person"),
])
def test_create_user_refusals(runner, args, stdin, message):
    result = runner.invoke(args=args, input=stdin)
    assert result.exit_code == 1 and message in result.output
    assert db.session.scalar(select(func.count()).select_from(Account)) == 0


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["create-user", "x3", "--role", "king"], input="a long new password\n")
    assert result.exit_code == 2


def test_seed_demo_fills_once(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    units = {unit.code: unit for unit in db.session.scalars(select(Unit))}
    names = {unit.name_th for unit in units.values()}
    for name in ("สำนักงานจังหวัดระยอง (สนจ.ระยอง)", "ศูนย์พัฒนาข้าราชการจังหวัดระยอง", "ตรวจสอบภายในจังหวัดระยอง",
                 "กลุ่มบริหารทรัพยากรบุคคล", "ศูนย์ดำรงธรรมจังหวัดระยอง"):
        assert name in names
    assert sum(code.startswith("DIST-") for code in units) >= 8
    assert db.session.scalar(select(func.count()).select_from(Person)) == 200
    types = set(db.session.scalars(select(Person.personnel_type).distinct()))
    assert types == {"civil_servant", "permanent_employee", "temporary_employee", "government_employee"}
    for username in ("admin", "hr", "supervisor", "committee", "employee"):
        assert authenticate(username, "ethics-demo") is not None, username
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "did nothing" in again.output
    assert db.session.scalar(select(func.count()).select_from(Person)) == 200


@pytest.mark.parametrize("moment", [datetime(2027, 9, 25, 10), datetime(2027, 10, 3, 10)])
def test_seed_demo_works_at_the_turn_of_the_fiscal_year(runner, monkeypatch, moment):
    """The demo's round takes nominations around today, inside the round's fiscal year, so the
    demo loads in late September and early October too."""
    monkeypatch.setattr("ethics.demo.local_now", lambda: moment)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def test_seed_demo_refuses_production(app, runner):
    app.config["ETHICS_ENV"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_audit_verify_after_demo_and_import(runner):
    runner.invoke(args=["seed-demo"])
    assert runner.invoke(args=["audit-verify"]).exit_code == 0


def test_migrations_build_the_schema_and_match_the_models(empty_app):
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert {"unit", "person", "account", "account_role", "audit_entry", "import_job"} <= tables
    check()  # raises when the models and the migrations differ
    from ethics.core.data_versions import DataVersion, domains

    assert set(db.session.scalars(select(DataVersion.domain))) == set(domains())  # a new domain needs its row
    from ethics.audit.models import CHAIN_TAIL_FUNCTION
    from ethics.audit.services import record, verify_chain
    from migrations.versions.f22a0b0c0009_audit_chain_tail import CHAIN_TAIL_FUNCTION as MIGRATED

    assert MIGRATED == CHAIN_TAIL_FUNCTION  # until a later migration replaces it, as create_all makes it
    for n in range(3):  # on PostgreSQL through the function the migrations made (audit_chain_tail)
        record("test.after_upgrade", n=n)
    db.session.commit()
    assert verify_chain() is None


def test_moving_the_sign_in_times_keeps_every_account_and_role(empty_app):
    """The first migration that rebuilds a table holding linked rows (account: its roles point
    at it), so SQLite's foreign keys must not refuse the rebuild, and no link may break."""
    from sqlalchemy import text

    upgrade(revision="4d47d9af1c86")
    db.session.execute(text("INSERT INTO account (id, username, active, session_version, created_at, version, "
                            "last_login_at) VALUES (7, 'somsri', true, 1, '2026-01-01', 1, '2026-11-20 08:00:00')"))
    db.session.execute(text("INSERT INTO account_role (account_id, role) VALUES (7, 'hr')"))
    db.session.commit()
    upgrade()
    assert db.session.execute(text("SELECT account_id, at FROM account_sign_in")).one()[0] == 7
    assert db.session.execute(text("SELECT role FROM account_role WHERE account_id = 7")).scalar() == "hr"


def test_seed_demo_has_trainings_of_2551_and_of_this_year(load_demo):
    from ethics.core.fiscal import fiscal_year_of, local_now
    from ethics.training import counting
    from ethics.training.models import Certificate, Registration, TrainingSession

    load_demo()  # what seed-demo writes (test_seed_demo_fills_once runs the command)
    seed_year = counting.sessions_of(2551)
    assert counting.participants(seed_year).total > 100
    assert counting.sessions_held(counting.sessions_of(2551, plan_activity="2.1.1")) == 2
    assert counting.passed(counting.sessions_of(2551, plan_activity="1.3.1")).total > 0
    this_year = fiscal_year_of(local_now().date())
    statuses = set(db.session.scalars(select(TrainingSession.status).where(
        TrainingSession.id.in_(counting.sessions_of(this_year)))))
    assert {"held", "open"} <= statuses
    employee = db.session.scalar(select(Account).where(Account.username == "employee"))
    assert db.session.scalar(select(Certificate).join(Registration).where(Registration.person_id == employee.person_id))


def test_seed_demo_has_a_plan_for_this_year_and_links_sessions_only_to_their_years_plan(load_demo):
    from ethics.core.fiscal import fiscal_year_of, local_now
    from ethics.plan.services import activity_exists, plan_for
    from ethics.training.models import TrainingSession

    load_demo()  # what seed-demo writes (test_seed_demo_fills_once runs the command)
    this_year = fiscal_year_of(local_now().date())
    assert [a.code for a in plan_for(this_year).activities] == [a.code for a in plan_for(2552).activities]
    assert next(a for a in plan_for(this_year).activities if a.code == "1.1.2").personnel_types == ["civil_servant"]
    linked = db.session.scalars(select(TrainingSession).where(TrainingSession.plan_activity_code != "")).all()
    assert {fiscal_year_of(s.first_day) for s in linked} == {2551, this_year}
    assert all(activity_exists(fiscal_year_of(s.first_day), s.plan_activity_code) for s in linked)


def test_seed_demo_has_a_closed_2551_campaign_and_an_open_one(load_demo):
    from ethics.core.fiscal import fiscal_year_of, local_now
    from ethics.survey import results
    from ethics.survey.models import MoraleCampaign

    load_demo()  # what seed-demo writes (test_seed_demo_fills_once runs the command)
    index = results.morale_index(2551)
    assert index is not None and 3.0 < index[0] < 4.2
    current = db.session.scalar(select(MoraleCampaign).where(MoraleCampaign.fiscal_year == fiscal_year_of(local_now().date())))
    assert current.status == "open"


@pytest.mark.parametrize("args", [["export-roster"], ["export-attendance", "--fiscal-year", "2570"],
                                  ["export-nominations", "--fiscal-year", "2570"]])
def test_exports_refuse_an_unsupported_file_type(runner, tmp_path, args):
    output = tmp_path / "out.txt"
    result = runner.invoke(args=[*args, "--output", str(output)])
    assert result.exit_code == 1 and "Export to a .csv or .xlsx file." in result.output
    assert not output.exists()

"""The worker's scheduled work: the plan's snapshots at the end of March and September (when HR
switched it on), the audit checkpoint written to a file, and old import jobs removed."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ethics.audit.models import AuditEntry
from ethics.audit.services import latest_checkpoint
from ethics.audit.tasks import write_checkpoint
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.importing.models import ImportJob, JobStatus
from ethics.importing.tasks import remove_expired_jobs
from ethics.plan import services, tasks
from ethics.plan.models import Plan, Snapshot


def plan_2570(auto: bool) -> Plan:
    plan = Plan(fiscal_year=2570, auto_snapshots=auto)
    db.session.add(plan)
    db.session.commit()
    return plan


def test_snapshots_fall_due_at_the_end_of_march_and_september_once_each(app):
    plan = plan_2570(auto=True)
    assert services.scheduled_snapshots(plan, date(2027, 3, 30)) == []
    assert services.scheduled_snapshots(plan, date(2027, 3, 31)) == [services.SIX_MONTH]
    services.lock_snapshot(plan, services.SIX_MONTH, date(2027, 3, 31))
    assert services.scheduled_snapshots(plan, date(2027, 4, 2)) == []  # once
    assert services.scheduled_snapshots(plan, date(2027, 9, 30)) == [services.ANNUAL]
    plan.auto_snapshots = False
    assert services.scheduled_snapshots(plan, date(2027, 9, 30)) == []


def test_the_worker_locks_what_is_due_and_nothing_twice(app, monkeypatch):
    plan_2570(auto=True)
    db.session.add(Plan(fiscal_year=2571))  # not switched on
    db.session.commit()
    monkeypatch.setattr(tasks, "local_now", lambda: datetime(2027, 10, 2, 9, 0))  # a worker that was down on the day
    assert tasks.lock_scheduled_snapshots.call_local() == [f"2570 {services.SIX_MONTH}", f"2570 {services.ANNUAL}"]
    assert tasks.lock_scheduled_snapshots.call_local() == []
    assert db.session.scalar(select(func.count()).select_from(Snapshot)) == 2


def test_hr_switches_the_schedule_on_for_a_plan(client, auth, org):
    plan = plan_2570(auto=False)
    auth.login("hr")
    assert client.post("/plan/2570/auto-snapshots", data={"on": "y"}).status_code == 302
    db.session.refresh(plan)
    assert plan.auto_snapshots
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "plan.auto_snapshots"))
    auth.login("employee")
    assert client.post("/plan/2570/auto-snapshots", data={}).status_code == 403


def test_the_daily_checkpoint_goes_to_the_file_named(app, tmp_path):
    assert write_checkpoint.call_local() is None  # not set: nothing written anywhere
    target = tmp_path / "checkpoints.log"
    app.config["ETHICS_AUDIT_CHECKPOINT_FILE"] = str(target)
    line = write_checkpoint.call_local()
    assert line == str(latest_checkpoint()) and target.read_text() == line + "\n"
    write_checkpoint.call_local()
    assert target.read_text().count("checkpoint ") == 2  # appended, never replaced


def test_import_jobs_and_their_files_go_after_a_week(app, org):
    now = utc_now()
    for name, age in (("old", timedelta(days=8)), ("recent", timedelta(days=1))):
        db.session.add(ImportJob(id=name, kind="roster", filename="r.csv", content=b"x", options={}, locale="th",
                                 account_id=org["accounts"]["hr"].id, status=JobStatus.DONE, created_at=now - age,
                                 status_at=now - age))
    db.session.commit()
    assert remove_expired_jobs.call_local() == 1
    assert list(db.session.scalars(select(ImportJob.id))) == ["recent"]

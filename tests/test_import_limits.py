"""Bounded imports: a row limit checked while reading, a cap on the problems reported and stored,
and at most one running import per account and ETHICS_MAX_IMPORT_JOBS in all (the rest queued)."""
from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.importing import services
from ethics.importing.base import RowError, RowErrors
from ethics.importing.models import ImportJob, JobStatus
from ethics.people.models import Person, Unit
from ethics.plan.models import Plan
from ethics.training.models import TrainingSession
from tests.conftest import citizen_id

ROSTER = "citizen_id,title,first_name,last_name,personnel_type,unit_code"


def roster_rows(count: int, unit: str = "AUD", first: int = 700000) -> list[str]:
    return [f"{citizen_id(first + n)},นาย,ชื่อ{n},สกุล,civil_servant,{unit}" for n in range(count)]


# Each import command with a header and rows that would import cleanly, and what it would create.
COMMANDS = {
    "import-roster": (ROSTER, lambda n: roster_rows(n), Person),
    "import-units": ("code,name_th,name_en,parent_code", lambda n: [f"N{i},หน่วย {i},," for i in range(n)], Unit),
    "import-training-records": (
        "session_code,course_code,course_title,category,session_date,citizen_id,attended",
        lambda n: [f"S{i},C1,หลักสูตร,ethics,2026-01-05,{{cid}},yes" for i in range(n)], TrainingSession),
    "import-plan": ("fiscal_year,code,strategy,measure,activity",
                    lambda n: [f"2570,1.1.{i + 1},กลยุทธ์,มาตรการ,กิจกรรม {i}" for i in range(n)], Plan),
}


def write_file(tmp_path, header: str, lines: list[str], fmt: str) -> str:
    path = tmp_path / f"data.{fmt}"
    if fmt == "csv":
        path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    else:
        workbook = Workbook()
        for line in [header, *lines]:
            workbook.active.append(line.split(","))
        workbook.save(path)
    return str(path)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def checked(monkeypatch):
    """The kinds whose rows were checked (their importer's plan() called)."""
    calls: list[str] = []
    for kind, importer in services.REGISTRY.items():
        original = importer.plan

        def spy(table, options, progress, kind=kind, original=original):
            calls.append(kind)
            return original(table, options, progress)

        monkeypatch.setattr(importer, "plan", spy)
    return calls


# --- the row limit ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_cli_refuses_a_file_over_the_row_limit_before_checking_any_row(app, runner, org, tmp_path, checked,
                                                                        command, fmt):
    app.config["ETHICS_MAX_IMPORT_ROWS"] = 3
    header, rows, model = COMMANDS[command]
    lines = [line.replace("{cid}", org["people"]["me"].citizen_id) for line in rows(4)]
    before = count(model)
    result = runner.invoke(args=[command, write_file(tmp_path, header, lines, fmt)])
    assert result.exit_code == 1
    assert result.output.splitlines() == ["file: more than 3 rows"]
    assert checked == []
    assert count(model) == before


def test_a_file_at_the_row_limit_is_imported_and_blank_rows_do_not_count(app, runner, org, tmp_path):
    app.config["ETHICS_MAX_IMPORT_ROWS"] = 3
    lines = roster_rows(3)
    result = runner.invoke(args=["import-roster", write_file(tmp_path, ROSTER, [lines[0], ",,,,,", *lines[1:], ""],
                                                             "csv")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["new 3, updated 0, unchanged 0"]


def test_upload_over_the_row_limit_is_a_file_problem_and_changes_nothing(app, client, auth, org, checked):
    app.config["ETHICS_MAX_IMPORT_ROWS"] = 3
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    before = count(Person)
    job_url = upload(client, "\n".join([ROSTER, *roster_rows(4)])).headers["Location"]
    page = client.get(job_url)
    assert 'data-status="invalid"' in page.text
    job = db.session.scalar(select(ImportJob))
    assert job.errors == [[0, "file", "more than 3 rows"]]
    assert '<td class="mono">file</td><td>more than 3 rows</td>' in page.text
    assert checked == [] and count(Person) == before


# --- the error cap ----------------------------------------------------------------------

def test_row_errors_keep_the_first_ones_in_row_order_and_count_the_rest():
    errors = RowErrors(keep=3)
    for row, column in [(5, "a"), (2, "b"), (9, "c"), (1, "d"), (2, "e")]:
        errors.append(RowError(row, column, "bad"))
    assert [(error.row, error.column) for error in errors] == [(1, "d"), (2, "b"), (2, "e")]
    assert errors.more == 2 and errors.total == 5 and bool(errors)
    assert errors.lines() == ["row 1: d: bad", "row 2: b: bad", "row 2: e: bad", "and 2 more"]
    assert not RowErrors() and RowErrors().lines() == []


def test_cli_prints_the_first_thousand_problems_then_how_many_more(runner, org, tmp_path):
    result = runner.invoke(args=["import-roster", write_file(tmp_path, ROSTER, roster_rows(1005, unit="NOPE"), "csv")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    problems = [line for line in lines if line.startswith("row ")]
    assert len(problems) == 1000
    assert problems[0] == "row 2: unit_code: unknown unit NOPE" and problems[-1].startswith("row 1001: ")
    assert lines[lines.index(problems[-1]) + 1] == "and 5 more"
    assert count(Person) == 4


def test_a_job_stores_the_first_thousand_problems_and_its_page_says_how_many_more(client, auth, org):
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    job_url = upload(client, "\n".join([ROSTER, *roster_rows(1005, unit="NOPE")])).headers["Location"]
    job = db.session.scalar(select(ImportJob))
    assert len(job.errors) == 1000 and job.counts["more_errors"] == 5
    assert job.errors[-1][0] == 1001
    page = client.get(job_url)
    assert page.status_code == 200 and 'data-status="invalid"' in page.text
    assert "1005 problems found" in page.text
    assert "<td>1001</td>" in page.text and "<td>1002</td>" not in page.text
    assert '<td colspan="3" data-testid="more-errors">and 5 more</td>' in page.text
    assert count(Person) == 4


# --- one copy of the rows ---------------------------------------------------------------

def test_importers_keep_the_tables_rows_not_copies_of_them(app, org):
    from ethics.core.spreadsheets import aliases_for, read_table

    roster = services.REGISTRY["roster"]
    table = read_table("roster.csv", "\n".join([ROSTER, *roster_rows(2)]).encode(), aliases_for(roster.columns))
    plan = roster.plan(table, {}, lambda done, total: None)
    assert plan.ok
    assert [id(record) for record in plan.state.records.values()] == [id(values) for _, values in table.rows]
    units = services.REGISTRY["units"]
    table = read_table("units.csv", b"code,name_th\nA,one\nB,two\n", aliases_for(units.columns))
    assert units.plan(table, {}, lambda done, total: None).state is table.rows


# --- running at most one per account and ETHICS_MAX_IMPORT_JOBS in all ---------------------

def upload(client, text: str, name="roster.csv"):
    return client.post("/imports/roster", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def make_job(account_id: int, status=JobStatus.QUEUED, age=timedelta(0), counts=None, content=b"citizen_id\n") -> str:
    """A job in the given state; like the helpers below, it leaves the test's session without a
    transaction, which on SQLite would hold the write lock the code under test needs."""
    job = services.create_job(services.REGISTRY["roster"], "roster.csv", content, {}, account_id, "en")
    job.status, job.status_at, job.counts = status, utc_now() - age, counts or {}
    job_id = job.id
    db.session.commit()
    return job_id


def statuses() -> dict[str, str]:
    db.session.expire_all()
    found = dict(db.session.execute(select(ImportJob.id, ImportJob.status)).all())
    db.session.commit()
    return found


def set_status(job_id: str, status: JobStatus) -> None:
    db.session.get_one(ImportJob, job_id).status = status
    db.session.commit()


def test_claiming_runs_one_job_per_account_and_the_limit_in_all(app):
    app.config["ETHICS_MAX_IMPORT_JOBS"] = 2
    a1 = make_job(1, age=timedelta(seconds=40))
    a2 = make_job(1, age=timedelta(seconds=30))
    b1 = make_job(2, age=timedelta(seconds=20))
    c1 = make_job(3, age=timedelta(seconds=10))
    assert services.claim_queued() == [(a1, JobStatus.CHECKING), (b1, JobStatus.CHECKING)]
    assert statuses() == {a1: "checking", a2: "queued", b1: "checking", c1: "queued"}
    assert services.claim_queued() == []  # both places taken
    set_status(a1, JobStatus.READY)
    assert services.claim_queued() == [(a2, JobStatus.CHECKING)]  # the oldest waiting, its account now free
    set_status(b1, JobStatus.INVALID)
    assert services.claim_queued() == [(c1, JobStatus.CHECKING)]
    assert services.claim_queued() == []


def test_a_checked_job_queued_to_apply_is_claimed_for_applying(app):
    job_id = make_job(1, counts={"new": 1, "updated": 0, "unchanged": 0})
    assert services.claim_queued() == [(job_id, JobStatus.APPLYING)]


def test_jobs_whose_process_is_gone_hold_no_place_and_are_never_started(app):
    app.config["ETHICS_MAX_IMPORT_JOBS"] = 1
    lost = ImportJob.LOST_AFTER + timedelta(minutes=1)
    make_job(1, status=JobStatus.CHECKING, age=lost)  # its process died while checking
    stale = make_job(2, age=lost)  # queued by a process that died, and never started since
    waiting = make_job(1)
    assert services.claim_queued() == [(waiting, JobStatus.CHECKING)]
    assert statuses()[stale] == "queued"
    assert db.session.get_one(ImportJob, stale).shown_status(utc_now()) == JobStatus.INTERRUPTED
    db.session.commit()


def test_processes_claiming_at_once_never_exceed_the_limit(app):
    app.config["ETHICS_MAX_IMPORT_JOBS"] = 2
    for account in range(8):
        make_job(account)
    start = threading.Barrier(8)
    claimed: list = []
    failures: list = []

    def claim():
        with app.app_context():
            try:
                start.wait()
                claimed.extend(services.claim_queued())
            except Exception as error:  # reported by the assertion below
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(claimed) == 2
    assert sorted(statuses().values()) == ["checking"] * 2 + ["queued"] * 6


def test_an_upload_waits_as_queued_while_its_account_has_a_running_import(client, auth, org):
    auth.login("hr")
    running = make_job(org["accounts"]["hr"].id, status=JobStatus.CHECKING)
    job_url = upload(client, "\n".join([ROSTER, *roster_rows(1)])).headers["Location"]
    page = client.get(job_url)
    assert 'data-status="queued"' in page.text and 'data-testid="import-queued"' in page.text
    assert 'hx-trigger="every 1s"' in page.text  # the page follows it
    set_status(running, JobStatus.INVALID)
    page = client.get(job_url)  # a place is free: the view starts it
    assert 'data-status="ready"' in page.text


def test_a_job_that_ends_starts_the_next_queued_one(app, client, auth, org):
    app.config["ETHICS_MAX_IMPORT_JOBS"] = 1
    other = make_job(org["accounts"]["admin"].id, status=JobStatus.CHECKING,
                     content="\n".join([ROSTER, *roster_rows(1, first=710000)]).encode())
    auth.login("hr")
    job_url = upload(client, "\n".join([ROSTER, *roster_rows(1)])).headers["Location"]
    mine = job_url.rsplit("/", 1)[1]
    assert statuses()[mine] == "queued"  # the one place is taken by the other account's import
    db.session.commit()
    services.run_job.call_local(other, False)  # the other import ends, as the worker runs it
    assert statuses() == {other: "ready", mine: "ready"}


def test_apply_waits_as_queued_then_runs_as_the_person_who_applied(client, auth, org):
    auth.login("hr")
    hr = org["accounts"]["hr"]
    job_url = upload(client, "\n".join([ROSTER, *roster_rows(1)])).headers["Location"]
    running = make_job(hr.id, status=JobStatus.CHECKING)
    assert client.post(job_url + "/apply").status_code == 302
    assert client.post(job_url + "/apply").status_code == 409  # queued once
    assert 'data-status="queued"' in client.get(job_url).text
    assert count(Person) == 4
    set_status(running, JobStatus.INVALID)
    assert 'data-status="done"' in client.get(job_url).text
    assert count(Person) == 5
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import.roster"))
    assert (entry.actor_id, entry.actor_label) == (hr.id, "hr")


def test_a_queued_job_whose_process_is_gone_shows_as_interrupted(client, auth, org):
    auth.login("hr")
    job_id = make_job(org["accounts"]["hr"].id, age=ImportJob.LOST_AFTER + timedelta(minutes=1))
    page = client.get(f"/imports/jobs/{job_id}")
    assert 'data-status="interrupted"' in page.text and "hx-trigger" not in page.text
    assert statuses()[job_id] == "queued"  # not started by the view

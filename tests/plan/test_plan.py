from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.demo import DEMO_PASSWORD
from ethics.plan import report
from ethics.plan.models import Activity, ManualEntry, Plan
from ethics.plan.services import lock_snapshot, plan_for
from ethics.training.models import TrainingSession
from tests.conftest import count_queries

PLAN_HEADER = "fiscal_year,code,strategy,measure,activity,indicator,responsible,target,source"


def read_csv(path) -> list[dict]:
    return list(csv.DictReader(open(path, encoding="utf-8-sig")))


def write(tmp_path, lines, name="plan.csv"):
    path = tmp_path / name
    path.write_text("\n".join([PLAN_HEADER, *lines]) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def demo(load_demo):
    """The whole demo province: the seed's plans fed by its trainings and survey."""
    load_demo()


@pytest.fixture
def seed_plan(app):
    from ethics.demo.plan import seed

    seed()
    db.session.commit()
    return plan_for(2551)


def attend(session, people):
    from ethics.training.attendance import mark
    from ethics.training.registrations import register

    for person in people:
        register(session.id, person, session.first_day)
        mark(session.id, person.id, session.days[0].id, True)
    db.session.commit()


def test_seed_report_2551_has_the_seeds_rows_and_live_values(runner, demo, tmp_path):
    output = tmp_path / "r.csv"
    exported = runner.invoke(args=["export-report", "--fiscal-year", "2551", "--format", "csv", "--output", str(output)])
    assert exported.exit_code == 0
    rows = read_csv(output)
    assert list(rows[0]) == ["code", "strategy", "measure", "activity", "indicator", "responsible", "target", "value", "result"]
    assert len(rows) == 19 and len({row["strategy"] for row in rows}) == 3
    by_code = {row["code"]: row for row in rows}
    assert by_code["1.1.1"]["result"] == "แจ้งประชาสัมพันธ์ทางแผ่นพับ" and by_code["1.1.1"]["value"] == ""
    assert int(by_code["1.1.2"]["value"]) > 0 and by_code["1.1.2"]["indicator"] == "จำนวนข้าราชการที่เข้าร่วมกิจกรรม"
    assert by_code["2.1.1"]["value"] == "2"
    assert by_code["2.3.2"]["value"].count(".") == 1 and len(by_code["2.3.2"]["value"].split(".")[1]) == 2
    assert by_code["2.3.2"]["result"].startswith("ระดับขวัญกำลังใจเฉลี่ย")
    assert by_code["1.2.1"]["value"] == "8"  # civil servants and employees, as its indicator names them
    assert by_code["1.2.1"]["result"] == "8 คน (ข้าราชการ 8, ลูกจ้างประจำ 0, ลูกจ้างชั่วคราว 0)"
    assert by_code["1.2.2"]["value"] == "3"  # the announced round's winners
    assert by_code["3.1.1"]["responsible"] == "ศูนย์ดำรงธรรม/อำเภอ ทุกหน่วยงาน"


def test_generated_summary_breaks_down_by_personnel_type(demo):
    plan = plan_for(2551)
    activity = next(a for a in plan.activities if a.code == "1.1.4")
    activity.result_text = ""
    row = next(r for r in report.rows(plan) if r["code"] == "1.1.4")
    assert row["result"].startswith(f"{row['value']} คน (") and "ข้าราชการ" in row["result"]


def test_english_pages_read_the_generated_summary_in_english_and_the_report_stays_thai(demo, client, auth):
    plan = plan_for(2551)
    activity = next(a for a in plan.activities if a.code == "1.1.4")
    activity.result_text = ""
    db.session.commit()
    row = next(r for r in report.rows(plan) if r["code"] == "1.1.4")
    auth.login("hr", DEMO_PASSWORD)
    client.set_cookie("ethics_lang", "en")
    english = f"{row['value']} people ("
    assert english in client.get(f"/plan/2551/activities/{activity.id}").text
    assert english in client.get("/plan/2551").text and row["result"] not in client.get("/plan/2551").text
    assert row["result"].startswith(f"{row['value']} คน (")  # the document's, whatever the page's language


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_report_formats(runner, demo, tmp_path, fmt, magic):
    output = tmp_path / f"r.{fmt}"
    result = runner.invoke(args=["export-report", "--fiscal-year", "2551", "--format", fmt, "--output", str(output)])
    assert result.exit_code == 0 and output.read_bytes().startswith(magic)
    if fmt == "xlsx":
        sheet = load_workbook(output).active
        assert sheet.merged_cells.ranges and any("กลยุทธ์ที่ 1" in str(c.value) for c in sheet["A"])


def test_import_plan_for_two_years_then_unchanged(runner, tmp_path):
    lines = [
        "2570,1.1.1,ส่งเสริมจิตสำนึก,ส่งเสริมคุณธรรม,อบรมจริยธรรม,จำนวนผู้เข้าร่วม,สนจ.ระยอง,200 คน,training_participants",
        "2570,1.1.2,ส่งเสริมจิตสำนึก,ส่งเสริมคุณธรรม,ประชาสัมพันธ์,ความถี่,สนจ.ระยอง,12 ครั้ง,manual",
        "2571,1.1.1,ส่งเสริมจิตสำนึก,ส่งเสริมคุณธรรม,อบรมจริยธรรม,จำนวนผู้เข้าร่วม,สนจ.ระยอง,250 คน,",
    ]
    result = runner.invoke(args=["import-plan", write(tmp_path, lines)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "new 3, updated 0, unchanged 0"
    assert plan_for(2571).activities[0].source == "manual"
    again = runner.invoke(args=["import-plan", write(tmp_path, lines)])
    assert again.output.strip() == "new 0, updated 0, unchanged 3"


@pytest.mark.parametrize("line, message", [
    ("2570,1.1,ก,ข,ค,,,,manual", "row 2: code: use strategy.measure.activity"),
    ("2570,1.1.1,ก,ข,ค,,,,astrology", "row 2: source: unknown source astrology"),
    ("70,1.1.1,ก,ข,ค,,,,manual", "row 2: fiscal_year: a Buddhist Era year"),
    ("2570,1.1.1,ก,ข,,,,,manual", "row 2: activity: a value is required"),
])
def test_bad_plan_rows(runner, tmp_path, line, message):
    result = runner.invoke(args=["import-plan", write(tmp_path, [line])])
    assert result.exit_code == 1 and message in result.output
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0


def test_conflicting_names_and_duplicate_codes(runner, tmp_path):
    result = runner.invoke(args=["import-plan", write(tmp_path, [
        "2570,1.1.1,กลยุทธ์หนึ่ง,มาตรการ,ก,,,,manual",
        "2570,1.1.2,กลยุทธ์อื่น,มาตรการ,ข,,,,manual",
        "2570,1.1.1,กลยุทธ์หนึ่ง,มาตรการ,ค,,,,manual",
    ])])
    assert "row 3: strategy: differs from row 2" in result.output
    assert "row 4: code: duplicated in the file (also row 2)" in result.output


def test_copy_plan_takes_structure_sources_and_targets_not_values(runner, demo):
    source = plan_for(2551)
    source.activities[0].target = "12 ครั้ง"
    db.session.add(ManualEntry(activity_id=source.activities[0].id, entry_date=date(2008, 1, 1), value="5"))
    db.session.commit()
    assert runner.invoke(args=["copy-plan", "--from", "2551", "--to", "2553"]).exit_code == 0
    copied = plan_for(2553)
    assert [a.code for a in copied.activities] == [a.code for a in source.activities]
    assert copied.activities[0].target == "12 ครั้ง" and copied.activities[0].entries == []
    assert all(a.result_text == "" for a in copied.activities)
    assert [a.source for a in copied.activities] == [a.source for a in source.activities]
    refused = runner.invoke(args=["copy-plan", "--from", "2551", "--to", "2553"])
    assert refused.exit_code == 1 and "already has a plan" in refused.output


def test_snapshot_never_changes_when_data_does(runner, demo, tmp_path, make_person):
    from ethics.training.attendance import mark
    from ethics.training.models import TrainingSession
    from ethics.training.registrations import register

    plan = plan_for(2551)
    lock_snapshot(plan, "annual", date(2008, 10, 5))
    db.session.commit()
    before = next(r for r in report.rows(plan) if r["code"] == "1.1.2")["value"]
    session = db.session.scalar(select(TrainingSession).where(TrainingSession.plan_activity_code == "1.1.2",
                                                              TrainingSession.first_day < date(2008, 10, 1)))
    session.status = "open"
    newcomer = make_person()
    register(session.id, newcomer, session.first_day - timedelta(days=1))
    mark(session.id, newcomer.id, session.days[0].id, True)
    db.session.commit()
    live = next(r for r in report.rows(plan) if r["code"] == "1.1.2")["value"]
    assert int(live) == int(before) + 1
    output = tmp_path / "snap.csv"
    runner.invoke(args=["export-report", "--fiscal-year", "2551", "--format", "csv", "--output", str(output),
                        "--snapshot", "annual"])
    assert {r["code"]: r for r in read_csv(output)}["1.1.2"]["value"] == before
    missing = runner.invoke(args=["export-report", "--fiscal-year", "2551", "--format", "csv", "--output",
                                  str(output), "--snapshot", "nope"])
    assert missing.exit_code == 1


def test_training_import_links_only_to_real_plan_activities(runner, seed_plan, org, tmp_path):
    header = "session_code,course_code,course_title,category,plan_activity,session_date,hours,venue,citizen_id,attended,passed"
    cid = org["people"]["me"].citizen_id
    path = tmp_path / "t.csv"
    path.write_text(f"{header}\nX1,ETH01,,ethics,1.1.2,2008-04-01,6,,{cid},yes,\n", encoding="utf-8")
    assert runner.invoke(args=["import-training-records", str(path)]).exit_code == 0
    path.write_text(f"{header}\nX2,ETH01,,ethics,9.9.9,2008-04-01,6,,{cid},yes,\n", encoding="utf-8")
    result = runner.invoke(args=["import-training-records", str(path)])
    assert result.exit_code == 1 and "9.9.9 is not in the plan of fiscal year 2551" in result.output


def test_a_session_typed_in_links_to_an_activity_of_its_years_plan(client, auth, org, seed_plan, make_course):
    from tests.training.test_views import session_form

    auth.login("hr")
    form = session_form(make_course(), first_day="10/03/2551", last_day="10/03/2551", plan_activity_code="1.1.2")
    assert client.post("/training/sessions/new", data=form).status_code == 302
    assert db.session.scalar(select(TrainingSession.plan_activity_code)) == "1.1.2"


def test_manual_entries_check_evidence(client, auth, org, seed_plan):
    plan = plan_for(2551)
    activity = next(a for a in plan.activities if a.code == "1.1.1")
    auth.login("hr")
    url = f"/plan/2551/activities/{activity.id}/entries"
    client.post(url, data={"entry_date": "15/01/2551", "value": "4", "note": "แผ่นพับ",
                           "evidence": (io.BytesIO(b"MZ not a pdf"), "leaflet.pdf")}, content_type="multipart/form-data")
    assert db.session.scalar(select(func.count()).select_from(ManualEntry)) == 0
    client.post(url, data={"entry_date": "15/01/2551", "value": "4", "note": "แผ่นพับ",
                           "evidence": (io.BytesIO(b"%PDF-1.4 leaflet"), "leaflet.pdf")}, content_type="multipart/form-data")
    entry = db.session.scalar(select(ManualEntry))
    assert entry.value == "4" and entry.entry_date == date(2008, 1, 15)
    assert client.get(f"/plan/2551/entries/{entry.id}/evidence").data.startswith(b"%PDF")
    assert next(r for r in report.rows(plan_for(2551)) if r["code"] == "1.1.1")["value"] == "4"


def test_manual_entry_date_has_the_picker_and_takes_the_readers_era(client, auth, org, seed_plan):
    activity = next(a for a in plan_for(2551).activities if a.code == "1.1.1")
    auth.login("hr")
    page = client.get(f"/plan/2551/activities/{activity.id}").text
    assert 'name="entry_date"' in page and 'data-datepicker="be"' in page and 'class="date-format"' in page
    client.set_cookie("ethics_lang", "en")
    assert 'data-datepicker="ce"' in client.get(f"/plan/2551/activities/{activity.id}").text
    client.post(f"/plan/2551/activities/{activity.id}/entries", data={"entry_date": "15/01/2008", "value": "4"})
    assert db.session.scalar(select(ManualEntry.entry_date)) == date(2008, 1, 15)


def test_plan_page_runs_a_bounded_number_of_queries(client, auth, org, seed_plan, make_person, make_session):
    session = make_session(first_day=date(2008, 3, 10), plan_activity_code="1.1.2")
    attend(session, [make_person()])
    auth.login("hr")
    client.get("/")  # the first request after signing in reads the account afresh (ethics/auth/services.py)
    with count_queries() as before:
        assert client.get("/plan/2551").status_code == 200
    attend(session, [make_person() for _ in range(30)])
    with count_queries() as after:
        client.get("/plan/2551")
    assert len(after) == len(before)


def test_plan_index_counts_the_newest_years_and_not_every_year(client, auth, org, seed_plan):
    """Its work stays the same however many years have a plan: the newest PROGRESS_YEARS show
    their progress, older ones their activities and snapshots."""
    from ethics.plan.dashboard import PROGRESS_YEARS
    from ethics.plan.services import copy_plan

    for year in (2553, 2554):  # the newest three alike before and after, so that their reports are alike
        copy_plan(2552, year)
    db.session.commit()
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    client.get("/")  # the first request after signing in reads the account afresh (ethics/auth/services.py)
    with count_queries() as before:
        assert client.get("/plan/").status_code == 200
    for year in (2555, 2556, 2557):
        copy_plan(2552, year)
    db.session.commit()
    with count_queries() as after:
        page = client.get("/plan/").text
    assert len(after) == len(before)
    years = list(range(2557, 2550, -1))
    assert [f'data-testid="plan-progress-{year}"' in page for year in years] == \
        [n < PROGRESS_YEARS for n in range(len(years))]
    assert [f'data-testid="plan-activities-{year}"' in page for year in years] == \
        [n >= PROGRESS_YEARS for n in range(len(years))]
    assert "19 activities: their values" in page  # 2551's


def test_drill_down_lists_the_people_behind_a_value(client, auth, org, seed_plan, make_person, make_session):
    session = make_session(first_day=date(2008, 3, 10), plan_activity_code="1.1.2")
    people = [make_person(first_name=f"ผู้ร่วม{n:02d}") for n in range(55)]
    attend(session, people)
    activity = next(a for a in seed_plan.activities if a.code == "1.1.2")
    auth.login("hr")
    page = client.get(f"/plan/2551/activities/{activity.id}")
    assert page.status_code == 200 and 'data-testid="drill-down"' in page.text
    assert "ผู้ร่วม00" in page.text and "ผู้ร่วม54" not in page.text and "หน้า 1 จาก 2" in page.text
    assert "ผู้ร่วม54" in client.get(f"/plan/2551/activities/{activity.id}?page=2").text
    assert client.get("/plan/2551/activities/999999").status_code == 404
    assert len(seed_plan.activities) == 19 and len(plan_for(2552).activities) == 14


def test_copy_to_any_later_year_without_a_plan_from_the_page(client, auth, org, seed_plan):
    from ethics.core.fiscal import fiscal_year_of, local_now

    this_year = fiscal_year_of(local_now().date())
    auth.login("hr")
    index = client.get("/plan/").text
    assert 'data-testid="no-plan-this-year"' in index and f'<option value="{this_year}" selected>' in index
    offered = client.get("/plan/2552").text
    assert '<option value="2553"' in offered and f'<option value="{this_year + 1}"' in offered
    assert '<option value="2551"' not in offered and '<option value="2552"' not in offered
    response = client.post("/plan/2552/copy", data={"to": str(this_year)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plan/{this_year}")
    assert [a.personnel_types for a in plan_for(this_year).activities] == [
        a.personnel_types for a in plan_for(2552).activities]
    assert f'<option value="{this_year}"' not in client.get("/plan/2552").text  # taken now
    assert 'data-testid="no-plan-this-year"' not in client.get("/plan/").text
    for bad in ({"to": str(this_year)}, {"to": "2551"}, {"to": "abc"}, {}):
        again = client.post("/plan/2552/copy", data=bad)
        assert again.status_code == 302 and again.headers["Location"].endswith("/plan/2552")
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 3


def test_copy_plan_from_the_command_line_reaches_any_later_year(runner, seed_plan):
    result = runner.invoke(args=["copy-plan", "--from", "2552", "--to", "2570"])
    assert result.exit_code == 0 and result.output.strip() == "copied the plan of 2552 to 2570"
    assert next(a for a in plan_for(2570).activities if a.code == "1.1.2").personnel_types == ["civil_servant"]
    backwards = runner.invoke(args=["copy-plan", "--from", "2552", "--to", "2550"])
    assert backwards.exit_code == 1 and "later fiscal year" in backwards.output and plan_for(2550) is None


# --- populations: an indicator that names whom it counts counts only them --------------------

def test_a_population_counts_only_its_personnel_types_everywhere(client, auth, runner, org, seed_plan, make_person,
                                                                  make_session, tmp_path):
    civil = [make_person(first_name=f"ข้าราชการ{n}") for n in range(3)]
    others = [make_person(first_name="ลูกจ้าง", personnel_type="permanent_employee"),
              make_person(first_name="พนักงาน", personnel_type="government_employee")]
    attend(make_session(first_day=date(2008, 3, 10), plan_activity_code="1.1.2"), civil + others)
    attend(make_session(first_day=date(2008, 3, 11), plan_activity_code="1.3.1"), civil + others)
    activity = next(a for a in seed_plan.activities if a.code == "1.1.2")
    assert activity.personnel_types == ["civil_servant"]  # "จำนวนข้าราชการที่เข้าร่วมกิจกรรม"
    activity.result_text = ""  # so the report shows the generated result text
    db.session.commit()
    row = next(r for r in report.rows(seed_plan) if r["code"] == "1.1.2")
    assert (row["value"], row["result"]) == ("3", "3 คน (ข้าราชการ)")
    auth.login("hr")
    page = client.get(f"/plan/2551/activities/{activity.id}").text
    assert 'data-testid="activity-value">3<' in page and 'data-testid="population"' in page
    assert page.count("ข้าราชการ0") + page.count("ข้าราชการ1") + page.count("ข้าราชการ2") == 3
    assert "ลูกจ้าง</td>" not in page and "พนักงาน</td>" not in page
    assert f'href="/plan/2551/activities/{activity.id}">3</a>' in client.get("/plan/2551").text
    output = tmp_path / "r.csv"
    assert runner.invoke(args=["export-report", "--fiscal-year", "2551", "--format", "csv",
                               "--output", str(output)]).exit_code == 0
    exported = {r["code"]: r for r in read_csv(output)}
    assert exported["1.1.2"]["value"] == "3" and exported["1.1.2"]["result"] == "3 คน (ข้าราชการ)"
    everyone = next(r for r in report.rows(seed_plan) if r["code"] == "1.3.1")  # "จำนวนผู้ผ่าน...": everyone
    assert everyone["value"] == "0"  # attending is not passing


def test_award_counts_follow_the_population(app, org, make_person):
    from ethics.demo.plan import seed
    from ethics.plan.sources import values_for
    from tests.recognition.conftest import open_round, submit_all

    seed()
    award_round = open_round(2552)
    people = [make_person(org["units"]["dev_team"], personnel_type=kind)
              for kind in ("civil_servant", "temporary_employee", "government_employee")]
    submit_all(award_round, people, org["accounts"]["supervisor"].id)
    activity = next(a for a in plan_for(2552).activities if a.code == "1.3.1")  # "ข้าราชการ ลูกจ้าง"
    value = values_for([activity], 2552)[activity.id]
    assert value.value == "2" and value.summary == "2 คน (ข้าราชการ 1, ลูกจ้างประจำ 0, ลูกจ้างชั่วคราว 1)"
    assert value.by_unit == {org["units"]["dev_team"].id: 2}


def test_hr_sets_an_activitys_population_on_its_page(client, auth, org, seed_plan):
    activity = next(a for a in seed_plan.activities if a.code == "1.3.1")
    auth.login("hr")
    form = {"name": activity.name, "indicator": activity.indicator, "responsible": activity.responsible,
            "target": "", "source": activity.source, "version": activity.version,
            "personnel_types": ["permanent_employee", "civil_servant"]}
    assert client.post(f"/plan/2551/activities/{activity.id}", data=form).status_code == 302
    assert activity.personnel_types == ["civil_servant", "permanent_employee"]
    refused = client.post(f"/plan/2551/activities/{activity.id}", follow_redirects=True, data={
        **form, "version": activity.version, "source": "manual"})
    assert "only a source that counts people" in refused.text or "นับจำนวนคน" in refused.text
    assert activity.source == "training_passed" and activity.personnel_types == ["civil_servant", "permanent_employee"]
    unknown = client.post(f"/plan/2551/activities/{activity.id}", data={**form, "version": activity.version,
                                                                          "personnel_types": ["monk"]})
    assert unknown.status_code == 302 and activity.personnel_types == ["civil_servant", "permanent_employee"]


def test_import_plan_reads_an_optional_population_column(runner, tmp_path):
    header = PLAN_HEADER + ",personnel_types"
    lines = ["2570,1.1.1,ก,ข,อบรม,จำนวนข้าราชการ,,,training_participants,ข้าราชการ",
             '2570,1.1.2,ก,ข,คัดเลือก,จำนวนข้าราชการ ลูกจ้าง,,,nominees,"ลูกจ้างชั่วคราว, civil_servant,ลูกจ้างประจำ"',
             "2570,1.1.3,ก,ข,ผ่านการอบรม,จำนวนผู้ผ่าน,,,training_passed,"]
    path = tmp_path / "plan.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    assert runner.invoke(args=["import-plan", str(path)]).output.strip() == "new 3, updated 0, unchanged 0"
    assert [a.personnel_types for a in plan_for(2570).activities] == [
        ["civil_servant"], ["civil_servant", "permanent_employee", "temporary_employee"], []]
    assert runner.invoke(args=["import-plan", str(path)]).output.strip() == "new 0, updated 0, unchanged 3"
    path.write_text("\n".join([header, lines[0].replace(",ข้าราชการ", ",พนักงานราชการ")]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import-plan", str(path), "--dry-run"])
    assert "updated 1" in result.output and plan_for(2570).activities[0].personnel_types == ["civil_servant"]


@pytest.mark.parametrize("source, population, message", [
    ("training_participants", "ข้าราชการ,พระสงฆ์", "row 2: personnel_types: unknown personnel type พระสงฆ์"),
    ("manual", "ข้าราชการ", "row 2: personnel_types: only a source that counts people"),
    ("morale_index", "civil_servant", "row 2: personnel_types: only a source that counts people"),
])
def test_bad_populations_are_refused_row_by_row(runner, tmp_path, source, population, message):
    path = tmp_path / "plan.csv"
    path.write_text(f"{PLAN_HEADER},personnel_types\n2570,1.1.1,ก,ข,ค,,,,{source},\"{population}\"\n", encoding="utf-8")
    result = runner.invoke(args=["import-plan", str(path)])
    assert result.exit_code == 1 and message in result.output
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0


def test_dashboard_shows_morale_by_dimension_equal_to_the_survey(client, auth, demo):
    from ethics.survey.models import MoraleCampaign
    from ethics.survey.results import campaign_results

    campaign = db.session.scalar(select(MoraleCampaign).where(MoraleCampaign.fiscal_year == 2551))
    first = campaign.dimensions[0]
    expected = campaign_results(campaign).overall.dimensions[first.id].mean
    auth.login("hr", "ethics-demo")  # the demo's own accounts
    page = client.get("/plan/2551").text
    assert f'<small>{first.name_th}</small>' in page
    assert f'role="img" aria-label="{first.name_th}: {expected:.2f}"' in page and f"</svg> {expected:.2f}</p>" in page


def test_manual_entries_and_snapshot_locks_are_audited(client, auth, org, seed_plan):
    from ethics.audit.models import AuditEntry

    activity = next(a for a in seed_plan.activities if a.code == "1.1.1")
    auth.login("hr")
    client.post(f"/plan/2551/activities/{activity.id}/entries", data={"entry_date": "15/01/2551", "value": "4"})
    client.post("/plan/2551/snapshots", data={"name": "ประจำปี"})
    actions = {entry.action: entry for entry in db.session.scalars(select(AuditEntry))}
    assert actions["plan.manual_entry"].actor_label == "hr" and actions["plan.manual_entry"].details["value"] == "4"
    assert actions["plan.snapshot_locked"].details["name"] == "ประจำปี"


def test_edit_an_activity_and_see_progress_against_its_target(client, auth, org, seed_plan, make_person, make_session):
    activity = next(a for a in seed_plan.activities if a.code == "1.1.2")
    auth.login("hr")
    response = client.post(f"/plan/2551/activities/{activity.id}", data={
        "name": activity.name, "indicator": activity.indicator, "responsible": "สนจ.ระยอง", "target": "4 คน",
        "source": "training_participants", "version": activity.version})
    assert response.status_code == 302 and activity.target == "4 คน" and activity.personnel_types == []
    attend(make_session(first_day=date(2008, 3, 10), plan_activity_code="1.1.2"), [make_person() for _ in range(2)])
    row = next(r for r in report.rows(plan_for(2551)) if r["code"] == "1.1.2")
    assert row["share"] == 0.5
    stale = client.post(f"/plan/2551/activities/{activity.id}", data={"name": "x", "source": "manual", "version": 0})
    assert stale.status_code == 409
    bad = client.post(f"/plan/2551/activities/{activity.id}", data={"name": "x", "source": "astrology",
                                                                    "version": activity.version})
    assert bad.status_code == 302 and activity.source == "training_participants"


@pytest.mark.parametrize("value, target, share", [("50", "100 คน", 0.5), ("150", "100", 1.0), ("3", "", None),
                                                  ("", "10 ครั้ง", None), ("2", "1,000 คน", 0.002)])
def test_target_share(value, target, share):
    from ethics.plan.report import target_share

    assert target_share(value, target) == share


def test_the_report_counts_every_activity_in_a_fixed_number_of_queries(app, seed_plan, make_person, make_session):
    """PF1's budget: at most 15 statements for the whole report, whatever the plan and data size."""
    from ethics.plan.services import plan_for

    for code in ("1.1.2", "1.3.1", "2.1.1"):
        attend(make_session(first_day=date(2008, 3, 10), plan_activity_code=code), [make_person() for _ in range(3)])
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as statements:
        built = report.rows(plan_for(2551))
    assert len(statements) <= 15, statements
    assert next(r for r in built if r["code"] == "1.1.2")["value"] == "3"


def test_trainings_ask_the_app_whether_a_plan_activity_exists(app, seed_plan):
    """The plan declares itself to the app; an app without it knows no activity, so nothing links."""
    from ethics.training import plan_link

    assert plan_link.activity_exists(2551, "1.1.2") and not plan_link.activity_exists(2551, "9.9.9")
    assert not plan_link.activity_exists(2552, "1.1.4")  # a code of another year's plan
    del app.extensions[plan_link.EXTENSION]
    assert not plan_link.activity_exists(2551, "1.1.2")


def test_every_session_save_checks_its_plan_activity(app, seed_plan, make_session):
    """The one save_session checks the link whoever calls it: a form, the demo or a script."""
    from ethics.training.catalogue import CatalogueError

    with pytest.raises(CatalogueError, match=r"9\.9\.9 is not in the plan of fiscal year 2551") as refused:
        make_session(first_day=date(2008, 3, 10), plan_activity_code="9.9.9")
    assert refused.value.field == "plan_activity_code"
    db.session.rollback()
    assert make_session(first_day=date(2008, 3, 10), plan_activity_code="1.1.2").plan_activity_code == "1.1.2"


def test_import_plan_refuses_a_target_longer_than_its_column_rather_than_cutting_it(runner, tmp_path):
    result = runner.invoke(args=["import-plan", write(tmp_path, [f"2570,1.1.1,ก,ข,ค,,,{'9' * 256},manual"])])
    assert result.exit_code == 1 and "row 2: target: at most 255 characters" in result.output
    assert db.session.scalar(select(func.count()).select_from(Activity)) == 0


def test_dashboard_draws_participation_by_month_with_each_months_count(client, auth, demo):
    from ethics.training.counting import year_participants

    _, counts = year_participants(2551)
    assert sum(n for _, n in counts) > 0
    auth.login("hr", "ethics-demo")
    chart = client.get("/plan/2551").text.split('data-testid="month-chart"')[1].split("</figure>")[0]
    said = "; ".join(f"{month}: {n}" for month, n in zip(
        ("ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."),
        (n for _, n in counts), strict=True))
    assert f'<desc id="chart-months-desc">{said}</desc>' in chart

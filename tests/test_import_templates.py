"""Each import's blank template (its columns in row 1, described in Thai and English, and a sheet of
the values they accept) imports once a row is filled in; error lines show the bad value; the
preview shows each changed column's old and new value; the plan import takes sources by label."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.importing import services
from ethics.people.models import Person, Unit
from ethics.plan.models import Activity
from ethics.plan.services import plan_for
from ethics.training.models import Attendance
from tests.conftest import citizen_id

KINDS = ("units", "roster", "plan", "training-records")


def template(client, kind: str) -> bytes:
    response = client.get(f"/imports/{kind}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"{kind}-template.xlsx" in response.headers["Content-Disposition"]
    return response.data


def filled(data: bytes, values: dict[str, str]) -> bytes:
    """The template with one row filled in under its headers, as a person would in Excel."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.append([values.get(name, "") for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def guide_rows(data: bytes) -> list[tuple]:
    """The guide sheet's rows, each as long as its filled cells."""
    rows = load_workbook(io.BytesIO(data)).worksheets[1].iter_rows(values_only=True)
    return [tuple(value or "" for value in row[:4 if row[4] is None else 5]) for row in rows]


@pytest.fixture
def hr(client, auth, org):
    auth.login("hr")
    return client


def test_the_upload_page_offers_the_template(hr):
    for kind in KINDS:
        assert f'href="/imports/{kind}/template.xlsx"' in hr.get(f"/imports/{kind}").text


@pytest.mark.parametrize("kind", KINDS)
def test_row_one_holds_the_columns_each_described_in_thai_and_english(hr, kind):
    importer = services.REGISTRY[kind]
    sheet = load_workbook(io.BytesIO(template(hr, kind))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(importer.columns)
    assert sheet.max_row == 1  # nothing to delete before filling in
    for cell in sheet[1]:
        th, en = importer.guide.columns[cell.value]
        assert th in cell.comment.text and en in cell.comment.text
        assert cell.comment.text.startswith("จำเป็นต้องกรอก / required\n") == (cell.value in importer.required)
    guide = guide_rows(template(hr, kind))
    assert [row[0] for row in guide[1:len(importer.columns) + 1]] == list(importer.columns)


def test_the_guide_sheet_lists_the_allowed_values(hr):
    roster = guide_rows(template(hr, "roster"))
    assert ("personnel_type", "civil_servant", "ข้าราชการ", "Civil servant") in roster
    assert ("personnel_type", "government_employee", "พนักงานราชการ", "Government employee") in roster
    assert ("unit_code", "DEV", "ศูนย์พัฒนา", "") in roster
    assert ("service_start_date", "01/10/2569", "วัน/เดือน/ปี เป็นปีพุทธศักราช", "DD/MM/YYYY, Buddhist Era year") in roster
    plan = guide_rows(template(hr, "plan"))
    assert ("source", "training_participants", "ผู้เข้าร่วมการอบรม", "Training participants") in plan
    assert ("source", "manual", "กรอกด้วยตนเอง", "Entered by hand") in plan
    assert ("personnel_types", "civil_servant", "ข้าราชการ", "Civil servant") in plan  # the plan's own column
    training = guide_rows(template(hr, "training-records"))
    assert any(row[:2] == ("category", "ethics") for row in training)
    assert any(row[:2] == ("attended, passed", "yes") for row in training)


def test_the_template_is_for_importers_only(client, auth, org):
    assert "/login" in client.get("/imports/roster/template.xlsx").headers["Location"]
    for role in ("supervisor", "committee", "employee"):
        auth.login(role)
        assert client.get("/imports/roster/template.xlsx").status_code == 403
        auth.logout()
    auth.login("admin")
    assert client.get("/imports/roster/template.xlsx").status_code == 200
    assert client.get("/imports/nothing/template.xlsx").status_code == 404


def run(kind: str, data: bytes):
    plan = services.run(services.REGISTRY[kind], "filled.xlsx", data, {"by_admin": False}, apply=True)
    db.session.commit()
    return plan


def test_each_template_with_one_filled_row_imports(hr, org, make_session):
    me = org["people"]["me"]
    units = run("units", filled(template(hr, "units"), {"code": "NEW", "name_th": "หน่วยใหม่", "parent_code": "DEV"}))
    assert units.ok and units.counts()["new"] == 1
    assert db.session.scalar(select(Unit).where(Unit.code == "NEW")).parent.code == "DEV"
    cid = citizen_id(777001)
    roster = run("roster", filled(template(hr, "roster"), {
        "citizen_id": cid, "title": "นาง", "first_name": "แม่แบบ", "last_name": "กรอกแล้ว", "personnel_type": "ข้าราชการ",
        "unit_code": "NEW", "supervisor_citizen_id": me.citizen_id, "service_start_date": "01/10/2569"}))
    assert roster.ok, [str(error) for error in roster.errors]
    person = db.session.scalar(select(Person).where(Person.citizen_id == cid))
    assert person.service_start_date == date(2026, 10, 1) and person.supervisor_id == me.id
    plan = run("plan", filled(template(hr, "plan"), {
        "fiscal_year": "2570", "code": "1.2.1", "strategy": "กลยุทธ์", "measure": "มาตรการ", "activity": "กิจกรรม",
        "source": "ผู้เข้าร่วมการอบรม", "personnel_types": "ข้าราชการ"}))
    assert plan.ok, [str(error) for error in plan.errors]
    assert plan_for(2570).activities[0].code == "1.2.1"  # kept as text, never a date
    training = run("training-records", filled(template(hr, "training-records"), {
        "session_code": "HIST-1", "course_code": "ETH-H", "course_title": "จริยธรรม", "category": "ethics",
        "plan_activity": "1.2.1", "session_date": "01/12/2569", "hours": "6", "citizen_id": me.citizen_id,
        "attended": "yes", "passed": "yes"}))
    assert training.ok, [str(error) for error in training.errors]
    assert db.session.scalar(select(Attendance.present).where(Attendance.person_id == me.id)) is True


LIBREOFFICE = shutil.which("soffice")


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice (soffice) is not installed here: the templates were "
                                                "not opened by a real spreadsheet program in this run")
def test_libreoffice_opens_every_template(hr, tmp_path):
    paths = []
    for kind in KINDS:
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(template(hr, kind))
        paths.append(str(path))
    subprocess.run([LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,false",
                    "--outdir", str(tmp_path / "out"), *paths], check=True, capture_output=True, timeout=300)
    for kind in KINDS:
        lines = (tmp_path / "out" / f"{kind}.csv").read_text(encoding="utf-8-sig").splitlines()
        assert lines == [",".join(services.REGISTRY[kind].columns)]


# --- error lines show the value -------------------------------------------------------------

ROSTER = "citizen_id,first_name,last_name,personnel_type,unit_code,email,supervisor_citizen_id,service_start_date"


def roster_errors(text: str) -> list[str]:
    plan = services.run(services.REGISTRY["roster"], "r.csv", text.encode(), {"by_admin": False}, apply=False)
    return plan.errors.lines()


def test_error_lines_show_the_bad_value(app, org):
    almost = citizen_id(777002)[:12] + str((int(citizen_id(777002)[12]) + 1) % 10)
    lines = roster_errors(f"{ROSTER}\n1234,ก,ข,civil_servant,DEV,somchai@,,31/02/2569\n"
                          f"{citizen_id(777003)},ค,ง,civil_servant,DEV,,{almost},\n")
    assert lines == [
        'row 2: citizen_id: not a valid citizen ID (13 digits with a correct check digit): "1234"',
        'row 2: email: not a valid email address: "somchai@"',
        'row 2: service_start_date: not a possible date (use YYYY-MM-DD or DD/MM/YYYY in B.E.): "31/02/2569"',
        f'row 3: supervisor_citizen_id: not a valid citizen ID (13 digits with a correct check digit): '
        f'"x-xxxx-xxxxx-{almost[10:12]}-{almost[12]}"',  # nearly someone's ID: masked
    ]


def test_a_citizen_id_with_a_digit_dropped_or_doubled_is_masked_in_its_error_line(app, org):
    real = citizen_id(777006)
    rows = (f"{real[:12]},ก,ข,civil_servant,DEV,,,", f"{real}{real[-1]},ค,ง,civil_servant,DEV,,,")
    lines = roster_errors("\n".join((ROSTER, *rows)) + "\n")
    refused = "not a valid citizen ID (13 digits with a correct check digit)"
    assert lines == [f'row 2: citizen_id: {refused}: "{"x" * 9}{real[9:12]}"',
                     f'row 3: citizen_id: {refused}: "{"x" * 11}{real[11:]}{real[-1]}"']


def test_a_long_value_is_cut_in_the_error_line(app, org):
    (line,) = roster_errors(f"{ROSTER}\n{citizen_id(777004)},{'ก' * 121},ข,civil_servant,DEV,,,\n")
    assert line == f'row 2: first_name: at most 120 characters: "{"ก" * 40}…"'


def test_the_upload_page_shows_the_value_beside_the_problem(hr):
    data = {"file": (io.BytesIO(f"{ROSTER}\n{citizen_id(777005)},ก,ข,civil_servant,DEV,bad@,,\n".encode()), "r.csv")}
    job = hr.post("/imports/roster", data=data, content_type="multipart/form-data").headers["Location"]
    assert "bad@" in hr.get(job).text


def test_training_and_plan_error_lines_show_the_value(app, org):
    header = "session_code,course_code,course_title,category,plan_activity,session_date,hours,venue,citizen_id,attended,passed"
    row = f"S1,C1,ชื่อ,ethics,,2008-02-30,six,,{org['people']['me'].citizen_id},maybe,"
    plan = services.run(services.REGISTRY["training-records"], "t.csv", f"{header}\n{row}\n".encode(), {}, apply=False)
    assert plan.errors.lines() == [
        'row 2: session_date: not a possible date (use YYYY-MM-DD or DD/MM/YYYY in B.E.): "2008-02-30"',
        'row 2: attended: use yes/no, 1/0 or true/false: "maybe"',
        'row 2: hours: not a number: "six"',
    ]
    plan_header = "fiscal_year,code,strategy,measure,activity,source"
    plan = services.run(services.REGISTRY["plan"], "p.csv",
                        f"{plan_header}\n70,1.2,ก,ข,ค,ไม่มีแหล่งนี้\n".encode(), {}, apply=False)
    assert plan.errors.lines() == ['row 2: fiscal_year: a Buddhist Era year such as 2570: "70"',
                                   'row 2: code: use strategy.measure.activity, e.g. 1.2.1: "1.2"',
                                   "row 2: source: unknown source ไม่มีแหล่งนี้"]


# --- the update preview -----------------------------------------------------------------------

def test_the_preview_shows_old_and_new_per_changed_column(hr, org):
    inside, me = org["people"]["inside"], org["people"]["me"]
    text = (f"{ROSTER}\n{inside.citizen_id},ในสังกัด,นามสกุลใหม่,civil_servant,DEV-1,,{me.citizen_id},\n")
    job = hr.post("/imports/roster", data={"file": (io.BytesIO(text.encode()), "r.csv")},
                  content_type="multipart/form-data").headers["Location"]
    page = hr.get(job).text
    assert 'data-status="ready"' in page
    assert f"<del>{inside.last_name}</del> → <ins>นามสกุลใหม่</ins>" in page
    assert f"<del>x-xxxx-xxxxx-{org['people']['boss'].citizen_id[10:12]}-" in page  # the supervisor, masked
    assert f"<ins>{me.masked_citizen_id}</ins>" in page and me.citizen_id not in page
    assert "first_name" not in page.split('data-testid="changed-columns"')[1]  # unchanged columns are not listed


# --- plan sources by label -----------------------------------------------------------------------

@pytest.mark.parametrize("written, stored", [
    ("ผู้เข้าร่วมการอบรม", "training_participants"),
    ("Training participants", "training_participants"),
    ("training_participants", "training_participants"),
    ("ดัชนีขวัญกำลังใจ", "morale_index"),
    ("", "manual"),
])
def test_the_plan_import_takes_a_source_by_code_or_label(app, written, stored):
    text = f"fiscal_year,code,strategy,measure,activity,source\n2570,1.1.1,ก,ข,ค,{written}\n"
    plan = services.run(services.REGISTRY["plan"], "p.csv", text.encode(), {}, apply=True)
    db.session.commit()
    assert plan.ok, plan.errors.lines()
    assert db.session.scalar(select(Activity.source)) == stored

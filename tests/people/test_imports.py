"""The roster and unit import contract, through the CLI as scripts use it."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.people.models import Person, Unit
from tests.conftest import citizen_id

HEADER = ("citizen_id,title,first_name,last_name,personnel_type,unit_code,position,position_level,email,"
          "supervisor_citizen_id,service_start_date")
THAI_HEADER = ("เลขประจำตัวประชาชน,คำนำหน้า,ชื่อ,นามสกุล,ประเภทบุคลากร,รหัสหน่วยงาน,ตำแหน่ง,ระดับ,อีเมล,"
               "เลขประจำตัวประชาชนผู้บังคับบัญชา,วันที่เริ่มรับราชการ")
A, B, C = citizen_id(900001), citizen_id(900002), citizen_id(900003)


def write(tmp_path, lines, name="roster.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return str(path)


def people_count():
    return db.session.scalar(select(func.count()).select_from(Person))


@pytest.fixture
def units(make_unit):
    province = make_unit("PROV", "สำนักงานจังหวัด")
    return {"PROV": province, "HR": make_unit("HR", "กลุ่มบริหารทรัพยากรบุคคล", parent=province)}


def test_import_creates_people_and_links_a_supervisor_listed_later(runner, units, tmp_path):
    path = write(tmp_path, [
        HEADER,
        f"{A},นาง,สมหญิง,ใจดี,civil_servant,HR,นักทรัพยากรบุคคล,ชำนาญการ,a@example.go.th,{B},2015-06-01",
        f"{B},นาย,สมชาย,รักษ์ไทย,ข้าราชการ,PROV,ผู้อำนวยการ,,b@example.go.th,,01/10/2550",
    ])
    result = runner.invoke(args=["import-roster", path])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "new 2, updated 0, unchanged 0"
    a = db.session.scalar(select(Person).where(Person.citizen_id == A))
    assert a.supervisor.citizen_id == B
    assert a.service_start_date == date(2015, 6, 1)
    assert a.supervisor.service_start_date == date(2007, 10, 1)
    assert a.supervisor.personnel_type == "civil_servant"


def test_thai_headers_and_windows_874_are_accepted(runner, units, tmp_path):
    path = write(tmp_path, [THAI_HEADER, f"{A},นาง,สมหญิง,ใจดี,ลูกจ้างประจำ,HR,,,,,"], encoding="cp874")
    result = runner.invoke(args=["import-roster", path])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Person.personnel_type)) == "permanent_employee"


def test_xlsx_with_numeric_citizen_ids_imports(runner, units, tmp_path):
    workbook = Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append([int(A), "นาย", "ก", "ข", "government_employee", "HR", "", "", "", "", "2020-01-02"])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    result = runner.invoke(args=["import-roster", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Person.citizen_id)) == A


@pytest.mark.parametrize("row, message", [
    (f"{A[:12]}{(int(A[12]) + 1) % 10},นาย,ก,ข,civil_servant,HR,,,,,", "row 2: citizen_id: not a valid citizen ID"),
    (f"{A},นาย,ก,ข,civil_servant,NOPE,,,,,", "row 2: unit_code: unknown unit NOPE"),
    (f"{A},นาย,ก,ข,contractor,HR,,,,,", "row 2: personnel_type: unknown personnel type contractor"),
    (f"{A},นาย,ก,ข,civil_servant,HR,,,,,31/02/2569", "row 2: service_start_date: not a possible date"),
    (f"{A},นาย,ก,ข,civil_servant,HR,,,,,2026-02-30", "row 2: service_start_date: not a possible date"),
    (f"{A},นาย,,ข,civil_servant,HR,,,,,", "row 2: first_name: a value is required"),
    (f"{A},นาย,ก,ข,civil_servant,HR,,,,{C},", "row 2: supervisor_citizen_id: unknown supervisor"),
    (f"{A},นาย,ก,ข,civil_servant,HR,,,not-an-email,,", "row 2: email: not a valid email address"),
    (f"{A},นาย,ก,ข,civil_servant,HR,,,,{A},", "row 2: supervisor_citizen_id: a person cannot supervise themselves"),
])
def test_bad_rows_are_reported_and_nothing_is_written(runner, units, tmp_path, row, message):
    good = f"{B},นาย,ค,ง,civil_servant,HR,,,,,"
    result = runner.invoke(args=["import-roster", write(tmp_path, [HEADER, row, good])])
    assert result.exit_code == 1
    assert message in result.output
    assert people_count() == 0


def test_duplicate_citizen_id_names_both_rows(runner, units, tmp_path):
    path = write(tmp_path, [HEADER, f"{A},นาย,ก,ข,civil_servant,HR,,,,,", f"{A},นาย,ค,ง,civil_servant,HR,,,,,"])
    result = runner.invoke(args=["import-roster", path])
    assert result.exit_code == 1
    assert "row 3: citizen_id: duplicated in the file (also row 2)" in result.output


def test_missing_required_column_is_reported_on_the_header_row(runner, units, tmp_path):
    result = runner.invoke(args=["import-roster", write(tmp_path, ["citizen_id,first_name", f"{A},ก"])])
    assert result.exit_code == 1
    assert "row 1: last_name: this column is missing" in result.output


def test_every_problem_is_listed_one_per_line_and_nothing_else(runner, units, tmp_path):
    """A failing import prints its problems only: no `new 1, updated 0, unchanged 0` for rows it did not write."""
    path = write(tmp_path, [HEADER, f"{A},นาย,,ข,contractor,NOPE,,,,,", f"{B},นาย,ก,ข,civil_servant,HR,,,,,"])
    result = runner.invoke(args=["import-roster", path])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["row 2: first_name: a value is required",
                                          "row 2: personnel_type: unknown personnel type contractor",
                                          "row 2: unit_code: unknown unit NOPE"]
    assert people_count() == 0


def test_a_capped_failure_prints_the_first_thousand_problems_then_how_many_more_and_nothing_else(runner, units, tmp_path):
    rows = [f"{citizen_id(910000 + n)},นาย,ก,ข,civil_servant,NOPE,,,,," for n in range(1003)]
    result = runner.invoke(args=["import-roster", write(tmp_path, [HEADER, *rows])])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [f"row {n}: unit_code: unknown unit NOPE" for n in range(2, 1002)] + ["and 3 more"]


def test_dry_run_writes_nothing(runner, units, tmp_path):
    path = write(tmp_path, [HEADER, f"{A},นาย,ก,ข,civil_servant,HR,,,,,"])
    result = runner.invoke(args=["import-roster", path, "--dry-run"])
    assert result.exit_code == 0
    assert result.output.startswith("new 1, updated 0, unchanged 0")
    assert people_count() == 0


def test_reimport_counts_updates_and_unchanged(runner, units, tmp_path):
    runner.invoke(args=["import-roster", write(tmp_path, [HEADER, f"{A},นาย,ก,ข,civil_servant,HR,,,,,",
                                                            f"{B},นาย,ค,ง,civil_servant,HR,,,,,"])])
    result = runner.invoke(args=["import-roster", write(tmp_path, [HEADER, f"{A},นาย,ก,ข,civil_servant,HR,,,,,",
                                                                     f"{B},นาย,ค,ง,civil_servant,PROV,,,,,"])])
    assert result.output.strip() == "new 0, updated 1, unchanged 1"
    moved = db.session.scalar(select(Person).where(Person.citizen_id == B))
    assert moved.unit.code == "PROV" and moved.version == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_unedited_export_imports_as_unchanged(runner, units, tmp_path, fmt):
    first = runner.invoke(args=["import-roster", write(tmp_path, [
        HEADER,
        f"{A},นาง,=สมหญิง,ใจดี,civil_servant,HR,+ตำแหน่ง,-ระดับ,a@x.go.th,{B},2015-06-01",
        f"{B},นาย,@สมชาย,รักษ์ไทย,permanent_employee,PROV,,,,,",
    ])])
    assert first.exit_code == 0, first.output
    output = tmp_path / f"export.{fmt}"
    assert runner.invoke(args=["export-roster", "--output", str(output)]).exit_code == 0
    result = runner.invoke(args=["import-roster", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "new 0, updated 0, unchanged 2"


def test_people_absent_from_the_file_stay_unless_asked(runner, units, tmp_path):
    runner.invoke(args=["import-roster", write(tmp_path, [HEADER, f"{A},นาย,ก,ข,civil_servant,HR,,,,,",
                                                            f"{B},นาย,ค,ง,civil_servant,HR,,,,,"])])
    only_a = write(tmp_path, [HEADER, f"{A},นาย,ก,ข,civil_servant,HR,,,,,"])
    runner.invoke(args=["import-roster", only_a])
    assert db.session.scalar(select(Person.active).where(Person.citizen_id == B)) is True
    result = runner.invoke(args=["import-roster", only_a, "--deactivate-missing"])
    assert result.exit_code == 0
    assert "deactivated 1" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(Person.active).where(Person.citizen_id == B)) is False


def test_import_is_audited_with_masked_ids(runner, units, tmp_path):
    runner.invoke(args=["import-roster", write(tmp_path, [HEADER, f"{A},นาย,ก,ข,civil_servant,HR,,,,,"])])
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [e.action for e in entries] == ["person.import", "import.roster"]
    assert A not in str([e.details for e in entries])
    assert runner.invoke(args=["audit-verify"]).exit_code == 0


def test_unreadable_file_exits_1(runner, units, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"not a workbook")
    result = runner.invoke(args=["import-roster", str(path)])
    assert result.exit_code == 1
    assert "not a readable Excel" in result.output


# --- units ------------------------------------------------------------------------

def test_units_import_builds_the_tree_with_parents_later_in_file(runner, tmp_path):
    path = write(tmp_path, ["code,name_th,name_en,parent_code", "HR,กลุ่มบริหารทรัพยากรบุคคล,HR,PROV",
                            "PROV,สำนักงานจังหวัด,Provincial Office,"], name="units.csv")
    result = runner.invoke(args=["import-units", path])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "new 2, updated 0, unchanged 0"
    hr = db.session.scalar(select(Unit).where(Unit.code == "HR"))
    assert hr.parent.code == "PROV"
    again = runner.invoke(args=["import-units", path])
    assert again.output.strip() == "new 0, updated 0, unchanged 2"


@pytest.mark.parametrize("lines, message", [
    (["A,หน่วย A,,B", "B,หน่วย B,,A"], "row 2: parent_code: this makes a cycle in the unit tree"),
    (["A,หน่วย A,,A"], "row 2: parent_code: this makes a cycle in the unit tree"),
    (["A,หน่วย A,,Z"], "row 2: parent_code: unknown unit Z"),
    (["A,,,"], "row 2: name_th: a value is required"),
    (["A,หน่วย,,", "A,หน่วยซ้ำ,,"], "row 3: code: duplicated in the file (also row 2)"),
])
def test_bad_unit_rows(runner, tmp_path, lines, message):
    result = runner.invoke(args=["import-units", write(tmp_path, ["code,name_th,name_en,parent_code", *lines],
                                                        name="units.csv")])
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 0


def test_unit_cycle_through_existing_units_is_refused(runner, make_unit, tmp_path):
    top = make_unit("TOP")
    make_unit("MID", parent=top)
    path = write(tmp_path, ["code,name_th,name_en,parent_code", "TOP,บนสุด,,MID"], name="units.csv")
    result = runner.invoke(args=["import-units", path])
    assert result.exit_code == 1
    assert "row 2: parent_code: this makes a cycle" in result.output


def test_summary_line_is_exactly_the_contracts(runner, units, tmp_path):
    path = write(tmp_path, [HEADER, f"{A},นาย,ก,ข,civil_servant,HR,,,,,"])
    dry = runner.invoke(args=["import-roster", path, "--dry-run"])
    assert dry.output.splitlines() == ["new 1, updated 0, unchanged 0", "dry run: nothing written"]
    runner.invoke(args=["import-roster", path])
    other = write(tmp_path, [HEADER, f"{B},นาย,ค,ง,civil_servant,HR,,,,,"], name="other.csv")
    result = runner.invoke(args=["import-roster", other, "--deactivate-missing"])
    assert result.output.splitlines() == ["new 1, updated 0, unchanged 0", "deactivated 1"]


def test_rows_are_checked_and_written_without_the_cycle_collector_which_comes_back(runner, units, tmp_path,
                                                                                   monkeypatch):
    import gc

    from ethics.people.imports import RosterImporter

    during = []
    apply = RosterImporter.apply
    monkeypatch.setattr(RosterImporter, "apply",
                        lambda self, plan, filename: (during.append(gc.isenabled()), apply(self, plan, filename)))
    result = runner.invoke(args=["import-roster", write(tmp_path, [HEADER, f"{A},นาย,ก,ข,civil_servant,HR,,,,,"])])
    assert result.exit_code == 0 and during == [False] and gc.isenabled()


def test_only_an_admin_import_changes_the_email_of_a_committee_member(app, units, make_person, make_account):
    """HR uploads the roster through the web as a non-admin: the email a committee member's sign-in
    links go to stays theirs; the same change by an administrator (or the command line) is applied."""
    from ethics.importing.services import REGISTRY, run

    member = make_person(units["HR"], citizen_id=A, first_name="กรรมการ", last_name="ทดสอบ", email="member@example.go.th",
                         personnel_type="civil_servant")
    make_account("member", ("committee", "employee"), person=member)
    row = f"{A},,กรรมการ,ทดสอบ,civil_servant,HR,,,hr@example.go.th,,"
    data = "\n".join([HEADER, row]).encode()
    refused = run(REGISTRY["roster"], "roster.csv", data, {"by_admin": False}, apply=True)
    assert [(error.row, error.column) for error in refused.errors] == [(2, "email")]
    db.session.rollback()
    assert db.session.get(Person, member.id).email == "member@example.go.th"
    applied = run(REGISTRY["roster"], "roster.csv", data, {"by_admin": True}, apply=True)
    assert applied.ok
    db.session.commit()
    assert db.session.get(Person, member.id).email == "hr@example.go.th"

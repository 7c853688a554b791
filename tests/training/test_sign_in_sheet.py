"""The sign-in sheet (ใบลงชื่อ) as a Thai government office prints and signs it: the agency's letterhead, a
section per day with the course, day, time and venue above a table of ลำดับ, ชื่อ - สกุล, ตำแหน่ง, หน่วยงาน,
ลายมือชื่อ (เช้า and บ่าย on a day with two halves) and หมายเหตุ, rows that never split across pages, names
that never wrap, pages after the first numbered "- 2 -", and the responsible officer's signature block under
each day's table. The XLSX has the same table, a worksheet per day."""
from __future__ import annotations

import io
from datetime import date, time

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ethics.core.extensions import db
from ethics.organisation.services import ImageChange, OrganisationData, save_organisation
from ethics.training.exports import DOTS
from ethics.training.registrations import register
from tests.pdf import pdf_text, squeezed
from tests.xlsx import assert_number, assert_text

COURSE = "การเสริมสร้างวัฒนธรรมองค์กรตามประมวลจริยธรรม"
AGENCY = "สำนักงานจังหวัดระยอง"
UNIT = "ศูนย์ดำรงธรรมจังหวัดระยอง"
HEADINGS = ["ลำดับ", "ชื่อ - สกุล", "ตำแหน่ง", "หน่วยงาน", "ลายมือชื่อ", "หมายเหตุ"]
HEADER = "".join(HEADINGS).replace(" ", "")


@pytest.fixture
def unit(make_unit):
    return make_unit("DMR-RYG", UNIT)


@pytest.fixture
def officer(make_account, make_person, unit):
    """An HR account of a person on the roster: who prints the sheet and signs for it."""
    person = make_person(unit, title="นาง", first_name="สมศรี", last_name="รักษาการ", position="นักทรัพยากรบุคคล",
                         position_level="ชำนาญการพิเศษ")
    return make_account("officer", ("hr", "employee"), person=person)


@pytest.fixture
def trainee(make_person, unit):
    return make_person(unit, title="นางสาว", first_name="น้ำฝน", last_name="ค่ำคืนดี", position="นักวิชาการยุติธรรม",
                       position_level="ปฏิบัติการ")


@pytest.fixture
def two_days(make_course, make_session):
    """A full day (two halves: 09.00 to 16.00), then a morning only (09.00 to 12.00)."""
    session = make_session(course=make_course(title_th=COURSE), first_day=date(2026, 12, 1), days=2)
    session.days[1].ends = time(12, 0)
    db.session.commit()
    return session


def enrol(session, people) -> None:
    for person in people:
        register(session.id, person, date(2026, 11, 26))
    db.session.commit()


def download(client, auth, session, fmt: str, account: str = "officer") -> bytes:
    auth.login(account)
    response = client.get(f"/training/sessions/{session.id}/sign-in-sheet.{fmt}")
    assert response.status_code == 200
    return response.data


def pdf_pages(body: bytes) -> list[str]:
    """Each page's text, as pypdf reads it, without white space."""
    return [squeezed(page.extract_text()) for page in PdfReader(io.BytesIO(body)).pages]


def test_the_pdf_has_a_section_per_day_under_the_letterhead(client, auth, officer, two_days, trainee):
    enrol(two_days, [trainee])
    save_organisation(OrganisationData(AGENCY, "", "ศาลากลางจังหวัดระยอง", "", None, None), ImageChange(), None)
    db.session.commit()
    pages = pdf_pages(download(client, auth, two_days, "pdf"))
    assert len(pages) == 2  # a day a section, the second on a page of its own
    full_day, morning = pages
    assert AGENCY in full_day and AGENCY not in morning  # the letterhead heads the document, once
    for page, day in ((full_day, "1ธันวาคม2569"), (morning, "2ธันวาคม2569")):
        assert f"ใบลงชื่อผู้เข้ารับการอบรมหลักสูตร{COURSE}" in page and f"วันที่{day}" in page and "ณห้องประชุม" in page
        assert all(heading.replace(" ", "") in page for heading in HEADINGS)
        assert "นางสาวน้ำฝนค่ำคืนดี" in page and "นักวิชาการยุติธรรมปฏิบัติการ" in page
        assert UNIT in page and "DMR-RYG" not in page  # the unit's name, never its code
        # the officer signs under each day's table: the line, the name in brackets, the position
        assert f"ลงชื่อ{DOTS}ผู้รับผิดชอบ(นางสมศรีรักษาการ)นักทรัพยากรบุคคลชำนาญการพิเศษ" in page
    assert "เวลา09.00-16.00น." in full_day and "เช้าบ่าย" in full_day  # a column for each half
    assert "เวลา09.00-12.00น." in morning and "เช้า" not in morning and "บ่าย" not in morning


def test_an_account_of_nobody_on_the_roster_prints_a_block_to_fill_by_hand(client, auth, org, two_days, trainee):
    enrol(two_days, [trainee])
    page = pdf_pages(download(client, auth, two_days, "pdf", account="hr"))[0]
    assert f"ลงชื่อ{DOTS}ผู้รับผิดชอบ({DOTS})ตำแหน่ง" in page


LONG_UNIT = "กลุ่มงานพัฒนาทรัพยากรบุคคลและส่งเสริมคุณธรรมจริยธรรมของสำนักงานจังหวัดระยอง"


@pytest.fixture
def sixty(make_person, make_unit):
    """Enough people for several pages, in rows of many lines (a long unit name wrapped in its column):
    rows of a line or three never split anyway (two lines at least either side of a break)."""
    unit = make_unit("HRD", LONG_UNIT)
    return [make_person(unit, first_name=f"สมาชิก{n}", last_name=f"ทดสอบ{n}", position=f"นักทรัพยากรบุคคล{n}",
                        position_level="ชำนาญการ") for n in range(1, 61)]


def test_a_long_sheet_never_splits_a_row_and_numbers_its_pages(client, auth, officer, make_session, sixty):
    session = make_session(first_day=date(2026, 12, 1))
    enrol(session, sixty)
    pages = pdf_pages(download(client, auth, session, "pdf"))
    assert len(pages) >= 3
    for number, person in enumerate(sixty, start=1):
        # the row's number, name, position and every line of its unit read on one page, and on one only
        row = f"{number}{squeezed(person.full_name)}นักทรัพยากรบุคคล{number}ชำนาญการ{LONG_UNIT}"
        assert sum(row in page for page in pages) == 1, person.full_name
    assert all(HEADER in page for page in pages)  # the header row repeats on every page
    assert "-1-" not in pages[0]  # the first page carries no number, the others "- 2 -", "- 3 -" ...
    assert all(f"-{n}-" in page for n, page in enumerate(pages[1:], start=2))


@pytest.mark.parametrize("title, first_name, last_name, landscape", [
    ("นางสาว", "กาญจนาภรณ์", "ศรีสุวรรณวงศ์", False),
    ("ว่าที่ร้อยตรีหญิง", "กาญจนาภรณ์", "ศรีสุวรรณวงศ์ชัยมงคล", True),  # too long for a portrait page
], ids=["portrait", "landscape"])
def test_a_name_never_wraps(client, auth, officer, two_days, make_person, make_unit, title, first_name, last_name,
                            landscape):
    """Not even beside a long position and unit name, which wrap instead."""
    person = make_person(make_unit("HRD", LONG_UNIT), title=title, first_name=first_name, last_name=last_name,
                         position="นักวิเคราะห์นโยบายและแผน", position_level="ชำนาญการพิเศษ")
    enrol(two_days, [person])
    body = download(client, auth, two_days, "pdf")
    assert any(person.full_name in line for line in pdf_text(body).splitlines())
    box = PdfReader(io.BytesIO(body)).pages[0].mediabox
    assert (box.width > box.height) == landscape


def test_the_xlsx_has_a_worksheet_per_day(client, auth, officer, two_days, trainee):
    enrol(two_days, [trainee])
    workbook = load_workbook(io.BytesIO(download(client, auth, two_days, "xlsx")))
    assert workbook.sheetnames == ["01-12-2569", "02-12-2569"]
    full_day, morning = workbook.worksheets
    assert full_day["A1"].value == morning["A1"].value == f"ใบลงชื่อผู้เข้ารับการอบรม หลักสูตร {COURSE}"
    assert morning["A2"].value == "วันที่ 2 ธันวาคม 2569 เวลา 09.00 - 12.00 น. ณ ห้องประชุม"
    # a two-half day: ลายมือชื่อ over เช้า and บ่าย, both header rows printed on every page
    assert [cell.value for cell in full_day[3]] == [*HEADINGS[:5], None, HEADINGS[5]]
    assert [cell.value for cell in full_day[4]][4:6] == ["เช้า", "บ่าย"]
    assert full_day.print_title_rows == "$3:$4" and "E3:F3" in full_day.merged_cells
    assert [cell.value for cell in morning[3]] == HEADINGS and morning.print_title_rows == "$3:$3"
    for worksheet, first in ((full_day, 5), (morning, 4)):
        number, name, position, unit = worksheet[first][:4]
        assert_number(number, 1)
        assert_text(name, "นางสาวน้ำฝน ค่ำคืนดี")
        assert_text(position, "นักวิชาการยุติธรรม ปฏิบัติการ")
        assert_text(unit, UNIT)
        values = [cell.value for row in worksheet.iter_rows() for cell in row]
        assert "DMR-RYG" not in values
        assert values[-worksheet.max_column * 3::worksheet.max_column] == [
            f"ลงชื่อ {DOTS} ผู้รับผิดชอบ", "(นางสมศรี รักษาการ)", "นักทรัพยากรบุคคล ชำนาญการพิเศษ"]

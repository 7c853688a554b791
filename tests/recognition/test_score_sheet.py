"""The committee's score sheet is what the minutes keep and the members sign: it names members and
units as people read them (never a username or a unit code), records every conflict of interest
declared, and closes with each member's signature block, the chair's first, under the agency's
letterhead. The PDF is in Thai whatever the reader's language; the XLSX has the conflicts on a
sheet of their own."""
from __future__ import annotations

import dataclasses
import io
import re

import pytest
from openpyxl import load_workbook

from ethics.core.extensions import db
from ethics.organisation.services import ImageChange, OrganisationData, save_organisation
from ethics.recognition import exports, rounds, scoring
from ethics.recognition.models import ConflictKind
from tests.pdf import EXTRACTORS, squeezed
from tests.recognition.conftest import open_round, submit_all

NOTE = "ผู้ได้รับการเสนอชื่อเป็นน้องสาวของกรรมการ"
UNIT_CODE, UNIT = "GRP-77", "กลุ่มงานส่งเสริมคุณธรรม"
CHAIR, MEMBER, GUEST = "นายประธาน ยุติธรรม", "นางกรรมการ สุจริต", "guestacct"  # the guest's account has no person
NOMINEES = [("นางสาว", "ดีเด่น", "ขยันยิ่ง"), ("นาย", "รองลงมา", "ตั้งใจ")]
WINNER, RELATIVE = (f"{title}{first} {last}" for title, first, last in NOMINEES)


@pytest.fixture
def finalised(org, make_unit, make_person, make_account):
    """Two nominees of one unit; a chair and a member of the roster, and a member whose account has
    no person. The member declared that the second nominee is a relative; every other declaration
    is "none"."""
    unit = make_unit(UNIT_CODE, UNIT, parent=org["units"]["province"])
    chair = make_account("chairacct", ("committee", "employee"), person=make_person(
        unit, title="นาย", first_name="ประธาน", last_name="ยุติธรรม", position="ผู้อำนวยการ", position_level="ระดับสูง"))
    member = make_account("memberacct", ("committee", "employee"), person=make_person(
        unit, title="นาง", first_name="กรรมการ", last_name="สุจริต", position="นักทรัพยากรบุคคล",
        position_level="ชำนาญการ"))
    guest = make_account(GUEST, ("committee", "employee"))
    award_round = open_round(quota_total=1)
    people = [make_person(unit, title=title, first_name=first, last_name=last) for title, first, last in NOMINEES]
    made = submit_all(award_round, people, org["accounts"]["supervisor"].id)
    for account in (member, chair, guest):  # the chair is not added first
        rounds.add_member(award_round, account, is_chair=account is chair)
    rounds.start_screening(award_round)
    rounds.start_scoring(award_round)
    for value, nomination in zip((9, 7), made, strict=True):
        for account in (chair, member, guest):
            if (account, nomination) == (member, made[1]):
                scoring.declare(nomination, account, ConflictKind.RELATIVE, NOTE)
            else:
                scoring.declare(nomination, account, ConflictKind.NONE, "")
                scoring.save_scores(nomination, account, {c.id: (value, "") for c in award_round.criteria})
    scoring.finalise(award_round, chair)
    db.session.commit()
    return award_round, made


def pdf_texts(client, auth, award_round) -> list[str]:
    """The score sheet as each extractor reads it, without white space."""
    auth.login("hr")
    body = client.get(f"/recognition/rounds/{award_round.id}/score-sheet.pdf").data
    return [squeezed(extract(body)) for extract in EXTRACTORS.values()]


def workbook(client, auth, award_round):
    auth.login("hr")
    return load_workbook(io.BytesIO(client.get(f"/recognition/rounds/{award_round.id}/score-sheet.xlsx").data))


def test_the_pdf_names_members_by_their_full_name_and_units_by_their_name(client, auth, finalised):
    for text in pdf_texts(client, auth, finalised[0]):
        assert all(squeezed(name) in text for name in (CHAIR, MEMBER, WINNER, RELATIVE, UNIT))
        assert "chairacct" not in text and "memberacct" not in text and UNIT_CODE not in text
        assert GUEST in text  # no person to name: the username, rather than nobody


def test_the_pdf_discloses_each_declared_conflict_and_no_none_declaration(client, auth, finalised):
    for text in pdf_texts(client, auth, finalised[0]):
        disclosed = text[text.index("การเปิดเผยส่วนได้เสีย"):]
        assert squeezed(f"{MEMBER} {RELATIVE} เป็นญาติ {NOTE}") in disclosed  # member, nominee, kind, note
        assert text.count("เป็นญาติ") == 1
        assert "ไม่มีส่วนได้เสีย" not in text  # the label of a "none" declaration
        assert "ไม่มีกรรมการผู้ใดแจ้ง" not in text


def test_every_member_signs_the_pdf_the_chair_first(client, auth, finalised):
    for text in pdf_texts(client, auth, finalised[0]):
        signed = re.sub(r"-\d+-", "", text[text.index("ลงชื่อ"):])  # less the page numbers ("- 2 -")
        blocks = [re.sub(r"\.{3,}", "…", block) for block in signed.split("ลงชื่อ")[1:]]  # "…": a line to write on
        assert blocks == [f"…ประธานกรรมการ({squeezed(CHAIR)})ผู้อำนวยการระดับสูง",
                          f"…กรรมการ({GUEST})ตำแหน่ง…",  # no person: the position is written in by hand
                          f"…กรรมการ({squeezed(MEMBER)})นักทรัพยากรบุคคลชำนาญการ"]


def test_the_pdf_opens_with_the_agency_s_letterhead(client, auth, finalised):
    save_organisation(OrganisationData("สำนักงานจังหวัดระยอง", "", "ศาลากลางจังหวัดระยอง", "", None, None),
                      ImageChange(), None)
    db.session.commit()
    for text in pdf_texts(client, auth, finalised[0]):
        assert text.startswith("สำนักงานจังหวัดระยองศาลากลางจังหวัดระยองบัญชีคะแนน")


def test_the_pdf_is_in_thai_for_a_reader_who_reads_english(client, auth, finalised):
    client.set_cookie("ethics_lang", "en")
    for text in pdf_texts(client, auth, finalised[0]):
        assert "ลำดับ" in text and "คะแนนเฉลี่ยถ่วงน้ำหนัก" in text and "เป็นญาติ" in text
        assert "Rank" not in text and "Relative" not in text


def test_the_xlsx_names_members_and_units_and_lists_the_conflicts_on_a_sheet_of_their_own(client, auth, finalised):
    book = workbook(client, auth, finalised[0])
    assert book.sheetnames == ["scores", "conflicts"]
    scores = list(book["scores"].iter_rows(min_row=2, values_only=True))
    assert {row[2] for row in scores} == {UNIT}
    assert {row[3] for row in scores} == {CHAIR, MEMBER, GUEST, "คะแนนเฉลี่ยถ่วงน้ำหนัก"}
    conflicts = [[cell.value for cell in row] for row in book["conflicts"].iter_rows()]
    assert conflicts == [["กรรมการ", "ผู้ได้รับการเสนอชื่อ", "ประเภท", "หมายเหตุ"],
                         [MEMBER, RELATIVE, "เป็นญาติ", NOTE]]


def test_a_conflict_note_that_reads_as_a_formula_stays_text(finalised):
    sheet = exports.score_sheet(finalised[0])
    formula = dataclasses.replace(sheet.conflicts[0], note="=HYPERLINK(\"http://example.com\")")
    book = load_workbook(io.BytesIO(exports.score_sheet_xlsx(dataclasses.replace(sheet, conflicts=[formula]))))
    note = book["conflicts"]["D2"]
    assert note.data_type == "s" and note.value == formula.note


def test_the_nomination_page_names_the_scoring_members_by_their_full_name(client, auth, finalised):
    auth.login("hr")
    for nomination, names in zip(finalised[1], ([CHAIR, GUEST, MEMBER], [CHAIR, GUEST]), strict=True):
        page = client.get(f"/recognition/nominations/{nomination.id}").text
        section = page[page.index('data-testid="all-scores"'):]
        assert [name for name in (CHAIR, GUEST, MEMBER) if name in section] == names
        assert section.index(CHAIR) < section.index(GUEST)  # the chair first, then by name
        assert "chairacct" not in section and "memberacct" not in section

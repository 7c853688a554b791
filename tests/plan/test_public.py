"""The public transparency page (issue 20): published years without signing in, nothing personal on the
page or in its downloads, 404 while closed, cacheable (no cookie, Cache-Control, ETag, 304) and exact."""
from __future__ import annotations

import io
import re
import shutil
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ethics.audit.models import AuditEntry
from ethics.core.config import PROJECT_ROOT
from ethics.core.extensions import db
from ethics.organisation.models import Organisation
from ethics.organisation.services import ImageChange, OrganisationData, SignatoryData, save_organisation, save_signatory
from ethics.people.models import Person, Unit
from ethics.plan import public, report
from ethics.plan.models import Activity, Measure, Plan, Strategy
from ethics.plan.services import add_entry, lock_snapshot, plan_for
from ethics.recognition import rounds, scoring
from ethics.survey import answering
from ethics.training.attendance import mark
from ethics.training.registrations import register
from tests.conftest import count_queries
from tests.pdf import pdf_text
from tests.recognition.conftest import open_round, submit_all
from tests.recognition.test_rules import score_all
from tests.survey.conftest import all_fives, make_campaign  # noqa: F401  # fixture

YEAR = 2569
PAGE, PDF, XLSX = f"/transparency/{YEAR}", f"/transparency/{YEAR}/report.pdf", f"/transparency/{YEAR}/report.xlsx"
CITIZEN_ID = re.compile(r"\d{13}|\d-\d{4}-\d{5}-\d{2}-\d|x-xxxx")


def open_page(values: str = "live", on: bool = True, certifier_id: int | None = None) -> None:
    save_organisation(OrganisationData("สำนักงานจังหวัดระยอง", "Rayong Provincial Office", "", "", None, certifier_id,
                                       public_page=on, public_values=values), ImageChange(), None)
    db.session.commit()


def make_plan(year: int = YEAR, extra: int = 0) -> Plan:
    """Participants (1.1.1), awardees (1.2.1), the morale index (1.2.2), a hand-fed count with a target (2.1.1);
    `extra` more participant activities, for the query count."""
    plan = Plan(fiscal_year=year, strategies=[
        Strategy(number=1, name="ส่งเสริมจิตสำนึก", measures=[
            Measure(number=1, name="อบรม", activities=[
                Activity(number=n, code=f"1.1.{n}", name=f"อบรมจริยธรรม {n}", indicator="จำนวนผู้เข้าร่วม",
                         responsible="สนจ.ระยอง", target="10 คน", source="training_participants")
                for n in range(1, 2 + extra)]),
            Measure(number=2, name="ยกย่อง", activities=[
                Activity(number=1, code="1.2.1", name="คัดเลือกข้าราชการดีเด่น", source="awardees"),
                Activity(number=2, code="1.2.2", name="วัดขวัญกำลังใจ", source="morale_index")])]),
        Strategy(number=2, name="ป้องกัน", measures=[Measure(number=1, name="ประชาสัมพันธ์", activities=[
            Activity(number=1, code="2.1.1", name="เผยแพร่", target="10 ครั้ง", source="manual")])])])
    db.session.add(plan)
    db.session.commit()
    return plan


@pytest.fixture
def world(org, make_person, make_session, make_campaign, make_account):  # noqa: F811
    """FY2569: two trainees in the training team, an announced round (one winner in internal audit, one
    not chosen), a closed survey with two answer sheets (fewer than results may show), a signatory."""
    plan = make_plan()
    units = org["units"]
    trainees = [org["people"]["me"], org["people"]["inside"]]
    session = make_session(first_day=date(2026, 1, 10), plan_activity_code="1.1.1")
    for person in trainees:
        register(session.id, person, date(2026, 1, 5))
        mark(session.id, person.id, session.days[0].id, True)
    winner = make_person(units["audit"], first_name="ผู้ชนะ", last_name="ดีเด่น")
    loser = make_person(units["dev_team"], first_name="ไม่ได้รับเลือก", last_name="พยายาม")
    award_round = open_round(YEAR, quota_total=1)
    made = submit_all(award_round, [winner, loser], org["accounts"]["supervisor"].id)
    chair = org["accounts"]["committee"]
    rounds.add_member(award_round, chair, is_chair=True)
    rounds.start_screening(award_round)
    rounds.start_scoring(award_round)
    for value, nomination in zip((9, 5), made, strict=True):
        score_all(nomination, chair, value, award_round.criteria)
    scoring.finalise(award_round, chair)
    rounds.announce(award_round, date(2026, 3, 1))
    campaign = make_campaign(fiscal_year=YEAR)
    for person in trainees:
        answering.submit(campaign.id, person.id, all_fives(campaign, 4), "")
    answering.close_campaign(campaign)
    add_entry(plan.activities[-1], date(2026, 2, 1), "4", "ประชุม", None)
    governor = save_signatory(None, SignatoryData("นายผู้ว่า ลงนามจริง", "ผู้ว่าราชการจังหวัดระยอง"), ImageChange())
    db.session.commit()
    return {"plan": plan, "session": session, "winner": winner, "governor": governor, **org}


def value_of(html: str, code: str) -> str:
    return re.search(rf'data-testid="public-value-{re.escape(code)}">([^<]*)', html).group(1)


# --- closed, and which years ------------------------------------------------------------------

def test_everything_public_is_404_while_closed_and_the_sign_in_page_links_only_when_open(client, world):
    for url in ("/transparency", PAGE, PDF, XLSX):
        assert client.get(url).status_code == 404
    assert "transparency-link" not in client.get("/login").text
    open_page()
    assert [client.get(url).status_code for url in ("/transparency", PAGE, PDF, XLSX)] == [200] * 4
    assert 'href="/transparency"' in client.get("/login").text
    open_page(on=False)
    assert client.get(PAGE).status_code == 404


def test_a_year_is_published_once_it_has_begun_and_in_snapshot_mode_once_locked(client, world):
    make_plan(2590)  # copied far ahead: not begun
    open_page()
    assert client.get("/transparency/2590").status_code == 404
    assert "/transparency/2590" not in client.get("/transparency").text
    assert client.get("/transparency?lang=fr").status_code == 404
    open_page("snapshot")
    assert client.get(PAGE).status_code == 404
    assert "No plan is published yet." in client.get("/transparency?lang=en").text
    lock_snapshot(world["plan"], "รอบ 6 เดือน", date(2026, 4, 1))
    db.session.commit()
    held = client.get(PAGE).text
    assert value_of(held, "1.1.1") == "2" and "รอบ 6 เดือน" in held
    late = world["people"]["outside"]  # a third participant after the lock: the public keeps the locked figure
    register(world["session"].id, late, date(2026, 1, 6))
    mark(world["session"].id, late.id, world["session"].days[0].id, True)
    db.session.commit()
    assert value_of(client.get(PAGE).text, "1.1.1") == "2"
    open_page("live")
    assert value_of(client.get(PAGE).text, "1.1.1") == "3"


# --- the switch ---------------------------------------------------------------------------------

def test_the_administrator_opens_it_on_the_organisation_page_and_it_is_audited(client, auth, world):
    auth.login("admin")
    form = {"name_th": "สำนักงานจังหวัดระยอง", "public_page": "y", "public_values": "everything"}
    assert client.post("/organisation/", data=form).status_code == 422
    assert db.session.get(Organisation, 1) is None
    assert client.post("/organisation/", data={**form, "public_values": "snapshot"}).status_code == 302
    settings = db.session.get(Organisation, 1)
    assert (settings.public_page, settings.public_values) == (True, "snapshot")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "organisation.update")).one()
    assert entry.details["after"]["public_page"] is True and entry.details["after"]["public_values"] == "snapshot"
    assert client.post("/organisation/", data={"name_th": "สำนักงานจังหวัดระยอง", "public_values": "live",
                                               "version": settings.version}).status_code == 302
    assert db.session.get(Organisation, 1).public_page is False


# --- what it shows --------------------------------------------------------------------------------

def test_the_page_in_thai_and_english_with_values_progress_and_winners(client, world):
    open_page()
    thai, english = client.get(PAGE).text, client.get(f"{PAGE}?lang=en").text
    assert '<html lang="th"' in thai and '<html lang="en"' in english
    assert f'href="{PAGE}?lang=en"' in thai and f'href="{PAGE}"' in english
    for html in (thai, english):
        assert value_of(html, "1.1.1") == "2" and value_of(html, "1.2.1") == "1" and value_of(html, "2.1.1") == "4"
        assert html.count('class="chart meter"') == 2 + 2  # two strategies, two activities with a numeric target
        assert "ผู้ชนะ ดีเด่น" in html and "ตรวจสอบภายใน" in html
    assert "2 people" in english and "2 คน" in thai
    assert "Rayong Provincial Office" in english


def test_every_number_is_the_signed_in_reports(client, world):
    open_page()
    shown = [(r["code"], r["value"], r["result"]) for r in public.public_year(YEAR, public.settings()).rows]
    assert shown == [(r["code"], r["value"], r["result"]) for r in report.rows(plan_for(YEAR))]
    assert shown[2] == ("1.2.2", "", "")  # the morale index of two answer sheets: hidden, as on the survey's page
    sheet = load_workbook(io.BytesIO(client.get(XLSX).data)).active
    cells = {row[0]: row[6] for row in sheet.iter_rows(values_only=True) if row[0] in {"1.1.1", "1.2.1", "2.1.1"}}
    assert cells == {"1.1.1": 2, "1.2.1": 1, "2.1.1": 4}


def test_nothing_personal_on_the_page_or_in_its_downloads(client, world):
    open_page(certifier_id=world["governor"].id)
    texts = {"th": client.get(PAGE).text, "en": client.get(f"{PAGE}?lang=en").text,
             "pdf": pdf_text(client.get(PDF).data),
             "xlsx": "\n".join(str(v) for row in load_workbook(io.BytesIO(client.get(XLSX).data)).active
                                .iter_rows(values_only=True) for v in row if v is not None)}
    winner = world["winner"]
    others = [p for p in db.session.scalars(select(Person)) if p.id != winner.id]
    small_units = [u.name_th for u in db.session.scalars(select(Unit).where(Unit.id.in_(select(Person.unit_id))))
                   if u.id != winner.unit_id]  # the units people work in; the winner's is announced
    for kind, text in texts.items():
        assert not CITIZEN_ID.search(text), kind
        assert winner.citizen_id not in text
        for person in others:
            assert person.last_name not in text, (kind, person.full_name)
        assert "ลงนามจริง" not in text, kind  # the report's certifier: the public copy is unsigned
        assert "4.00" not in text and "4.0" not in text, kind  # a morale mean of two answer sheets
    for html in (texts["th"], texts["en"]):
        assert not [name for name in small_units if name in html]  # no unit but the winner's


# --- cacheable and exact --------------------------------------------------------------------------

def test_anonymous_answers_set_no_cookie_and_are_cacheable_with_a_304(client, auth, world):
    open_page()
    for url in (PAGE, f"{PAGE}?lang=en", PDF):
        response = client.get(url)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, url
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert response.headers["ETag"] and "Last-Modified" not in response.headers  # a new day is no newer date
        assert client.get(url, headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}).status_code == 200
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
    assert client.get(PAGE).headers["ETag"] != client.get(f"{PAGE}?lang=en").headers["ETag"]
    auth.login("hr")
    assert client.get(PAGE).headers["Cache-Control"] == "private, max-age=300"


def test_the_kept_page_changes_as_soon_as_the_data_does(client, world):
    open_page()
    first = client.get(PAGE)
    assert value_of(first.text, "2.1.1") == "4"
    assert client.get(PAGE).headers["ETag"] == first.headers["ETag"]  # kept, unchanged
    add_entry(world["plan"].activities[-1], date(2026, 3, 1), "7", "", None)
    db.session.commit()
    second = client.get(PAGE, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and value_of(second.text, "2.1.1") == "7"
    assert second.headers["ETag"] != first.headers["ETag"]
    pdf = client.get(PDF)
    assert "7" in pdf_text(pdf.data).split("เผยแพร่")[1][:40]


def test_a_bounded_number_of_queries_whatever_the_data(client, world, make_person, make_session):
    open_page()

    def queries(url: str) -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    small = queries(PAGE), queries(XLSX)
    measure = world["plan"].strategies[0].measures[0]
    measure.activities += [Activity(number=n, code=f"1.1.{n}", name=f"อบรม {n}", target="5 คน",
                                    source="training_participants") for n in range(2, 22)]
    manual = world["plan"].strategies[1].measures[0]
    manual.activities += [Activity(number=n, code=f"2.1.{n}", name=f"เผยแพร่ {n}", source="manual") for n in range(2, 12)]
    db.session.commit()
    session = make_session(first_day=date(2026, 2, 10), plan_activity_code="1.1.5")
    for _ in range(15):
        person = make_person(world["units"]["dev_team"])
        register(session.id, person, date(2026, 2, 5))
        mark(session.id, person.id, session.days[0].id, True)
    db.session.commit()
    assert len(plan_for(YEAR).activities) == 34
    assert (queries(PAGE), queries(XLSX)) == small


def test_a_release_that_changes_the_layout_a_translation_or_the_code_is_a_new_page(app, client, world, tmp_path,
                                                                                   monkeypatch):
    """The page extends base.html, is translated and is filled by Python code: a browser's copy of
    the previous release's page must not be confirmed by a 304 once any of them changes."""
    open_page()
    first = client.get(PAGE).headers["ETag"]
    templates = tmp_path / "templates"
    shutil.copytree(app.template_folder, templates)
    (templates / "base.html").write_text((templates / "base.html").read_text() + "\n")
    monkeypatch.setattr(app, "template_folder", str(templates))
    public._release.cache_clear()
    try:
        after_layout = client.get(PAGE, headers={"If-None-Match": first})
        assert after_layout.status_code == 200 and after_layout.headers["ETag"] != first
        root = tmp_path / "root"  # the same release elsewhere on disk: the same page
        shutil.copytree(PROJECT_ROOT / "translations", root / "translations")
        shutil.copytree(PROJECT_ROOT / "ethics", root / "ethics", ignore=shutil.ignore_patterns("__pycache__"))
        monkeypatch.setattr(public, "PROJECT_ROOT", root)
        public._release.cache_clear()
        assert client.get(PAGE).headers["ETag"] == after_layout.headers["ETag"]
        seen = {first, after_layout.headers["ETag"]}
        for changed in (next(root.glob("translations/th/LC_MESSAGES/*.mo")), root / "ethics/plan/public.py"):
            changed.write_bytes(changed.read_bytes() + b"\n")
            public._release.cache_clear()
            tag = client.get(PAGE).headers["ETag"]
            assert tag not in seen, changed
            seen.add(tag)
    finally:
        public._release.cache_clear()

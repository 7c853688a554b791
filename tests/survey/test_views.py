from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.survey import answering
from ethics.survey.models import MoraleCampaign, SurveyParticipation, SurveyPending
from tests.pdf import pdf_text
from tests.survey.conftest import all_fives


def full_form(campaign, value="4", **extra):
    return {**{f"item-{item.id}": value for item in campaign.items}, **extra}


def test_hr_creates_from_template_edits_and_opens(client, auth, org):
    auth.login("hr")
    response = client.post("/survey/campaigns/new", data={
        "fiscal_year": "2570", "title": "ขวัญกำลังใจ 2570", "opens_on": "01/11/2569", "closes_on": "31/12/2569",
        "allow_comment": "y", "start_from": "template"})
    assert response.status_code == 302
    campaign = db.session.scalar(select(MoraleCampaign))
    assert len(campaign.dimensions) == 6 and campaign.status == "draft"
    data = {"fiscal_year": "2570", "title": "ขวัญกำลังใจ 2570", "opens_on": "01/11/2569", "closes_on": "31/12/2569",
            "allow_comment": "y", "version": campaign.version}
    assert client.post(f"/survey/campaigns/{campaign.id}", data=data).status_code == 302
    db.session.refresh(campaign)
    stale = client.post(f"/survey/campaigns/{campaign.id}", data={**data, "title": "ช้าไป", "version": campaign.version - 1})
    assert stale.status_code == 409 and db.session.scalar(select(MoraleCampaign.title)) == "ขวัญกำลังใจ 2570"
    client.post(f"/survey/campaigns/{campaign.id}/open")
    assert campaign.status == "open"


def test_copy_from_last_year(client, auth, org, make_campaign):
    last = make_campaign(fiscal_year=2569, open_it=False)
    last.dimensions[0].name_th = "ด้านที่ปรับแล้ว"
    db.session.commit()
    auth.login("hr")
    client.post("/survey/campaigns/new", data={"fiscal_year": "2570", "title": "ปีใหม่", "opens_on": "01/11/2569",
                                               "closes_on": "31/12/2569", "start_from": "previous"})
    new = db.session.scalar(select(MoraleCampaign).where(MoraleCampaign.fiscal_year == 2570))
    assert new.dimensions[0].name_th == "ด้านที่ปรับแล้ว"


@pytest.mark.parametrize("changes, message", [
    ({"closes_on": "01/10/2569"}, "before the opening date"),
    ({"opens_on": "31/02/2569"}, "Enter a real date"),
    ({"fiscal_year": "99"}, "Number must be"),
])
def test_bad_campaign_input(client, auth, org, changes, message):
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    data = {"fiscal_year": "2570", "title": "x", "opens_on": "01/11/2569", "closes_on": "31/12/2569",
            "start_from": "template", **changes}
    response = client.post("/survey/campaigns/new", data=data)
    assert response.status_code == 422 and message in response.text
    assert db.session.scalar(select(func.count()).select_from(MoraleCampaign)) == 0


def test_employee_answers_once_and_is_refused_kindly(client, auth, org, make_campaign):
    campaign = make_campaign()
    auth.login("employee")
    assert campaign.title in client.get("/survey/").text
    incomplete = client.post(f"/survey/{campaign.id}", data={f"item-{campaign.items[0].id}": "5", "comment": "ร่าง"})
    assert incomplete.status_code == 422
    assert 'value="5" checked' in incomplete.text and "ร่าง" in incomplete.text  # nothing lost
    assert db.session.scalar(select(func.count()).select_from(SurveyParticipation)) == 0
    response = client.post(f"/survey/{campaign.id}", data=full_form(campaign, comment="ดีมาก"))
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"])
    assert receipt.status_code == 200 and "บันทึกคำตอบของท่าน" in receipt.text
    listed = client.get("/survey/").text  # the answered card leads to the receipt, not to the form
    assert f'href="/survey/{campaign.id}/receipt"' in listed and f'href="/survey/{campaign.id}"' not in listed
    assert "ดีมาก" not in receipt.text and 'value="4"' not in receipt.text
    again = client.post(f"/survey/{campaign.id}", data=full_form(campaign, "1"))
    assert again.status_code == 409 and "ท่านตอบแบบสำรวจแล้ว" in again.text
    half = client.post(f"/survey/{campaign.id}", data={f"item-{campaign.items[0].id}": "2"})
    assert half.status_code == 409 and "ท่านตอบแบบสำรวจแล้ว" in half.text  # told so, not shown the form again
    assert db.session.scalar(select(func.count()).select_from(SurveyPending)) == 1


def test_a_submit_reads_the_place_once_and_counts_its_batch_after_the_sheet_is_committed(client, auth, org,
                                                                                         make_campaign):
    """PF8's submit: the campaign with its items in one statement, the person's place in it read
    once for both the check and the sheet's unit, no read of whether they answered (the insert's
    unique key refuses a second answer); the pending sheets are counted only once this one is committed (counted inside
    its transaction, PostgreSQL would not show sheets others are committing at the same moment,
    and a full batch could be left waiting)."""
    from sqlalchemy import event

    from tests.conftest import count_queries

    campaign = make_campaign()
    auth.login("employee")
    form = full_form(campaign)
    commits: list[int] = []  # how many statements had run at each commit
    with count_queries() as statements:
        def committed(_connection):
            commits.append(len(statements))

        event.listen(db.engine, "commit", committed)
        try:
            assert client.post(f"/survey/{campaign.id}", data=form).status_code == 302
        finally:
            event.remove(db.engine, "commit", committed)
    assert sum("FROM survey_eligibility" in statement for statement in statements) == 1
    reads = [statement for statement in statements if statement.lstrip().startswith("SELECT")]
    assert not any("FROM survey_participation" in statement for statement in reads)  # its unique key checks
    assert all("morale_campaign" in statement for statement in reads if "survey_item" in statement)  # one load
    sheet = next(n for n, statement in enumerate(statements) if "INSERT INTO survey_pending" in statement)
    counted = next(n for n, statement in enumerate(statements) if "count(*)" in statement and "survey_pending" in statement)
    assert any(sheet < n <= counted for n in commits)  # the sheet's commit came between


def test_people_not_eligible_cannot_see_the_survey(client, auth, org, make_campaign):
    campaign = make_campaign(unit_ids=[org["units"]["audit"].id])
    auth.login("employee")
    assert client.get(f"/survey/{campaign.id}").status_code == 404
    assert client.post(f"/survey/{campaign.id}", data=full_form(campaign)).status_code == 404


def test_results_only_after_close_and_scoped_for_supervisors(client, auth, org, make_campaign, make_person):
    dev_team, audit = org["units"]["dev_team"], org["units"]["audit"]
    people = [make_person(dev_team) for _ in range(6)] + [make_person(audit) for _ in range(6)]
    campaign = make_campaign()
    for person in people:
        answering.submit(campaign.id, person.id, all_fives(campaign, 4), "")
    auth.login("hr")
    assert client.get(f"/survey/campaigns/{campaign.id}/results").status_code == 404
    client.post(f"/survey/campaigns/{campaign.id}/close")
    page = client.get(f"/survey/campaigns/{campaign.id}/results")
    assert page.status_code == 200 and dev_team.name_th in page.text and audit.name_th in page.text
    assert 'data-testid="morale-index">4.00' in page.text
    auth.login("supervisor")
    scoped = client.get(f"/survey/campaigns/{campaign.id}/results")
    assert dev_team.name_th in scoped.text and audit.name_th not in scoped.text
    assert 'data-testid="response-rate"' not in scoped.text
    auth.login("employee")
    assert client.get(f"/survey/campaigns/{campaign.id}/results").status_code == 403


def test_a_supervisors_export_holds_only_what_their_page_shows(client, auth, org, make_campaign, make_person):
    dev_team, audit = org["units"]["dev_team"], org["units"]["audit"]
    people = [make_person(dev_team) for _ in range(6)] + [make_person(audit) for _ in range(6)]
    campaign = make_campaign()
    for person in people:
        answering.submit(campaign.id, person.id, all_fives(campaign, 4), "")
    answering.close_campaign(campaign)
    db.session.commit()
    auth.login("supervisor")
    workbook = load_workbook(io.BytesIO(client.get(f"/survey/campaigns/{campaign.id}/results.xlsx").data))
    groups = {row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    assert groups == {dev_team.name_th}  # neither the province-wide "all" rows nor another unit's
    # Table cells wrap Thai words across lines: compare without spaces.
    text = "".join(pdf_text(client.get(f"/survey/campaigns/{campaign.id}/results.pdf").data).split())
    assert dev_team.name_th in text and audit.name_th not in text and "ทุกหน่วยงาน" not in text


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_results_exports(client, auth, org, make_campaign, make_person, fmt, magic):
    people = [make_person(org["units"]["audit"]) for _ in range(5)]
    campaign = make_campaign()
    for person in people:
        answering.submit(campaign.id, person.id, all_fives(campaign, 3), "ความลับ")
    answering.close_campaign(campaign)
    db.session.commit()
    auth.login("hr")
    response = client.get(f"/survey/campaigns/{campaign.id}/results.{fmt}")
    assert response.status_code == 200 and response.data.startswith(magic)


def test_export_survey_results_contract(runner, org, make_campaign, make_person, tmp_path):
    big = [make_person(org["units"]["audit"]) for _ in range(6)]
    small = [make_person(org["units"]["dev"]) for _ in range(3)]
    campaign = make_campaign()
    for n, person in enumerate(big + small):
        answering.submit(campaign.id, person.id, all_fives(campaign, 2 + n % 3), "")
    output = tmp_path / "results.csv"
    assert runner.invoke(args=["export-survey-results", "--fiscal-year", "2570", "--output", str(output)]).exit_code == 1
    answering.close_campaign(campaign)
    db.session.commit()
    result = runner.invoke(args=["export-survey-results", "--fiscal-year", "2570", "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(output.open(encoding="utf-8-sig")))
    assert rows[0] == ["group", "dimension", "item", "n", "mean", "sd", "level"]
    overall = rows[1]
    assert overall[:3] == ["all", "", ""] and overall[3] == "9"  # answer sheets
    first_item = rows[3]
    assert first_item[2] == campaign.items[0].text_th and first_item[3] == "9"
    hidden = [row for row in rows if row[0] == org["units"]["dev"].name_th]
    assert hidden and all(row[3] == "suppressed" and row[4:] == ["", "", ""] for row in hidden)
    # the only other group is hidden with it (next smallest), so nothing can be subtracted
    assert all(row[3] == "suppressed" for row in rows if row[0] == org["units"]["audit"].name_th)
    assert all(row[6] in {"", "น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"} for row in rows[1:])


def test_dimension_means_of_a_closed_campaign_agree_with_the_results_and_read_only_its_tallies(org, make_campaign, make_person):
    from ethics.survey.results import campaign_results, dimension_means
    from tests.conftest import count_queries

    people = [make_person(org["units"]["audit"]) for _ in range(6)]
    campaign = make_campaign()
    for n, person in enumerate(people):
        answering.submit(campaign.id, person.id, all_fives(campaign, 2 + n % 3), "")
    with pytest.raises(PermissionError):
        dimension_means(campaign)
    answering.close_campaign(campaign)
    db.session.commit()
    means = dimension_means(campaign)
    full = campaign_results(campaign).overall.dimensions
    assert means and {d: round(m, 6) for d, m in means.items()} == {d: round(s.mean, 6) for d, s in full.items()}
    with count_queries() as statements:
        assert dimension_means(campaign) == means
    assert len(statements) == 2 and not any("survey_answer" in s for s in statements)  # sheets, then tallies


def test_the_results_page_asks_as_many_queries_however_many_sheets_and_units(client, auth, org, make_campaign,
                                                                             make_person, make_unit):
    """PF7's results page, for HR and for a supervisor: the statements do not grow with the answer
    sheets or the units."""
    from tests.conftest import count_queries

    def statements(fiscal_year: int, units: int, per_unit: int) -> list[int]:
        groups = [make_unit(parent=org["units"]["dev"]) for _ in range(units)]
        people = [make_person(unit) for unit in groups for _ in range(per_unit)]
        campaign = make_campaign(fiscal_year=fiscal_year)
        for n, person in enumerate(people):
            answering.submit(campaign.id, person.id, all_fives(campaign, 1 + n % 5), "")
        answering.close_campaign(campaign)
        db.session.commit()
        counted = []
        for role in ("hr", "supervisor"):
            auth.login(role)
            with count_queries() as run:
                page = client.get(f"/survey/campaigns/{campaign.id}/results")
            assert page.status_code == 200 and all(unit.name_th in page.text for unit in groups)
            counted.append(len(run))
        return counted

    statements(2569, 1, 5)  # last year's, so that both campaigns below are compared with the year before
    few = statements(2570, 2, 5)
    assert statements(2571, 8, 8) == few

"""Issue 19 in a real browser: a committee member works through their scoring sheet (one action for
"no conflict with the rest", rows saved in place with the progress following, a conflict declared
after its confirmation step), and a supervisor finds a nominee by typing in the person picker."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds, fiscal_year_of, local_now
from ethics.recognition import rounds
from ethics.recognition.sheet import field_name
from tests.e2e.dialogs import accept_confirmations
from tests.e2e.test_foundation_journeys import sign_in
from tests.recognition.conftest import committee, scoring_round  # noqa: F401  # fixtures


def test_a_member_scores_the_round_from_one_sheet(page, live_server, scoring_round):  # noqa: F811
    award_round, made = scoring_round["round"], scoring_round["nominations"]
    criteria = award_round.criteria
    accept_confirmations(page)
    sign_in(page, live_server, "member")
    page.goto(f"{live_server}/recognition/rounds/{award_round.id}/sheet")
    progress = page.locator("#sheet-progress progress")
    expect(progress).to_have_attribute("max", "3")
    page.get_by_test_id("no-conflict-rest").click()
    expect(page.get_by_test_id("declare-rest")).to_have_count(0)

    for criterion in criteria:
        page.locator(f"[name={field_name(made[0].id, criterion.id)}]").fill("7")
    page.locator(f"[name={field_name(made[1].id, criteria[0].id)}]").fill("4")  # typed, not yet saved
    page.get_by_test_id(f"save-row-{made[0].id}").click()
    expect(progress).to_have_attribute("value", "1")  # swapped out of band with the row
    expect(page.locator(f"[name={field_name(made[1].id, criteria[0].id)}]")).to_have_value("4")  # left alone

    page.get_by_test_id(f"conflict-{made[2].id}").click()
    expect(page.get_by_test_id("irreversible")).to_be_visible()
    page.locator("#kind").select_option("relative")
    page.locator("#note").fill("เป็นญาติ")
    page.locator("#understood").check()
    page.get_by_test_id("declare-conflict").click()  # data-confirm asks first; the dialog is accepted
    expect(progress).to_have_attribute("max", "2")
    expect(page.get_by_test_id(f"sheet-row-{made[2].id}").locator("input")).to_have_count(0)


def test_a_supervisor_finds_a_nominee_by_typing(page, live_server, org, make_person):
    today = local_now().date()
    first, last = fiscal_year_bounds(fiscal_year_of(today))
    award_round = rounds.create_round(fiscal_year_of(today), max(first, today - timedelta(days=1)),
                                      min(last, today + timedelta(days=14)))
    wanted = make_person(org["units"]["dev_team"], first_name="วิไลวรรณ", position="นักวิชาการ")
    db.session.commit()
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server}/recognition/rounds/{award_round.id}/nominate")
    page.get_by_role("searchbox").fill("วิไล")
    choices = page.get_by_test_id("person-choices").locator("input[type=radio]")
    expect(choices).to_have_count(1)
    expect(page.get_by_test_id("person-choices")).to_contain_text("นักวิชาการ")
    choices.check()
    for textarea in page.locator("textarea").all():
        textarea.fill("ซื่อสัตย์ เสียสละ")
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page.get_by_test_id("nomination-status")).to_be_visible()
    expect(page.locator("h1")).to_have_text(wanted.full_name)

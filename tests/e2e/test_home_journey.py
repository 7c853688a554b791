"""The start page in a real browser: an employee sees the survey waiting for them, follows it,
answers, and finds it gone from the start page."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_foundation_journeys import sign_in, world  # noqa: F401  # fixture
from tests.survey.conftest import make_campaign  # noqa: F401  # fixture


def test_an_employee_follows_the_open_survey_from_the_start_page(page, live_server, world, make_campaign):  # noqa: F811
    campaign = make_campaign()
    sign_in(page, live_server, "employee")
    waiting = page.get_by_test_id("waiting-employee")
    expect(waiting).to_contain_text(campaign.title)
    waiting.get_by_role("link", name="ตอบแบบสำรวจ").click()
    expect(page).to_have_url(re.compile(rf"/survey/{campaign.id}$"))
    expect(page.get_by_role("heading", name=campaign.title)).to_be_visible()
    for group in page.locator("[role=radiogroup]").all():
        group.get_by_label("5").check()
    page.get_by_role("button", name="ส่งคำตอบ").click()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    page.goto(f"{live_server}/")
    expect(waiting.get_by_test_id("empty")).to_be_visible()
    expect(waiting.get_by_role("link", name="ตอบแบบสำรวจ")).to_have_count(0)

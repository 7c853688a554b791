"""What the survey puts on the start page: the person's unanswered survey, HR's open campaigns."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.survey import answering, campaigns, waiting
from tests.home import in_english, shown  # noqa: F401  # fixture
from tests.survey.conftest import all_fives

pytestmark = pytest.mark.usefixtures("in_english")


def test_an_open_survey_shows_until_the_person_answers_it(org, make_campaign):
    employee, today = org["accounts"]["employee"], local_now().date()
    assert waiting.unanswered(employee, today) == []
    campaign = make_campaign()
    (item,) = waiting.unanswered(employee, today)
    assert (str(item.label), item.url) == ("Answer the survey", f"/survey/{campaign.id}")
    assert campaign.title in item.detail and "Open until" in item.detail
    answering.submit(campaign.id, org["people"]["me"].id, all_fives(campaign), "")
    assert waiting.unanswered(employee, today) == []
    assert answering.campaigns_for(org["people"]["me"].id, today) == [(campaign, True)]  # the survey page's list


def test_only_the_people_it_is_open_to_and_only_within_its_dates(org, make_campaign):
    employee, today = org["accounts"]["employee"], local_now().date()
    make_campaign(unit_ids=[org["units"]["audit"].id])  # not the employee's unit
    assert waiting.unanswered(employee, today) == []
    ours = make_campaign(fiscal_year=2571)
    assert len(waiting.unanswered(employee, today)) == 1
    assert waiting.unanswered(employee, ours.closes_on + timedelta(days=1)) == []
    answering.close_campaign(ours)
    db.session.commit()
    assert waiting.unanswered(employee, today) == []
    assert waiting.unanswered(org["accounts"]["committee"], today) == []  # an account without a person


def test_hr_sees_each_open_campaign_with_how_many_answered(org, make_campaign, client, auth):
    hr, today = org["accounts"]["hr"], local_now().date()
    make_campaign(fiscal_year=2569, open_it=False)
    assert waiting.open_campaigns(hr, today) == []
    campaign = make_campaign(fiscal_year=2570)
    answering.submit(campaign.id, org["people"]["me"].id, all_fives(campaign), "")
    db.session.commit()
    eligible = campaigns.turnout([campaign.id])[campaign.id].eligible
    assert eligible > 1
    (item,) = waiting.open_campaigns(hr, today)
    assert (str(item.label), item.count, item.url) == ("Morale survey taking answers", 1, "/survey/campaigns")
    assert item.detail.startswith(f"{campaign.title}: 1 of {eligible} answered · open until ")
    auth.login("hr")
    assert f'data-testid="turnout-{campaign.id}">1 / {eligible}<' in client.get("/survey/campaigns").text  # the same counts
    auth.login("employee")
    assert "turnout-" not in client.get("/survey/campaigns").text

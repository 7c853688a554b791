from __future__ import annotations

from datetime import timedelta

import pytest

from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.survey import campaigns


@pytest.fixture
def make_campaign(app):
    today = local_now().date()  # answering checks the real date, so the campaign is open around it

    def make(fiscal_year=2570, open_it=True, **audience):
        campaign = campaigns.create(campaigns.CampaignData(
            fiscal_year=fiscal_year, title=f"วัดระดับขวัญกำลังใจ {fiscal_year}", opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=30), **audience))
        db.session.commit()
        if open_it:
            campaigns.open_campaign(campaign)
            db.session.commit()
        return campaign

    return make


def all_fives(campaign, value=5):
    return {item.id: value for item in campaign.items}

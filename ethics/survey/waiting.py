"""What the survey puts on the start page: a survey the person has yet to answer; HR's open campaigns."""
from __future__ import annotations

from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ethics.core.i18n import thai_date
from ethics.survey import answering, campaigns
from ethics.survey.models import CampaignStatus
from ethics.web.home import WaitingItem, register


def unanswered(account, today: date) -> list[WaitingItem]:
    """Each campaign the person may answer today and has not (the survey page's own list)."""
    if account.person_id is None:
        return []
    return [WaitingItem(_("Answer the survey"), url_for("survey.answer", campaign_id=campaign.id),
                        detail=f"{campaign.title} · {_('Open until %(date)s', date=thai_date(campaign.closes_on))}")
            for campaign, answered in answering.campaigns_for(account.person_id, today) if not answered]


def open_campaigns(_account, today: date) -> list[WaitingItem]:
    """Each campaign taking answers with how many have answered, as the campaigns page counts them
    (not one scheduled for later: nobody can answer it yet)."""
    taking = [campaign for campaign in campaigns.listed()
              if campaign.status == CampaignStatus.OPEN and campaign.opens_on <= today]
    counts = campaigns.turnout([campaign.id for campaign in taking])
    return [WaitingItem(_("Morale survey taking answers"), url_for("survey.campaign_list"), counts[campaign.id].answered,
                        detail=_("%(title)s: %(answered)d of %(eligible)d answered · open until %(date)s",
                                 title=campaign.title, answered=counts[campaign.id].answered,
                                 eligible=counts[campaign.id].eligible, date=thai_date(campaign.closes_on)))
            for campaign in taking]


def provide(app: Flask) -> None:
    register(app, "employee", unanswered, _l("a morale survey open to you that you have not answered"))
    register(app, "hr", open_campaigns, _l("morale campaigns taking answers"))

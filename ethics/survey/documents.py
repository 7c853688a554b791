"""The results PDF: a readable report (summary, charts, then the tables). The whole province's
runs to many pages, so it is kept while its HTML stays the same (ethics.core.kept_documents) and
made by the worker as soon as the campaign closes, before anyone asks for it."""
from __future__ import annotations

from ethics.core.documents import render_pdf
from ethics.core.extensions import db
from ethics.core.tasks import task
from ethics.survey.charts import ResultCharts
from ethics.survey.models import CampaignStatus, MoraleCampaign
from ethics.survey.results import CampaignResults, campaign_results


def results_pdf(outcome: CampaignResults) -> bytes:
    """A reader's results as PDF: the province's whole results kept, a supervisor's slice made for them."""
    return render_pdf("survey/results_pdf.html",
                      keep_as=f"survey-results-{outcome.campaign.id}" if outcome.whole else None,
                      outcome=outcome, charts=ResultCharts(outcome))


@task()
def lay_out_results(campaign_id: int) -> None:
    """Make a just-closed campaign's results PDF, so HR's first download is served at once."""
    campaign = db.session.get(MoraleCampaign, campaign_id)
    if campaign is not None and campaign.status == CampaignStatus.CLOSED:
        results_pdf(campaign_results(campaign))

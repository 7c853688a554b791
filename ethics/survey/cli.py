import click
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.importing.cli import run_export_command
from ethics.survey import exports, results
from ethics.survey.models import MoraleCampaign


@click.command("export-survey-results")
@click.option("--fiscal-year", "fiscal_year", required=True, type=int, help="Buddhist Era fiscal year, e.g. 2570.")
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="A .csv or .xlsx file.")
def export_survey_results(fiscal_year: int, output: str):
    """Export the aggregates of a closed campaign: group, dimension, item, n, mean, sd, level."""
    campaign = db.session.scalar(select(MoraleCampaign).where(MoraleCampaign.fiscal_year == fiscal_year))
    if campaign is None or not campaign.results_visible:
        click.echo(f"no closed morale campaign for fiscal year {fiscal_year}", err=True)
        raise SystemExit(1)
    run_export_command(output, exports.HEADER, exports.rows(results.campaign_results(campaign)))

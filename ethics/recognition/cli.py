import click

from ethics.importing.cli import run_export_command
from ethics.recognition.exports import HEADER, rows


@click.command("export-nominations")
@click.option("--fiscal-year", "fiscal_year", required=True, type=int, help="The round's year (B.E.).")
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="A .csv or .xlsx file.")
def export_nominations(fiscal_year: int, output: str):
    """Export the nominations of the fiscal year's round."""
    run_export_command(output, HEADER, rows(fiscal_year))

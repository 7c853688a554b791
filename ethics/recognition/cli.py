import click

from ethics.recognition.exports import HEADER, rows
from ethics.spreadsheets import SpreadsheetError, write_file


@click.command("export-nominations")
@click.option("--fiscal-year", "fiscal_year", required=True, type=int, help="The round's year (B.E.).")
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="A .csv or .xlsx file.")
def export_nominations(fiscal_year: int, output: str):
    """Export the nominations of the fiscal year's round."""
    try:
        write_file(output, HEADER, rows(fiscal_year))
    except SpreadsheetError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    click.echo(f"wrote {output}")

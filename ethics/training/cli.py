import click

from ethics.core.extensions import db
from ethics.importing.cli import run_export_command, run_import_command
from ethics.training.exports import ATTENDANCE_HEADER, attendance_rows
from ethics.training.summary import rebuild


@click.command("import-training-records")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
def import_training_records(file: str, dry_run: bool):
    """Import historical sign-in sheets: one row per person per session day."""
    run_import_command("training-records", file, dry_run)


@click.command("export-attendance")
@click.option("--fiscal-year", "fiscal_year", required=True, type=int, help="Buddhist Era fiscal year, e.g. 2570.")
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="A .csv or .xlsx file.")
def export_attendance(fiscal_year: int, output: str):
    """Export one row per person per session of the fiscal year."""
    run_export_command(output, ATTENDANCE_HEADER, attendance_rows(fiscal_year))


@click.command("rebuild-summaries")
def rebuild_summaries():
    """Recompute the training summaries the report counts from, from the attendance and results."""
    rebuild(db.session.connection())
    db.session.commit()
    click.echo("training summaries rebuilt")

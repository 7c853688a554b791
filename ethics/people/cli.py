import click

from ethics.importing.cli import run_export_command, run_import_command
from ethics.people.exports import roster_rows
from ethics.people.imports import ROSTER_HEADER


@click.command("import-units")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
def import_units(file: str, dry_run: bool):
    """Import org units (code, name_th, name_en, parent_code) from CSV or XLSX."""
    run_import_command("units", file, dry_run)


@click.command("import-roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--deactivate-missing", is_flag=True, help="Mark active people absent from the file inactive.")
def import_roster(file: str, dry_run: bool, deactivate_missing: bool):
    """Import the staff roster from CSV or XLSX, matching people by citizen ID."""
    run_import_command("roster", file, dry_run, {"deactivate_missing": deactivate_missing})


@click.command("export-roster")
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="A .csv or .xlsx file.")
def export_roster(output: str):
    """Export active people in the import's columns."""
    run_export_command(output, ROSTER_HEADER, roster_rows())

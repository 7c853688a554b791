from pathlib import Path

import click

from ethics.core.extensions import db
from ethics.importing.cli import run_import_command
from ethics.plan import exports, report
from ethics.plan.services import PlanError, copy_plan, plan_for, snapshot_named


@click.command("import-plan")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
def import_plan(file: str, dry_run: bool):
    """Import plans: fiscal_year, code, strategy, measure, activity, indicator, responsible, target, source."""
    run_import_command("plan", file, dry_run)


@click.command("copy-plan")
@click.option("--from", "source", required=True, type=int, help="Fiscal year to copy (B.E.).")
@click.option("--to", "target", required=True, type=int, help="Fiscal year to create (B.E.).")
def copy_plan_command(source: int, target: int):
    """Copy a plan's structure, sources and targets to another fiscal year (no values)."""
    try:
        copy_plan(source, target)
    except PlanError as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"copied the plan of {source} to {target}")


@click.command("export-report")
@click.option("--fiscal-year", "fiscal_year", required=True, type=int)
@click.option("--format", "fmt", required=True, type=click.Choice(["csv", "xlsx", "pdf"]))
@click.option("--output", required=True, type=click.Path(dir_okay=False))
@click.option("--snapshot", "snapshot_name", help="A locked snapshot's name instead of the live values.")
@click.option("--thai-digits", is_flag=True, help="Thai digits in the PDF.")
def export_report(fiscal_year: int, fmt: str, output: str, snapshot_name: str | None, thai_digits: bool):
    """Export the year's report in the seed's layout."""
    plan = plan_for(fiscal_year)
    if plan is None:
        click.echo(f"no plan for fiscal year {fiscal_year}", err=True)
        raise SystemExit(1)
    snapshot = snapshot_named(plan, snapshot_name) if snapshot_name else None
    if snapshot_name and snapshot is None:
        click.echo(f"no snapshot named {snapshot_name} for fiscal year {fiscal_year}", err=True)
        raise SystemExit(1)
    rows = snapshot.rows if snapshot else report.rows(plan)
    body = {"csv": lambda: exports.to_csv(rows), "xlsx": lambda: exports.to_xlsx(rows, fiscal_year),
            "pdf": lambda: exports.to_pdf(rows, fiscal_year, thai_digits, snapshot)}[fmt]()
    Path(output).write_bytes(body)
    click.echo(f"wrote {output}")

"""The shared behaviour of the `import-*` and `export-*` commands: output, errors, exit status."""
from __future__ import annotations

from pathlib import Path

import click
from flask_babel import force_locale

from ethics.core.extensions import db
from ethics.core.spreadsheets import SpreadsheetError, TooManyRows, write_file
from ethics.importing import services


def run_import_command(kind: str, file: str, dry_run: bool, options: dict | None = None) -> None:
    """Check the file; on any bad row print only `row N: column: reason` lines, write nothing and exit 1;
    otherwise apply unless --dry-run.
    A file over ETHICS_MAX_IMPORT_ROWS prints `file: more than N rows` (no row checked); the
    problems shown are the first MAX_REPORTED_ERRORS, then `and N more`."""
    importer = services.REGISTRY[kind]
    path = Path(file)
    with force_locale("en"):
        try:
            # the command line is the server's operator, who holds every role
            plan = services.run(importer, path.name, path.read_bytes(), {**(options or {}), "by_admin": True},
                                apply=not dry_run)
        except TooManyRows as error:
            db.session.rollback()
            click.echo(f"file: more than {error.limit} rows", err=True)
            raise SystemExit(1) from None
        except (SpreadsheetError, OSError) as error:
            db.session.rollback()
            click.echo(f"{file}: {error}", err=True)
            raise SystemExit(1) from None
        if not plan.ok:
            db.session.rollback()
            for line in plan.errors.lines():  # the problems only: no counts of a change that was not made
                click.echo(line, err=True)
            raise SystemExit(1)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        click.echo(plan.summary())
        if dry_run:
            click.echo("dry run: nothing written")


def run_export_command(output: str, header: list[str], rows) -> None:
    """Write a .csv or .xlsx export; an unsupported file name prints why and exits 1."""
    try:
        write_file(output, header, rows)
    except SpreadsheetError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    click.echo(f"wrote {output}")

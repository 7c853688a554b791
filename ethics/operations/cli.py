"""backup and restore; output in English and exit codes for scripts and cron."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ethics.operations.backup import OperationError, make_backup
from ethics.operations.restore import restore_backup

FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("backup")
@click.option("--output", required=True, type=FILE, help="The file to write; it must not exist yet.")
@with_appcontext
def backup_command(output: Path) -> None:
    """Back up the database while the application serves (SQLite: compressed copy; PostgreSQL: pg_dump)."""
    try:
        backup = make_backup(output)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written: {backup.path} ({backup.engine}, {backup.size} bytes, sha256 {backup.sha256})")


@click.command("restore")
@click.argument("file", type=FILE)
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore a backup into an empty database, then verify its audit chain (exit 1 when broken)."""
    try:
        restored = restore_backup(file, force)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored {file} ({restored.engine}, sha256 {restored.sha256})")
    if not restored.at_head:
        click.echo(f"the backup's schema is at revision {restored.revision or 'none'}: "
                   "run `flask --app ethics db upgrade` before starting the application")
    problem = restored.verification.problem
    if problem is not None:
        click.echo(f"audit {problem}", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain intact ({restored.verification.entries} entries)")

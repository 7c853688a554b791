"""audit-verify and audit-checkpoint; output in English and exit codes for scripts."""
from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from ethics.audit.services import ChainBreak, Checkpoint, keep_verification, latest_checkpoint, verify
from ethics.core.database import read_only
from ethics.core.extensions import db


def _checkpoint(_ctx, _param, value: str | None) -> Checkpoint | None:
    if value is None:
        return None
    try:
        return Checkpoint.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _keep(result) -> None:
    """Keep the outcome for the start page; a database that cannot take it (read-only, or not yet
    migrated) is said on stderr and changes neither the output nor the exit code scripts rely on."""
    try:
        keep_verification(result, by="command")
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        click.echo(f"warning: the outcome was not kept for the start page ({type(error).__name__})", err=True)


@click.command("audit-verify")
@click.option("--checkpoint", callback=_checkpoint, metavar='"checkpoint SEQ HASH"',
              help="A line audit-checkpoint printed earlier: also fail unless that entry is still there with that hash.")
def audit_verify(checkpoint: Checkpoint | None):
    """Check the audit log's keyed hash chain (and a kept checkpoint); exit 1 naming the first broken entry."""
    with read_only():  # on SQLite: a reading transaction, which does not hold writers up
        result = verify(checkpoint)
    _keep(result)
    if isinstance(result.problem, ChainBreak):
        click.echo(f"audit chain broken at {result.problem}", err=True)
        raise SystemExit(1)
    if result.problem is not None:
        click.echo(f"audit {result.problem}", err=True)
        raise SystemExit(1)
    summary = f"{result.entries} entries"
    if result.unkeyed:
        summary += f", the first {result.unkeyed} unkeyed from before the log was keyed"
    if checkpoint is not None:
        summary += f"; checkpoint {checkpoint.seq} present"
    click.echo(f"audit chain intact ({summary})")


@click.command("audit-checkpoint")
def audit_checkpoint():
    """Print the line `checkpoint SEQ HASH` of the last entry, to keep away from the database server."""
    with read_only():
        click.echo(str(latest_checkpoint()))

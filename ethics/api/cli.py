"""`flask --app ethics create-token`: a token for a system to use, printed alone on one line."""
from __future__ import annotations

import click
from sqlalchemy import select

from ethics.api import tokens
from ethics.auth.models import Account
from ethics.core.extensions import db


@click.command("create-token")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for; the audit log names each use by it.")
@click.option("--scope", "scopes", multiple=True, required=True, help=f"One of {', '.join(tokens.SCOPES)}.")
@click.option("--days", default=tokens.DEFAULT_DAYS, show_default=True, type=int, help="Days until it expires.")
def create_token(username: str, name: str, scopes: tuple[str, ...], days: int):
    """Create a personal access token for USERNAME and print it (it is shown this once)."""
    account = db.session.scalar(select(Account).where(Account.username == username))
    if account is None:
        click.echo(f"no account is named {username}", err=True)
        raise SystemExit(1)
    try:
        issued = tokens.issue(account, name, list(scopes), days)
    except tokens.TokenRefused as refusal:
        db.session.rollback()
        click.echo(str(refusal.message), err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(issued.secret)

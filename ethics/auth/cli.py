import sys

import click

from ethics.auth.models import ROLES
from ethics.auth.services import AuthError, create_account_with_password
from ethics.core.extensions import db
from ethics.people.services import find_person_by_citizen_id


@click.command("create-user")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--citizen-id", help="Link the account to the person with this citizen ID.")
def create_user(username: str, roles: tuple[str, ...], citizen_id: str | None):
    """Create an account; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\r\n")
    person_id = None
    if citizen_id:
        person = find_person_by_citizen_id(citizen_id)
        if person is None:
            click.echo("no person has that citizen ID", err=True)
            raise SystemExit(1)
        person_id = person.id
    try:
        create_account_with_password(username, set(roles), password, person_id)
    except AuthError as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"created {username} ({', '.join(sorted(set(roles)))})")

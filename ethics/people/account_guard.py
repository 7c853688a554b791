"""Whose email only an administrator may change, learned without importing accounts.

A sign-in link is mailed to the email on the person's record, so whoever may change that email
may take over the account it belongs to. For an account holding the committee, HR or admin
role, only an administrator may. The accounts domain sits above people: it declares itself to
the app as the one that knows (`provide`, from its init_app), and people ask through the app.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from ethics.core.refusals import Refusal

EXTENSION = "ethics.privileged_people"


def provide(app: Flask, privileged: Callable[[int], bool]) -> None:
    """Make `privileged(person_id)` the app's answer to "does this person's account hold a role
    only an administrator may manage"."""
    app.extensions[EXTENSION] = privileged


def check_email_change(person_id: int, old: str, new: str, by_admin: bool) -> None:
    privileged = current_app.extensions.get(EXTENSION)
    if old.strip().lower() != new.strip().lower() and not by_admin and privileged and privileged(person_id):
        raise Refusal(_l("Only an administrator may change the email of a person whose account holds the committee, "
                         "HR or admin role: sign-in links are mailed to it."), field="email")

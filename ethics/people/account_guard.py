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


ONLY_ADMIN = _l("Only an administrator may change the email of a person whose account holds the committee, "
                "HR or admin role: sign-in links are mailed to it.")


def provide(app: Flask, privileged_among: Callable[[list[int]], set[int]]) -> None:
    """Make `privileged_among(person_ids)` the app's answer to "whose account among these holds a
    role only an administrator may manage"."""
    app.extensions[EXTENSION] = privileged_among


def privileged_among(person_ids: list[int]) -> set[int]:
    ask = current_app.extensions.get(EXTENSION)
    return ask(person_ids) if ask and person_ids else set()


def check_email_change(person_id: int, old: str, new: str, by_admin: bool) -> None:
    if old.strip().lower() != new.strip().lower() and not by_admin and privileged_among([person_id]):
        raise Refusal(ONLY_ADMIN, field="email")

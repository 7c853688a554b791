"""What a domain rule says when it refuses a change: a message for the user, and the form
field it belongs next to when there is one. Views never catch these one by one: the unit of
work (ethics.web.unit_of_work) rolls back and shows them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

NOT_FOUND = _l("This page does not exist, or you cannot see it.")
STALE = _l("Someone else changed this record while you were editing it. Reload the page to see the latest version.")


class Refusal(Exception):
    """A rule refused a change. `status` is what a request that cannot show it on a page
    answers: 422 for a value the user can correct, 409 for a record that moved on."""

    status = 422
    category = "error"  # how a flashed refusal is styled

    def __init__(self, message=None, field: str | None = None):
        message = message if message is not None else self.default_message()
        super().__init__(str(message))
        self.message = message
        self.field = field

    @classmethod
    def default_message(cls):
        return ""


class NotFound(Refusal):
    """What was asked for is not there, or not for this reader (a guessed or stale id)."""

    status = 404

    @classmethod
    def default_message(cls):
        return NOT_FOUND


class StaleEdit(Refusal):
    """The record changed since the form was loaded."""

    status = 409

    @classmethod
    def default_message(cls):
        return STALE

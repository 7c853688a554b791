"""The selection's refusals: a field's value (shown on the form) or a closed stage (409)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ethics.errors import FieldError


class RecognitionError(FieldError):
    """A selection rule refused a value."""


class StageClosed(Exception):
    """The round has moved past the stage this change belongs to; answered with 409."""

    def __init__(self, message=None):
        super().__init__(str(message or MOVED_ON))
        self.message = message or MOVED_ON


MOVED_ON = _l("This round has moved past this stage, so the change was not made. Reload the page to see where it "
              "stands.")
FINALISED = _l("The round has been finalised: scores and declarations can no longer change.")

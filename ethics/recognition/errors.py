"""The selection's refusals: a field's value (shown on the form) or a stage the round has left (409)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ethics.core.refusals import Refusal


class RecognitionError(Refusal):
    """A selection rule refused a value."""


class StageClosed(Refusal):
    """The round has moved past the stage this change belongs to."""

    status = 409

    @classmethod
    def default_message(cls):
        return MOVED_ON


MOVED_ON = _l("This round has moved past this stage, so the change was not made. Reload the page to see where it "
              "stands.")
FINALISED = _l("The round has been finalised: scores and declarations can no longer change.")

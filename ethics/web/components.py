"""What the interface components in templates/_macros.html need from Python: a table column's
spec, and the colour family (tone) of a state, so that every page colours a state alike."""
from __future__ import annotations

from flask import Flask

# A state's value (the StrEnums of the domains) -> its badge's tone. The badge always shows the
# state's words; the tone only repeats them. Values not listed are neutral (drafts, planned ...).
TONES = {
    "success": ("held", "confirmed", "done", "sent", "eligible", "selected", "finalised", "announced", "passed"),
    "info": ("open", "nominating", "screening", "scoring", "submitted", "queued", "checking", "ready", "applying",
             "sending"),
    "warning": ("waitlisted",),
    "danger": ("cancelled", "failed", "invalid", "interrupted", "ineligible"),
}
TONE_OF = {value: tone for tone, values in TONES.items() for value in values}


def tone(status: object) -> str:
    return TONE_OF.get(str(status), "neutral")


def column(label: object, numeric: bool = False, sortable: bool = False) -> dict:
    """One column of data_table(): numbers align right; a sortable column gets a sort button."""
    return {"label": label, "numeric": numeric, "sortable": sortable}


def init_app(app: Flask) -> None:
    app.jinja_env.filters["tone"] = tone
    app.jinja_env.globals["column"] = column

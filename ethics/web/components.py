"""What the interface components in templates/_macros.html need from Python: a table column's
spec, the colour family (tone) of a state, so that every page colours a state alike, and a list's
query arguments made safe to build its links from."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

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


def url_args(args: Mapping[str, str], only: Iterable[str] | None = None) -> dict[str, str]:
    """A request's query arguments, to build links to the same list with url_for: never url_for's
    own keywords (`endpoint`, `_external`, `_anchor`, `_method`, `_scheme`), which a crafted
    address would otherwise turn into an error page or absolute links; only `only`'s when given."""
    kept = None if only is None else set(only)
    return {name: value for name, value in args.items()
            if name != "endpoint" and not name.startswith("_") and (kept is None or name in kept)}


def init_app(app: Flask) -> None:
    app.jinja_env.filters["tone"] = tone
    app.jinja_env.filters["url_args"] = url_args
    app.jinja_env.globals["column"] = column

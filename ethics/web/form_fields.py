"""Form fields every domain uses: Buddhist Era dates, optional ids, checkbox lists, multi-line text."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from ethics.core.fiscal import format_input_date, parse_date


class ThaiDateField(StringField):
    """A date typed as DD/MM/YYYY in the Buddhist Era (or YYYY-MM-DD)."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw:
            try:
                self.data = parse_date(self.raw)
            except ValueError:
                raise ValueError(_l("Enter a real date as DD/MM/YYYY in the Buddhist Era, e.g. 01/10/2569.")) from None

    def _value(self):
        return self.raw if getattr(self, "raw", None) else format_input_date(self.data)


def unix_lines(text: str) -> str:
    """A textarea's text with its lines ending in LF: browsers send CRLF, and a record saved
    unchanged must store the same text it was shown with."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class LinesField(TextAreaField):
    """A textarea whose lines are kept exactly, whatever line ending the browser sends."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = unix_lines(self.data)


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None




class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def first_error(form) -> str:
    """A refused form's first message, for a page that shows it as a flash rather than beside a field."""
    return next(str(error) for errors in form.errors.values() for error in errors)

"""The form every domain's forms derive from, and the fields they share: Buddhist Era dates,
optional ids, checkbox lists, multi-line text."""
from __future__ import annotations

from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from ethics.core.fiscal import format_input_date, parse_date
from ethics.core.text import HIDDEN_CHARACTERS, has_hidden_characters, unix_lines


class AppForm(FlaskForm):
    """A form with CSRF whose text, in every field and sub-form, holds no control or
    text-direction characters (tab and line breaks only in multi-line fields)."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in _leaf_fields(self):
            if isinstance(field.data, str) and has_hidden_characters(field.data, isinstance(field, TextAreaField)):
                field.errors = [*field.errors, HIDDEN_CHARACTERS]
                valid = False
        return valid


def _leaf_fields(fields) -> Iterator[Field]:
    for field in fields:
        if isinstance(field, FieldList):
            yield from _leaf_fields(field.entries)
        elif isinstance(field, FormField):
            yield from _leaf_fields(field.form)
        else:
            yield field


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

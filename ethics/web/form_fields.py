"""The form every domain's forms derive from, and the fields they share: dates in the reader's
era, 24-hour times, optional ids, checkbox lists, multi-line text."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field, FieldList, FormField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from ethics.core.fiscal import DATE_MASKS, YEARS, EraMismatch, format_input_date, parse_date, parse_time, to_ce
from ethics.core.i18n import TranslatedMeta, current_locale
from ethics.core.text import HIDDEN_CHARACTERS, has_hidden_characters, unix_lines


class AppForm(FlaskForm):
    """A form with CSRF whose text, in every field and sub-form, holds no control or
    text-direction characters (tab and line breaks only in multi-line fields), and whose
    built-in messages are in the reader's language."""

    Meta = TranslatedMeta

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


class DateInput(TextInput):
    """A date's text input, still typeable, that static/datepicker.js gives a calendar in the
    reader's era (`data-datepicker`), with the format shown under it on every date field."""

    def __call__(self, field, **kwargs):
        locale = current_locale()
        hint_id = f"{kwargs.get('id', field.id)}-format"
        kwargs.setdefault("placeholder", DATE_MASKS[locale])
        kwargs["aria-describedby"] = " ".join(filter(None, (kwargs.get("aria-describedby"), hint_id)))
        kwargs.update({
            "autocomplete": "off", "data-datepicker": "be" if locale == "th" else "ce",
            "data-datepicker-min": date(to_ce(YEARS.start), 1, 1).isoformat(),
            "data-datepicker-max": date(to_ce(YEARS.stop - 1), 12, 31).isoformat(),
            "data-datepicker-open": _("Open the calendar"), "data-datepicker-calendar": _("Calendar"),
            "data-datepicker-year": _("Year"),
            "data-datepicker-previous": _("Previous month"), "data-datepicker-next": _("Next month"),
        })
        hint = (_("DD/MM/YYYY in the Buddhist Era, e.g. 01/10/2569.") if locale == "th"
                else _("DD/MM/YYYY, e.g. 01/10/2026."))
        # The box is rendered here rather than by the script, which then never moves a field being typed in.
        return Markup('<div class="datepicker">{}</div><small id="{}" class="date-format">{}</small>').format(
            super().__call__(field, **kwargs), hint_id, hint)


class TypedField(StringField):
    """A value typed as text and parsed by `parse` (which raises ValueError with the message to
    show); a refused text is shown back as typed, a value as `show` writes it."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None  # also when refused: never the record's old value
        if self.raw:
            self.data = self.parse(self.raw)

    def _value(self):
        if getattr(self, "raw", None):
            return self.raw
        return "" if self.data is None else self.show(self.data)

    def parse(self, text: str):
        raise NotImplementedError

    def show(self, value) -> str:
        raise NotImplementedError


class ThaiDateField(TypedField):
    """A date typed as DD/MM/YYYY in the reader's era (Buddhist in Thai, Common in English), or
    YYYY-MM-DD; in Thai a Common Era year is refused with the year to type instead."""

    widget = DateInput()

    def parse(self, text: str) -> date:
        locale = current_locale()
        try:
            return parse_date(text, locale)
        except EraMismatch as mismatch:
            raise ValueError(_l("Type the year in the Buddhist Era: %(typed)s is %(meant)s.",
                                typed=mismatch.typed, meant=mismatch.meant)) from None
        except ValueError:
            raise ValueError(_l("Enter a real date as DD/MM/YYYY in the Buddhist Era, e.g. 01/10/2569.")
                             if locale == "th" else _l("Enter a real date as DD/MM/YYYY, e.g. 01/10/2026.")) from None

    def show(self, value: date) -> str:
        return format_input_date(value, current_locale())


class TimeInput(TextInput):
    """A typeable 24-hour HH:MM text input: a browser's time input shows 09:00 AM in English."""

    def __call__(self, field, **kwargs):
        for name, value in (("inputmode", "numeric"), ("pattern", "([01]?[0-9]|2[0-3])[:.]?[0-5][0-9]"),
                            ("placeholder", "09:00"), ("maxlength", "5"), ("autocomplete", "off")):
            kwargs.setdefault(name, value)
        return super().__call__(field, **kwargs)


class TimeOfDayField(TypedField):
    """A time of day typed in 24 hours (09:00, 9.00 or 0900)."""

    widget = TimeInput()

    def parse(self, text: str) -> time:
        try:
            return parse_time(text)
        except ValueError:
            raise ValueError(_l("Enter a time as HH:MM in 24 hours, e.g. 09:00 or 13:30.")) from None

    def show(self, value: time) -> str:
        return f"{value:%H:%M}"


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

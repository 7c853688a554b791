"""The form that creates a personal access token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from ethics.api.tokens import DEFAULT_DAYS, MAX_DAYS
from ethics.web.form_fields import AppForm, CheckboxesField


class TokenForm(AppForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])
    scopes = CheckboxesField(_l("Scopes"), validators=[DataRequired(message=_l("Choose at least one scope."))])
    days = IntegerField(_l("Days until it expires"), default=DEFAULT_DAYS,
                        validators=[DataRequired(), NumberRange(min=1, max=MAX_DAYS)])

"""Forms of accounts and passwords: the account form `load`s what `obj=` cannot show and gives
`to_data()` for the service."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from ethics.auth.models import Account
from ethics.auth.services import AccountChanges
from ethics.web.form_fields import AppForm, CheckboxesField


class LoginForm(AppForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=150)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class NewPasswordMixin:
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])


class ChangePasswordForm(NewPasswordMixin, AppForm):
    old_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])


class AcceptInvitationForm(NewPasswordMixin, AppForm):
    pass


class AccountForm(AppForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=2, max=150),
        Regexp(r"^[A-Za-z0-9._@-]+$", message=_l("Use letters, digits and . _ @ - only.")),
    ])
    roles = CheckboxesField(_l("Roles"), validators=[DataRequired(message=_l("Choose at least one role."))])
    person_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    supervised_unit_ids = SelectMultipleField(_l("Units supervised (with their sub-units)"), coerce=int)
    active = BooleanField(_l("Active"), default=True)
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def load(self, account: Account) -> None:
        self.roles.data = sorted(account.roles)
        self.supervised_unit_ids.data = account.supervised_unit_ids

    def to_data(self, person_id: int | None) -> AccountChanges:
        """The account's person comes from the page's address, never from the form."""
        return AccountChanges(username=self.username.data, roles=set(self.roles.data), person_id=person_id,
                              supervised_unit_ids=set(self.supervised_unit_ids.data or []), active=self.active.data)

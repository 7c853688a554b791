"""Forms of people and units: a form that edits a record is built with `obj=record`, `load`s on
a GET what `obj=` cannot show, and gives its service's data with `to_data()`."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from ethics.core.i18n import current_locale
from ethics.people.citizen_id import normalise
from ethics.people.models import PERSONNEL_TYPE_LABELS, Person
from ethics.people.services import PersonData, UnitData, unit_tree
from ethics.web.form_fields import AppForm, ThaiDateField, optional_int


def personnel_type_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, label) for kind, label in PERSONNEL_TYPE_LABELS.items()]


class PersonForm(AppForm):
    citizen_id = StringField(_l("Citizen ID"), validators=[Optional(), Length(max=20)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=64)])
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=120)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=120)])
    personnel_type = SelectField(_l("Personnel type"), choices=personnel_type_choices, validators=[DataRequired()])
    unit_id = SelectField(_l("Unit"), coerce=int, validators=[DataRequired()])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=255)])
    position_level = StringField(_l("Level"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("Email"), validators=[Optional(), Email(message=_l("Not a valid email address.")), Length(max=255)])
    supervisor_id = SelectField(_l("Supervisor"), coerce=optional_int,
                                validate_choice=False)
    service_start_date = ThaiDateField(_l("Service start date"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def validate_supervisor_id(self, field):
        if field.data is not None and field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError(_l("Choose a supervisor from the list."))

    def load(self, person: Person) -> None:
        self.citizen_id.data = ""  # shown masked as a placeholder; typed again only to change it

    def typed_citizen_id(self) -> str:
        return normalise(self.citizen_id.data or "")

    def to_data(self, person: Person | None) -> PersonData:
        """An empty citizen ID keeps the person's own."""
        return PersonData(
            citizen_id=self.typed_citizen_id() or (person.citizen_id if person else ""), title=self.title.data or "",
            first_name=self.first_name.data.strip(), last_name=self.last_name.data.strip(),
            personnel_type=self.personnel_type.data, unit_id=self.unit_id.data,
            position=self.position.data or "", position_level=self.position_level.data or "",
            email=self.email.data or "", supervisor_id=self.supervisor_id.data,
            service_start_date=self.service_start_date.data, active=self.active.data)


class UnitForm(AppForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name_th = StringField(_l("Name (Thai)"), validators=[DataRequired(), Length(max=255)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=255)])
    parent_id = SelectField(_l("Parent unit"), coerce=optional_int)
    signatory_id = SelectField(_l("Head, who signs its certificates"), coerce=optional_int)
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def to_data(self) -> UnitData:
        return UnitData(code=self.code.data.strip(), name_th=self.name_th.data.strip(),
                        name_en=(self.name_en.data or "").strip(), parent_id=self.parent_id.data,
                        signatory_id=self.signatory_id.data)


class SearchForm(AppForm):
    """The people list's search and filters, read from its address (or, for a search that must
    stay out of addresses, from the posted form); nothing changes, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    unit_id = SelectField(_l("Unit"), coerce=optional_int,
                          validate_choice=False)
    personnel_type = SelectField(_l("Personnel type"), validate_choice=False,
                                 choices=lambda: [SelectChoice("", _l("All types")), *personnel_type_choices()])
    status = SelectField(_l("Status"), validate_choice=False,
                         choices=[SelectChoice("active", _l("Active")), SelectChoice("inactive", _l("Inactive")),
                                  SelectChoice("all", _l("All"))])
    sort = SelectField(_l("Sort by"), validate_choice=False,
                       choices=[SelectChoice("name", _l("Name A-Z")), SelectChoice("-name", _l("Name Z-A")),
                                SelectChoice("unit", _l("Unit")), SelectChoice("type", _l("Personnel type"))])


SEARCH_FIELDS = ("q", "unit_id", "personnel_type", "status", "sort")


def kept_out_of_addresses(search: str) -> bool:
    """A search with a digit may hold a citizen ID (or its first digits): it is posted and never put
    in an address, where browser history, shared links and access logs would keep it; static/app.js
    posts such a search by the same rule."""
    return any(character.isdecimal() for character in search)


class FlagForm(AppForm):
    opened_on = ThaiDateField(_l("Opened on"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[DataRequired(), Length(max=2000)])


class CloseFlagForm(AppForm):
    closed_on = ThaiDateField(_l("Closed on"), validators=[InputRequired()])


def unit_choices(blank_label: str | None = None) -> list[SelectChoice]:
    """Every unit, indented under its parent, for a select; optionally a blank first choice."""
    choices = [SelectChoice(unit.id, "\u2003" * depth + f"{unit.code} {unit.name(current_locale())}")
               for unit, depth in unit_tree()]
    return ([SelectChoice("", blank_label)] if blank_label is not None else []) + choices

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ethics.people.forms import personnel_type_choices
from ethics.web.form_fields import CheckboxesField, ThaiDateField


class CampaignForm(FlaskForm):
    fiscal_year = IntegerField(_l("Fiscal year (B.E.)"), validators=[DataRequired(), NumberRange(2500, 2700)])
    title = StringField(_l("Campaign title"), validators=[DataRequired(), Length(max=255)])
    opens_on = ThaiDateField(_l("Opens on"), validators=[InputRequired()])
    closes_on = ThaiDateField(_l("Closes on"), validators=[InputRequired()])
    allow_comment = BooleanField(_l("Ask for a free-text comment"), default=True)
    unit_ids = SelectMultipleField(_l("Units (empty: all)"), coerce=int, validators=[Optional()])
    personnel_types = CheckboxesField(_l("Personnel types (none ticked: all)"), choices=personnel_type_choices)
    start_from = SelectField(_l("Start from"), choices=[SelectChoice("template", _l("The default template")),
                                                         SelectChoice("previous", _l("Last year's campaign"))])
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

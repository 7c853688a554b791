"""Forms of the survey: a campaign form `load`s what `obj=` cannot show and gives `to_data()`."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ethics.people.forms import personnel_type_choices
from ethics.survey.campaigns import MAX_ITEM_TEXT, CampaignData, ItemData
from ethics.survey.models import MoraleCampaign
from ethics.web.form_fields import AppForm, CheckboxesField, ThaiDateField


class CampaignForm(AppForm):
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

    def load(self, campaign: MoraleCampaign) -> None:
        self.unit_ids.data = campaign.audience.get("unit_ids", [])
        self.personnel_types.data = campaign.audience.get("personnel_types", [])

    def to_data(self) -> CampaignData:
        return CampaignData(
            fiscal_year=self.fiscal_year.data, title=self.title.data.strip(), opens_on=self.opens_on.data,
            closes_on=self.closes_on.data, allow_comment=self.allow_comment.data, unit_ids=self.unit_ids.data or [],
            personnel_types=self.personnel_types.data or [])


class ItemActionForm(AppForm):
    """What a button of the item editor acts on: an item, or (to add one) a dimension."""

    item_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    dimension_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])


class ItemForm(ItemActionForm):
    text_th = StringField(_l("Thai text"), validators=[DataRequired(), Length(max=MAX_ITEM_TEXT)])
    text_en = StringField(_l("English text"), validators=[Optional(), Length(max=MAX_ITEM_TEXT)])
    required = BooleanField(_l("Required"))  # unticked posts nothing: the item is optional

    def to_data(self) -> ItemData:
        return ItemData(self.text_th.data.strip(), (self.text_en.data or "").strip(), self.required.data)

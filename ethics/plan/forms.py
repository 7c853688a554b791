"""The plan's forms: an activity's definition and result text, a manual entry, copying a plan
and locking a snapshot. Their fields carry the names the plan's pages post."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ethics.people.forms import personnel_type_choices
from ethics.plan.services import ActivityData
from ethics.plan.sources import SOURCE_LABELS
from ethics.web.form_fields import AppForm, CheckboxesField, LinesField, ThaiDateField


class ActivityForm(AppForm):
    name = LinesField(_l("Activity"), validators=[DataRequired(), Length(max=2000)])
    indicator = StringField(_l("Performance indicator"), validators=[Optional(), Length(max=2000)])
    responsible = StringField(_l("Responsible"), validators=[Optional(), Length(max=2000)])
    target = StringField(_l("Target"), validators=[Optional(), Length(max=255)])
    source = SelectField(_l("Source"), choices=lambda: [SelectChoice(k.value, v) for k, v in SOURCE_LABELS.items()])
    personnel_types = CheckboxesField(_l("Count only these personnel types (none ticked: everyone)"),
                                      choices=personnel_type_choices)
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def to_data(self) -> ActivityData:
        return ActivityData(self.name.data, self.indicator.data or "", self.responsible.data or "",
                            self.target.data or "", self.source.data, self.personnel_types.data or [])


class ResultTextForm(AppForm):
    result_text = LinesField(_l("Result text"), validators=[Optional(), Length(max=4000)])
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

class EntryForm(AppForm):
    entry_date = ThaiDateField(_l("Date"), validators=[InputRequired()])
    value = StringField(_l("Value"), validators=[DataRequired(message=_l("Enter the value.")), Length(max=255)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    evidence = FileField(_l("Evidence (PDF or image, at most 10 MB)"), render_kw={"accept": ".pdf,.png,.jpg,.jpeg"})


class CopyForm(AppForm):
    to = IntegerField(_l("Fiscal year"), validators=[InputRequired(message=_l("Choose the fiscal year to copy the plan to."))])


class AutoSnapshotsForm(AppForm):
    on = BooleanField(_l("Lock the six-month report at the end of March and the annual report at the end of "
                         "September automatically"))


class SnapshotForm(AppForm):
    name = StringField(_l("Snapshot name"), validators=[DataRequired(message=_l("Give the snapshot a name.")),
                                                        Length(max=100)])

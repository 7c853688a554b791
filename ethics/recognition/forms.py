"""Forms of the selection. Justification and score forms get one field per criterion of the round."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ethics.people.forms import personnel_type_choices
from ethics.recognition.eligibility import RULE_LABELS
from ethics.recognition.models import TieBreak
from ethics.recognition.scoring import CONFLICT_LABELS
from ethics.web.form_fields import CheckboxesField, LinesField, ThaiDateField, optional_int

TIE_BREAK_LABELS = {TieBreak.CRITERION_ORDER: _l("Higher mean score on the first criterion, then the next"),
                    TieBreak.SERVICE_LENGTH: _l("Longer service")}


class CriterionForm(Form):
    id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    name = StringField(_l("Criterion"), validators=[Optional(), Length(max=255)])
    weight = DecimalField(_l("Weight"), places=2, default=1, validators=[Optional(), NumberRange(0.01, 100)])
    min_score = IntegerField(_l("Lowest score"), default=0, validators=[Optional(), NumberRange(0, 1000)])
    max_score = IntegerField(_l("Highest score"), default=10, validators=[Optional(), NumberRange(1, 1000)])


class RoundForm(FlaskForm):
    year = IntegerField(_l("Year (B.E.)"), validators=[InputRequired(), NumberRange(2500, 2700)])
    nominations_open = ThaiDateField(_l("Nominations open"), validators=[InputRequired()])
    nominations_close = ThaiDateField(_l("Nominations close"), validators=[InputRequired()])
    quota_total = IntegerField(_l("Awards in all (empty: no limit)"), validators=[Optional(), NumberRange(1, 10000)])
    quota_per_unit = IntegerField(_l("Awards per unit (empty: no limit)"), validators=[Optional(), NumberRange(1, 10000)])
    tie_break = SelectField(_l("Tie-break"), choices=lambda: [SelectChoice(k.value, v) for k, v in TIE_BREAK_LABELS.items()])
    tell_nominee_at_announcement = BooleanField(_l("Nominees learn of their nomination only at the announcement"),
                                                default=True)
    min_service_years = IntegerField(RULE_LABELS["min_service_years"], validators=[Optional(), NumberRange(1, 60)])
    personnel_types = CheckboxesField(RULE_LABELS["personnel_types"], choices=personnel_type_choices)
    position_levels = StringField(_l("Position levels (comma-separated; empty: any)"),
                                  validators=[Optional(), Length(max=500)])
    not_awarded_years = IntegerField(RULE_LABELS["not_awarded_years"], validators=[Optional(), NumberRange(1, 60)])
    no_disciplinary_flag = BooleanField(RULE_LABELS["no_disciplinary_flag"])
    ethics_course = BooleanField(RULE_LABELS["ethics_course"])
    criteria = FieldList(FormField(CriterionForm), min_entries=1, max_entries=12)
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])


class CommitteeForm(FlaskForm):
    account_id = SelectField(_l("Committee member"), coerce=optional_int)
    is_chair = BooleanField(_l("Chair"))


def nomination_form(criteria, with_person: bool):
    """A form with one justification box per criterion (and the person, for a new nomination)."""

    class NominationForm(FlaskForm):
        person_id = SelectField(_l("Nominee"), coerce=optional_int, validators=[DataRequired()])
        version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    if not with_person:
        del NominationForm.person_id
    for criterion in criteria:
        setattr(NominationForm, f"c{criterion.id}", LinesField(criterion.name, validators=[Length(max=4000)]))
    return NominationForm()


def score_form(criteria):
    class ScoreForm(FlaskForm):
        pass

    for criterion in criteria:
        setattr(ScoreForm, f"s{criterion.id}", IntegerField(
            f"{criterion.name} ({criterion.min_score}-{criterion.max_score})",
            validators=[DataRequired(), NumberRange(criterion.min_score, criterion.max_score)]))
        setattr(ScoreForm, f"n{criterion.id}", StringField(_l("Comment"), validators=[Optional(), Length(max=2000)]))
    return ScoreForm()


class EvidenceForm(FlaskForm):
    file = FileField(_l("Evidence file (PDF, PNG or JPEG, at most 5 MB)"), validators=[FileRequired()])


class OverrideForm(FlaskForm):
    rule = SelectField(_l("Rule"), choices=lambda: [SelectChoice(k, v) for k, v in RULE_LABELS.items()])
    passed = SelectField(_l("Rule result"), choices=lambda: [SelectChoice("yes", _l("Passes")),
                                                        SelectChoice("no", _l("Does not pass"))])
    reason = LinesField(_l("Reason for the override"), validators=[DataRequired(), Length(max=2000)])


class ConflictForm(FlaskForm):
    kind = SelectField(_l("Conflict of interest"), choices=lambda: [SelectChoice(k.value, v)
                                                                   for k, v in CONFLICT_LABELS.items()])
    note = LinesField(_l("Note"), validators=[Optional(), Length(max=2000)])

"""Forms of the selection. Justification and score forms get one field per criterion of the round.
As in every domain, a form that edits a record `load`s it for a GET and gives its service's data
with `to_data()`."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ethics.core.i18n import TranslatedMeta
from ethics.people.forms import personnel_type_choices
from ethics.recognition.eligibility import RULE_LABELS
from ethics.recognition.models import AwardRound, ConflictKind, TieBreak
from ethics.recognition.rounds import DEFAULT_CRITERIA, CriterionData, RoundData
from ethics.recognition.scoring import CONFLICT_LABELS
from ethics.recognition.sheet import field_name
from ethics.web.form_fields import AppForm, CheckboxesField, LinesField, ThaiDateField, optional_int

TIE_BREAK_LABELS = {TieBreak.CRITERION_ORDER: _l("Higher mean score on the first criterion, then the next"),
                    TieBreak.SERVICE_LENGTH: _l("Longer service")}


class CriterionForm(Form):
    Meta = TranslatedMeta

    id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    name = StringField(_l("Criterion"), validators=[Optional(), Length(max=255)])
    weight = DecimalField(_l("Weight"), places=2, default=1, validators=[Optional(), NumberRange(0.01, 100)])
    min_score = IntegerField(_l("Lowest score"), default=0, validators=[Optional(), NumberRange(0, 1000)])
    max_score = IntegerField(_l("Highest score"), default=10, validators=[Optional(), NumberRange(1, 1000)])


class RoundForm(AppForm):
    year = IntegerField(_l("Year (B.E.)"), validators=[InputRequired(), NumberRange(2500, 2700)])
    nominations_open = ThaiDateField(_l("Nominations open"), validators=[InputRequired()])
    nominations_close = ThaiDateField(_l("Nominations close"), validators=[InputRequired()])
    scoring_deadline = ThaiDateField(_l("Scoring ends (members are reminded three days before)"),
                                     validators=[Optional()])
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

    # Built without obj=: criterion rows must keep the ids they were sent with, not the round's order.
    def load(self, award_round: AwardRound | None) -> None:
        """The round's settings, or the default criteria; plus a blank criterion row."""
        self.criteria.pop_entry()
        if award_round is None:
            for name, weight in DEFAULT_CRITERIA:
                self.criteria.append_entry({"name": name, "weight": weight, "min_score": 0, "max_score": 10})
        else:
            for name in ("year", "nominations_open", "nominations_close", "scoring_deadline", "quota_total",
                         "quota_per_unit", "tie_break", "tell_nominee_at_announcement", "version"):
                getattr(self, name).data = getattr(award_round, name)
            rules = award_round.rules
            self.min_service_years.data = rules.get("min_service_years")
            self.personnel_types.data = rules.get("personnel_types", [])
            self.position_levels.data = ", ".join(rules.get("position_levels", []))
            self.not_awarded_years.data = rules.get("not_awarded_years")
            self.no_disciplinary_flag.data = bool(rules.get("no_disciplinary_flag"))
            self.ethics_course.data = bool(rules.get("ethics_course"))
            for c in award_round.criteria:
                self.criteria.append_entry({"id": c.id, "name": c.name, "weight": c.weight, "min_score": c.min_score,
                                            "max_score": c.max_score})
        self.criteria.append_entry({"weight": 1, "min_score": 0, "max_score": 10})

    def to_data(self) -> RoundData:
        rules = {"min_service_years": self.min_service_years.data, "personnel_types": self.personnel_types.data or [],
                 "position_levels": [v.strip() for v in (self.position_levels.data or "").split(",") if v.strip()],
                 "not_awarded_years": self.not_awarded_years.data, "no_disciplinary_flag": self.no_disciplinary_flag.data,
                 "ethics_course": self.ethics_course.data}
        criteria = [CriterionData(c.form.name.data.strip(), float(c.form.weight.data or 1),
                                  c.form.min_score.data or 0, c.form.max_score.data or 10, c.form.id.data)
                    for c in self.criteria if (c.form.name.data or "").strip()]
        return RoundData(self.year.data, self.nominations_open.data, self.nominations_close.data,
                         self.quota_total.data, self.quota_per_unit.data, self.tie_break.data,
                         self.tell_nominee_at_announcement.data, {k: v for k, v in rules.items() if v}, criteria,
                         self.scoring_deadline.data)


class CommitteeForm(AppForm):
    account_id = SelectField(_l("Committee member"), coerce=optional_int)
    is_chair = BooleanField(_l("Chair"))


def nomination_form(criteria, with_person: bool):
    """A form with one justification box per criterion (and the person, for a new nomination)."""

    class NominationForm(AppForm):
        person_id = IntegerField(_l("Nominee"), validators=[DataRequired(_l("Choose the person to nominate."))])
        version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    if not with_person:
        del NominationForm.person_id
    for criterion in criteria:
        setattr(NominationForm, f"c{criterion.id}", LinesField(criterion.name, validators=[Length(max=4000)]))
    return NominationForm()


def score_form(criteria):
    class ScoreForm(AppForm):
        pass

    for criterion in criteria:
        setattr(ScoreForm, f"s{criterion.id}", IntegerField(
            f"{criterion.name} ({criterion.min_score}-{criterion.max_score})",
            validators=[DataRequired(), NumberRange(criterion.min_score, criterion.max_score)]))
        setattr(ScoreForm, f"n{criterion.id}", StringField(_l("Comment"), validators=[Optional(), Length(max=2000)]))
    return ScoreForm()


class EvidenceForm(AppForm):
    file = FileField(_l("Evidence file (PDF, PNG or JPEG, at most 5 MB)"), validators=[FileRequired()])


class OverrideForm(AppForm):
    rule = SelectField(_l("Rule"), choices=lambda: [SelectChoice(k, v) for k, v in RULE_LABELS.items()])
    passed = SelectField(_l("Rule result"), choices=lambda: [SelectChoice("yes", _l("Passes")),
                                                        SelectChoice("no", _l("Does not pass"))])
    reason = LinesField(_l("Reason for the override"), validators=[DataRequired(), Length(max=2000)])


class ConflictForm(AppForm):
    """A declaration; a conflict cannot be withdrawn, so declaring one takes an explicit confirmation."""

    kind = SelectField(_l("Conflict of interest"), choices=lambda: [SelectChoice(k.value, v)
                                                                   for k, v in CONFLICT_LABELS.items()])
    note = LinesField(_l("Note"), validators=[Optional(), Length(max=2000)])
    understood = BooleanField(_l("I understand that a declared conflict of interest cannot be withdrawn: I will not "
                                 "score this nominee, and any scores I gave them are removed."))

    def validate_understood(self, field) -> None:
        if self.kind.data != ConflictKind.NONE and not field.data:
            raise ValidationError(_l("Confirm that you understand a declared conflict cannot be withdrawn."))


def sheet_form(criteria, rows):
    """The scoring sheet: one box per criterion for each row the member may score now."""

    class SheetForm(AppForm):
        pass

    for row in rows:
        for criterion in criteria:
            setattr(SheetForm, field_name(row.nomination.id, criterion.id), IntegerField(
                f"{criterion.name} ({criterion.min_score}-{criterion.max_score})",
                validators=[Optional(), NumberRange(criterion.min_score, criterion.max_score)]))
    form = SheetForm()
    if not form.is_submitted():
        for row in rows:
            for criterion_id, score in row.scores.items():
                form[field_name(row.nomination.id, criterion_id)].data = score.value
    return form


def entered(form, criteria, rows) -> dict[int, dict[int, int | None]]:
    """What the sheet form holds, by nomination and criterion."""
    return {row.nomination.id: {c.id: form[field_name(row.nomination.id, c.id)].data for c in criteria} for row in rows}

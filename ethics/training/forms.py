"""Forms of the trainings. A form that edits a record is built with `obj=record` (a field a page
does not send keeps the record's value), `load`s on a GET what `obj=` cannot show, and turns a
valid submission into its service's data with `to_data()`: views only wire the three together."""
from __future__ import annotations

from datetime import date, time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ethics.core.fiscal import fiscal_year_of
from ethics.people.forms import personnel_type_choices
from ethics.training import plan_link
from ethics.training.catalogue import CourseData, SessionData
from ethics.training.invitations import Audience
from ethics.training.models import CATEGORY_LABELS, Course, TrainingSession
from ethics.web.form_fields import AppForm, CheckboxesField, ThaiDateField, TimeOfDayField, optional_int


class CourseForm(AppForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    title_th = StringField(_l("Title (Thai)"), validators=[DataRequired(), Length(max=255)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=255)])
    category = SelectField(_l("Category"), choices=lambda: [SelectChoice(k.value, v) for k, v in CATEGORY_LABELS.items()])
    default_hours = DecimalField(_l("Hours"), places=1, default=6, validators=[DataRequired(), NumberRange(0.5, 300)])
    min_attendance = IntegerField(_l("Minimum attendance (percent of days)"), default=100,
                                  validators=[DataRequired(), NumberRange(1, 100)])
    pass_score = DecimalField(_l("Post-test pass score (empty: no post-test)"), places=1,
                              validators=[Optional(), NumberRange(0, 100)])
    mandatory_year = IntegerField(_l("Mandatory in fiscal year (B.E.)"), validators=[Optional(), NumberRange(2500, 2700)])
    mandatory_every_year = BooleanField(_l("Mandatory in every fiscal year"))
    mandatory_types = CheckboxesField(_l("Mandatory for"), choices=personnel_type_choices)
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def load(self, course: Course) -> None:
        self.min_attendance.data = round(course.min_attendance * 100)  # stored as a share of days

    def to_data(self) -> CourseData:
        return CourseData(
            code=self.code.data.strip(), title_th=self.title_th.data.strip(), title_en=(self.title_en.data or "").strip(),
            category=self.category.data, default_hours=float(self.default_hours.data),
            min_attendance=self.min_attendance.data / 100,
            pass_score=float(self.pass_score.data) if self.pass_score.data is not None else None,
            mandatory_year=self.mandatory_year.data, mandatory_types=self.mandatory_types.data or [],
            mandatory_every_year=self.mandatory_every_year.data)


class SessionForm(AppForm):
    course_id = SelectField(_l("Course"), coerce=int)
    code = StringField(_l("Session code (empty: automatic)"), validators=[Optional(), Length(max=64)])
    first_day = ThaiDateField(_l("First day"), validators=[InputRequired()])
    last_day = ThaiDateField(_l("Last day"), validators=[InputRequired()])
    starts = TimeOfDayField(_l("Starts at"), validators=[InputRequired()])
    ends = TimeOfDayField(_l("Ends at"), validators=[InputRequired()])
    venue = StringField(_l("Venue"), validators=[DataRequired(), Length(max=255)])
    capacity = IntegerField(_l("Capacity (empty: no limit)"), validators=[Optional(), NumberRange(1, 100000)])
    trainer = StringField(_l("Trainer"), validators=[Optional(), Length(max=255)])
    unit_id = SelectField(_l("Responsible unit"), coerce=optional_int)
    signatory_id = SelectField(_l("Certificates signed by"), coerce=optional_int)
    # any code is taken: save_session refuses one not in the plan, naming the code and the year
    plan_activity_code = SelectField(_l("Plan activity"), validate_choice=False)
    registration_deadline = ThaiDateField(_l("Registration deadline"), validators=[Optional()])
    open_to_all = BooleanField(_l("Open to all staff (otherwise to invited people only)"))
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def load(self, session: TrainingSession | None) -> None:
        """A saved session (its days as first and last day, with the first day's hours), or a
        new one's office hours."""
        if session is None:
            self.starts.data, self.ends.data = time(9, 0), time(16, 0)
            return
        self.last_day.data = session.last_day
        self.starts.data, self.ends.data = session.days[0].starts, session.days[0].ends

    def offer_plan_activities(self, today: date) -> int:
        """The activities of the plan of the session's fiscal year, as its dates stand in the form
        (submitted, saved, or today's for a new session), to choose from; returns that year."""
        year = fiscal_year_of(self.first_day.data or today)
        chosen = self.plan_activity_code.data or ""
        choices = [SelectChoice("", _l("None")), *(SelectChoice(activity.code, f"{activity.code} {activity.name}")
                                                   for activity in plan_link.activities_of(year))]
        if chosen and chosen not in {choice.value for choice in choices}:  # kept in view, so no save drops it unseen
            choices.append(SelectChoice(chosen, _l("%(code)s (not in the plan of fiscal year %(year)d)",
                                                   code=chosen, year=year)))
        self.plan_activity_code.choices = choices
        return year

    def to_data(self, status: str) -> SessionData:
        """`status`: the session's own (a new one's is planned); it changes only by its buttons."""
        return SessionData(
            code=(self.code.data or "").strip(), course_id=self.course_id.data, first_day=self.first_day.data,
            last_day=self.last_day.data, starts=self.starts.data, ends=self.ends.data, venue=self.venue.data.strip(),
            capacity=self.capacity.data, trainer=(self.trainer.data or "").strip(), unit_id=self.unit_id.data,
            plan_activity_code=(self.plan_activity_code.data or "").strip(),
            registration_deadline=self.registration_deadline.data, open_to_all=self.open_to_all.data,
            status=status, signatory_id=self.signatory_id.data)


class InviteForm(AppForm):
    """Whom to invite (nothing is chosen until HR chooses) and when their mail goes out. Posted
    without `confirm` it asks for the preview; the preview posts the same choices with it."""

    unit_id = SelectField(_l("Unit (with sub-units)"), coerce=optional_int, validate_choice=False)
    personnel_type = SelectField(_l("Personnel type"), validate_choice=False,
                                 choices=lambda: [SelectChoice("", _l("Any type")), *personnel_type_choices()])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    send = RadioField(_l("Send the invitations"), default="on_open", choices=[
        SelectChoice("on_open", _l("When registration opens (at once if it is open)")),
        SelectChoice("now", _l("Now: registration is open"))])

    @property
    def send_now(self) -> bool:
        return self.send.data == "now"

    def to_audience(self) -> Audience:
        return Audience(self.unit_id.data, self.personnel_type.data or "", (self.name.data or "").strip())


class CheckInForm(AppForm):
    # A phone opens its number pad and may offer a code it was sent; six digits, as the venue shows.
    code = StringField(_l("Check-in code"), validators=[DataRequired(), Length(min=6, max=6)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}",
                                  "maxlength": 6})


class StateChangeForm(AppForm):
    """One of a session's state buttons: the change it names, and the reason when one is asked."""

    change = StringField(validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class RevokeForm(AppForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])

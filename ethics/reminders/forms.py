"""HR's choice of the reminders that are sent."""
from __future__ import annotations

from wtforms import SelectChoice

from ethics.reminders.models import ReminderKind
from ethics.web.form_fields import AppForm, CheckboxesField


class SwitchesForm(AppForm):
    on = CheckboxesField(choices=lambda: [SelectChoice(kind.value, kind.label) for kind in ReminderKind])

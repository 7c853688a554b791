"""The audit log's filters, read from the page's address (GET: nothing changes, no CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ethics.audit.display import ACTION_LABELS
from ethics.web.form_fields import AppForm, ThaiDateField


def action_choices(chosen: str) -> list[SelectChoice]:
    """Every action by its readable name, A to Z in the reader's language. A code that is none of
    them (an older link's prefix, e.g. `unit.`) still filters by its start and stays shown."""
    named = sorted(((str(label), code) for code, label in ACTION_LABELS.items()), key=lambda pair: pair[0])
    choices = [SelectChoice("", _l("Any action")), *(SelectChoice(code, label) for label, code in named)]
    if chosen and chosen not in ACTION_LABELS:
        choices.append(SelectChoice(chosen, _l("Starting with %(code)s", code=chosen)))
    return choices


class AuditFilterForm(AppForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False, validators=[Optional(), Length(max=64)])
    actor = StringField(_l("Who"), validators=[Optional(), Length(max=150)])
    target = StringField(_l("Record type"), validators=[Optional(), Length(max=64)], render_kw={"placeholder": "Person"})
    starts = ThaiDateField(_l("From"), validators=[Optional()], name="from")
    ends = ThaiDateField(_l("To"), validators=[Optional()], name="to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = action_choices((self.action.data or "").strip())

"""How an entry reads on the audit log page: its action named in the reader's language, and what
it changed as each field before and after. What is stored (and hashed) stays the code and JSON."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "api.denied": _l("API use refused beyond the token's scope or roles"),
    "api.read": _l("API read with a token"),
    "api.refused": _l("API request without a usable token"),
    "api.token_created": _l("API token created"),
    "api.token_revoked": _l("API token revoked"),
    "access.denied": _l("Access denied"),
    "account.create": _l("Account created"),
    "account.update": _l("Account changed"),
    "auth.invitation_accepted": _l("Sign-in link used"),
    "auth.invitation_issued": _l("Sign-in link issued"),
    "auth.invitation_refused": _l("Unusable sign-in link opened"),
    "auth.invitation_withheld": _l("Sign-in link withheld"),
    "auth.login": _l("Signed in"),
    "auth.login_failed": _l("Sign-in failed"),
    "auth.login_throttled": _l("Sign-in refused: too many attempts"),
    "auth.logout": _l("Signed out"),
    "auth.password_changed": _l("Password changed"),
    "certificate.revoke": _l("Certificate revoked"),
    "committee.add": _l("Committee member added"),
    "committee.remove": _l("Committee member removed"),
    "course.create": _l("Course created"),
    "course.update": _l("Course changed"),
    "export.attendance": _l("Sign-in sheet exported"),
    "export.report": _l("Plan report exported"),
    "export.roster": _l("Roster exported"),
    "export.survey_results": _l("Survey results exported"),
    "import.plan": _l("Plan imported"),
    "import.roster": _l("Roster imported"),
    "import.training_records": _l("Training records imported"),
    "import.units": _l("Units imported"),
    "mail.resend": _l("Mail sent again"),
    "mail.resend_unsent": _l("Unsent mail sent again"),
    "nomination.conflict": _l("Conflict of interest declared"),
    "nomination.create": _l("Nomination created"),
    "nomination.evidence_add": _l("Evidence attached"),
    "nomination.evidence_remove": _l("Evidence removed"),
    "nomination.override": _l("Eligibility result overridden"),
    "nomination.rescreen": _l("Nomination screened again"),
    "nomination.score": _l("Nomination scored"),
    "nomination.screen": _l("Nomination screened"),
    "nomination.submit": _l("Nomination submitted"),
    "nomination.update": _l("Nomination changed"),
    "nomination.withdraw": _l("Nomination withdrawn"),
    "operations.backup": _l("Database backed up"),
    "operations.restore": _l("Database restored from a backup"),
    "organisation.update": _l("Organisation changed"),
    "person.citizen_id_revealed": _l("Citizen ID revealed"),
    "person.create": _l("Person added"),
    "person.flag_close": _l("Disciplinary flag closed"),
    "person.flag_open": _l("Disciplinary flag recorded"),
    "person.import": _l("Person imported"),
    "person.update": _l("Person changed"),
    "plan.activity_update": _l("Plan activity changed"),
    "plan.auto_snapshots": _l("Scheduled snapshots set"),
    "plan.copy": _l("Plan copied"),
    "plan.manual_entry": _l("Plan entry added"),
    "plan.result_text": _l("Result text changed"),
    "plan.snapshot_locked": _l("Snapshot locked"),
    "reminders.switch": _l("Reminder switched"),
    "round.announce": _l("Winners announced"),
    "round.create": _l("Award round created"),
    "round.finalise": _l("Results finalised"),
    "round.scoring": _l("Committee scoring started"),
    "round.screening": _l("Nominations closed for screening"),
    "round.update": _l("Award round changed"),
    "session.close": _l("Session closed"),
    "session.create": _l("Session created"),
    "session.status": _l("Session status changed"),
    "session.update": _l("Session changed"),
    "signatory.create": _l("Signatory added"),
    "signatory.remove": _l("Signatory removed"),
    "signatory.update": _l("Signatory changed"),
    "survey.close": _l("Survey closed"),
    "survey.create": _l("Survey created"),
    "survey.open": _l("Survey opened"),
    "survey.item_add": _l("Survey item added"),
    "survey.item_edit": _l("Survey item changed"),
    "survey.item_move": _l("Survey item moved"),
    "survey.item_remove": _l("Survey item removed"),
    "survey.update": _l("Survey changed"),
    "training.cancel": _l("Registration cancelled"),
    "training.check_in": _l("Checked in"),
    "training.invite": _l("People invited to a session"),
    "training.invitations_sent": _l("Held invitations sent when registration opened"),
    "training.mark_all_present": _l("Everyone confirmed marked present for a day"),
    "training.promote": _l("Moved up from the waiting list"),
    "training.register": _l("Registered for a session"),
    "unit.create": _l("Unit added"),
    "unit.import_new": _l("Unit imported (new)"),
    "unit.import_updated": _l("Unit imported (changed)"),
    "unit.update": _l("Unit changed"),
}

# Fields named as their forms name them; any other shows its key.
FIELD_LABELS = {
    "active": _l("Active"),
    "address": _l("Address"),
    "citizen_id": _l("Citizen ID"),
    "code": _l("Code"),
    "email": _l("Email"),
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "name": _l("Name"),
    "name_en": _l("Name (English)"),
    "name_th": _l("Name (Thai)"),
    "parent_id": _l("Parent unit"),
    "person_id": _l("Person"),
    "personnel_type": _l("Personnel type"),
    "position": _l("Position"),
    "position_level": _l("Level"),
    "reason": _l("Reason"),
    "responsible": _l("Responsible"),
    "roles": _l("Roles"),
    "service_start_date": _l("Service start date"),
    "source": _l("Source"),
    "status": _l("Status"),
    "supervised_unit_ids": _l("Units supervised (with their sub-units)"),
    "supervisor_id": _l("Supervisor"),
    "target": _l("Target"),
    "title": _l("Title"),
    "unit_id": _l("Unit"),
    "username": _l("Username"),
}


def action_label(code: str) -> str:
    """The action in the reader's language; a code without a label shows as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key


def shown(value: Any) -> str:
    """A stored value as text: nothing as a dash, lists and mappings as compact JSON."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Reading:
    """An entry's details as the page shows them: changed fields side by side, then the rest."""

    changes: list[Change]
    notes: list[tuple[str, str]]


def read(details: dict) -> Reading:
    """`before` and `after` field by field (a field only one side has shows a dash on the other);
    a `before`/`after` that is one value, not a record, is one unnamed row; every other key a note."""
    details = details or {}
    before, after = details.get("before"), details.get("after")
    changes = []
    if isinstance(before, dict) or isinstance(after, dict):
        old, new = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        for key in [*new, *(key for key in old if key not in new)]:
            changes.append(Change(field_label(key), shown(old.get(key)), shown(new.get(key))))
    elif before is not None or after is not None:
        changes.append(Change("", shown(before), shown(after)))
    notes = [(field_label(key), shown(value)) for key, value in details.items() if key not in ("before", "after")]
    return Reading(changes, notes)

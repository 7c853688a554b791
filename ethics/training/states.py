"""A session's life, one button per change: planned -> open for registration -> held (closed, the
pass rule applied) or cancelled. `transitions` says which changes apply to a session today; the
session page shows exactly those, and `change_state` refuses any other, so a stale page or a forged
request changes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.core.refusals import Refusal
from ethics.training import results, signals, summary
from ethics.training.models import SessionStatus, TrainingSession
from ethics.training.registrations import send_held_invitations


class Change(StrEnum):
    OPEN = "open"
    CLOSE = "close"
    CANCEL = "cancel"


class ChangeNotApplicable(Refusal):
    """The session is no longer (or never was) in a state this change applies to."""

    status = 409


class ReasonMissing(Refusal):
    """Closing early is refused without the reason the audit log keeps."""


@dataclass(frozen=True)
class Transition:
    """One button: the change it posts, its label, the question it asks first, and whether it
    needs a written reason (kept in the audit log)."""

    name: str
    label: object
    primary: bool = False
    confirm: object = None
    needs_reason: bool = False
    reason_label: object = None


def transitions(session: TrainingSession, today: date) -> list[Transition]:
    """The changes that apply to the session today, the usual next step first."""
    if not session.running:  # held or cancelled: final
        return []
    found = []
    if session.status == SessionStatus.PLANNED and today <= session.last_day:
        found.append(Transition(Change.OPEN, _l("Open registration"), primary=True))
    if today >= session.first_day:  # results.close refuses a session that has not started
        found.append(_closing(session, today))
    found.append(Transition(Change.CANCEL, _l("Cancel the session"),
                            confirm=_l("Cancel this session? Everyone registered is told, and it cannot be undone.")))
    return found


def _closing(session: TrainingSession, today: date) -> Transition:
    """With people on the roster closing applies the pass rule and issues certificates; without,
    it only records that the session was held."""
    label = _l("Close the session and issue certificates") if session.taken else _l("Mark as held")
    early = today <= session.last_day
    return Transition(Change.CLOSE, label, primary=not early,
                      confirm=_l("Close the session? The pass rule is applied and certificates are issued; "
                                 "attendance can no longer change."),
                      needs_reason=early, reason_label=_l("Why close before the last day has ended?"))


@dataclass(frozen=True)
class StateChanged:
    status: SessionStatus
    passed: int = 0  # closing: how many passed and got a certificate


def change_state(session: TrainingSession, change: str, today: date, reason: str = "") -> StateChanged:
    """Apply one of today's `transitions` to the session, or refuse: 409 when it does not apply
    (any more), 422 when closing early without a reason."""
    allowed = {transition.name: transition for transition in transitions(session, today)}
    transition = allowed.get(change)
    if transition is None:
        raise ChangeNotApplicable(_l("This change does not apply to the session as it is now (%(status)s). "
                                     "Reload the page to see what it allows.", status=session.status_label))
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise ReasonMissing(_l("Give the reason for closing the session before its last day has ended."),
                            field="reason")
    before, passed = session.status, []
    if change == Change.CLOSE:
        passed = results.close(session, today)
    elif change == Change.OPEN:
        session.status = SessionStatus.OPEN
        send_held_invitations(session)
    else:
        _cancel(session)
        summary.refresh(summary.people_of([session.id]), session.id)
    record("session.status", session, before=before, after=session.status, **({"reason": reason} if reason else {}))
    return StateChanged(SessionStatus(session.status), len(passed))


def _cancel(session: TrainingSession) -> None:
    """Cancelled, and everyone registered told (as when an edit cancelled it)."""
    session.status = SessionStatus.CANCELLED
    db.session.flush()  # the new version names the message sent about it
    signals.session_changed.send(session, changed=["cancelled"])

"""Registering, cancelling and the waiting list.

Seats are counted on the session row (`taken`), which every change locks first (SELECT ...
FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), so fifty people registering at once
for twenty seats get twenty confirmations and thirty places on the waiting list. The unique
(session, person) key makes a double-clicked Register store one row.

Invitations made while a session is planned are recorded and held; they are mailed when its
registration opens (`send_held_invitations`, which whatever changes a session's status calls),
those made while it is open right away. Each person is invited, and mailed, once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.core.refusals import Refusal
from ethics.core.text import like_pattern
from ethics.people.models import Person
from ethics.people.services import subtree_ids
from ethics.training import notify
from ethics.training.models import Registration, RegistrationStatus, SessionInvitation, SessionStatus, TrainingSession


class RegistrationError(Refusal):
    """A refusal the person can read."""


class InvitationError(Refusal):
    """An invitation HR cannot send as asked."""


class DuplicateRegistration(Refusal):
    """A parallel request by the same person registered first; theirs stands."""

    category = "info"

    @classmethod
    def default_message(cls):
        return _l("You are already registered.")


def lock_session(session_id: int) -> TrainingSession | None:
    return db.session.scalar(
        select(TrainingSession).where(TrainingSession.id == session_id).with_for_update(of=TrainingSession)
        .execution_options(populate_existing=True)
    )


def open_to(person_id: int):
    """A condition on TrainingSession: open for registration, and to everyone or this person."""
    invited = exists().where(SessionInvitation.session_id == TrainingSession.id,
                             SessionInvitation.person_id == person_id)
    return (TrainingSession.status == SessionStatus.OPEN) & or_(TrainingSession.open_to_all, invited)


def is_open_to(session: TrainingSession, person_id: int) -> bool:
    return db.session.scalar(select(TrainingSession.id).where(TrainingSession.id == session.id, open_to(person_id))) is not None


def may_see(account, session: TrainingSession) -> bool:
    """HR sees every session; anyone else the sessions open to them or that they registered for,
    and a supervisor also those that somebody of their units registered for (their people's
    history links to them; the page shows such a reader no one else's details)."""
    if account.has_role("admin", "hr"):
        return True
    person_id = account.person_id
    registered = select(Registration.id).where(Registration.session_id == session.id).limit(1)
    if person_id and (db.session.scalar(registered.where(Registration.person_id == person_id))
                      or is_open_to(session, person_id)):
        return True
    if account.has_role("supervisor") and account.supervised_unit_ids:
        team = select(Person.id).where(Person.unit_id.in_(subtree_ids(account.supervised_unit_ids)))
        return db.session.scalar(registered.where(Registration.person_id.in_(team))) is not None
    return False


CLOSED_BECAUSE = {
    SessionStatus.PLANNED: _l("Registration has not opened yet."),
    SessionStatus.HELD: _l("This session has taken place: registration is over."),
    SessionStatus.CANCELLED: _l("This session is cancelled."),
}
BY_INVITATION = _l("This session is by invitation, and you have not been invited.")


def closed_reason(session: TrainingSession, person_id: int):
    """Why the person may not register for the session, as they can read it; None when they may
    (the deadline apart, which `register` checks on the day)."""
    if session.status != SessionStatus.OPEN:
        return CLOSED_BECAUSE[SessionStatus(session.status)]
    if not session.open_to_all and not is_invited(session.id, person_id):
        return BY_INVITATION
    return None


def is_invited(session_id: int, person_id: int) -> bool:
    return db.session.get(SessionInvitation, (session_id, person_id)) is not None


@dataclass
class Outcome:
    registration: Registration
    created: bool


def register(session_id: int, person: Person, today: date | None = None) -> Outcome:
    """Confirm a seat, or a place on the waiting list when the session is full."""
    session = lock_session(session_id)
    if session is None:
        raise RegistrationError(_l("This session is not open to you for registration."))
    if reason := closed_reason(session, person.id):
        raise RegistrationError(reason)
    if session.registration_deadline and (today or date.today()) > session.registration_deadline:
        raise RegistrationError(_l("The registration deadline has passed."))
    existing = db.session.scalar(select(Registration).where(Registration.session_id == session_id,
                                                            Registration.person_id == person.id))
    if existing is not None and not existing.cancelled:
        return Outcome(existing, created=False)
    has_seat = session.capacity is None or session.taken < session.capacity
    if has_seat:
        session.taken += 1
    registration = existing or Registration(session_id=session_id, person_id=person.id)
    registration.status = RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED
    registration.registered_at = utc_now()
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        # A parallel request by the same person won the insert: theirs is the registration.
        db.session.rollback()
        raise DuplicateRegistration() from None
    record("training.register", registration, session_id=session_id, status=registration.status)
    notify.registration_changed(registration)
    return Outcome(registration, created=True)


def cancel(session_id: int, person: Person) -> Registration | None:
    """Give up a place; the first person waiting takes a freed seat."""
    session = lock_session(session_id)
    registration = db.session.scalar(select(Registration).where(Registration.session_id == session_id,
                                                                Registration.person_id == person.id))
    if session is None or registration is None or registration.cancelled:
        return None
    if not session.running:
        raise RegistrationError(_l("This session can no longer be changed."))
    freed = registration.confirmed
    registration.status = RegistrationStatus.CANCELLED
    record("training.cancel", registration, session_id=session_id)
    if freed:
        session.taken -= 1
        promote_waiting(session)
    return registration


def promote_waiting(session: TrainingSession) -> list[Registration]:
    """Fill free seats from the waiting list in the order people joined it (session row locked)."""
    promoted = []
    while session.capacity is None or session.taken < session.capacity:
        waiting = db.session.scalar(
            select(Registration).where(Registration.session_id == session.id,
                                       Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.registered_at, Registration.id).limit(1))
        if waiting is None:
            break
        waiting.status = RegistrationStatus.CONFIRMED
        session.taken += 1
        record("training.promote", waiting, session_id=session.id)
        notify.registration_changed(waiting)
        promoted.append(waiting)
    return promoted


def audience(unit_id: int | None, personnel_type: str | None, name: str) -> Select[Person]:
    """Active people of the unit (with its sub-units), of the personnel type, whose first or last
    name contains every word given; a criterion left empty does not narrow."""
    query = select(Person).where(Person.active)
    if unit_id:
        query = query.where(Person.unit_id.in_(subtree_ids([unit_id])))
    if personnel_type:
        query = query.where(Person.personnel_type == personnel_type)
    for word in name.split():
        like = like_pattern(word)
        query = query.where(Person.first_name.ilike(like, escape="\\") | Person.last_name.ilike(like, escape="\\"))
    return query


def invitees(unit_id: int | None, personnel_type: str | None, name: str) -> list[int]:
    """The ids of the `audience`."""
    return list(db.session.scalars(audience(unit_id, personnel_type, name).with_only_columns(Person.id)))


def check_invitable(session: TrainingSession, send_now: bool) -> None:
    """Invitations are for a session still to come; sent now only once its registration is open."""
    if not session.running:
        raise InvitationError(_l("This session no longer takes invitations."))
    if send_now and session.status != SessionStatus.OPEN:
        raise InvitationError(_l("Registration is not open yet: the invitations can go out only when it opens."),
                              field="send")


def invite(session: TrainingSession, people_ids: list[int], send_now: bool = False) -> int:
    """Add people to the invitation list; returns how many were new. They are mailed now when
    registration is open, else when it opens; people already invited are not mailed again."""
    session = lock_session(session.id) or session  # waits for an opening or another invitation to commit
    check_invitable(session, send_now)
    already = set(db.session.scalars(select(SessionInvitation.person_id)
                                     .where(SessionInvitation.session_id == session.id)))
    new = [pid for pid in dict.fromkeys(people_ids) if pid not in already]
    sending = session.status == SessionStatus.OPEN
    sent_at = utc_now() if sending else None
    db.session.add_all(SessionInvitation(session_id=session.id, person_id=pid, sent_at=sent_at) for pid in new)
    if new:
        record("training.invite", session, count=len(new), sent=sending)
        if sending:
            notify.invited(session, new)
    return len(new)


def send_held_invitations(session: TrainingSession) -> int:
    """Mail the invitations held until registration opened; how many. Whatever changes a
    session's status calls it afterwards: it does nothing unless the session is open, and sends
    each invitation once."""
    if session.status != SessionStatus.OPEN:
        return 0
    held = sorted(db.session.scalars(
        update(SessionInvitation).where(SessionInvitation.session_id == session.id, SessionInvitation.sent_at.is_(None))
        .values(sent_at=utc_now()).returning(SessionInvitation.person_id)))
    if held:
        record("training.invitations_sent", session, count=len(held))
        notify.invited(session, held)
    return len(held)

"""Invitations, confirmations, waiting-list places and promotions, mailed through the outbox
(ethics.mail): each message is written in the registration's transaction, one per person, in
their language, with the session's dates, times, venue, hours and page, and the session's .ics
for an invitation, a confirmed seat or a promotion. A rolled-back registration mails nobody.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select

from ethics.core.extensions import db
from ethics.core.links import absolute_url
from ethics.mail import services as mail
from ethics.people.models import Person
from ethics.training import calendar_file
from ethics.training.models import Registration, RegistrationStatus, TrainingSession

_PROMOTED = "_ethics_promoted_from_waiting"  # set on a registration that left the waiting list for a seat

SUBJECTS = {
    "invitation": lambda session: _l("Invitation to training: %(session)s", session=session),
    "confirmed": lambda session: _l("Your seat is confirmed: %(session)s", session=session),
    "waitlisted": lambda session: _l("You are on the waiting list: %(session)s", session=session),
    "promoted": lambda session: _l("A seat is yours, from the waiting list: %(session)s", session=session),
}


@event.listens_for(Registration.status, "set", active_history=True)
def _note_promotion(registration, value, old, _initiator) -> None:
    if old == RegistrationStatus.WAITLISTED and value == RegistrationStatus.CONFIRMED:
        setattr(registration, _PROMOTED, True)


def _hours(session: TrainingSession) -> str:
    return f"{session.course.default_hours:g}"


def _queue(person: Person, session: TrainingSession, kind: str, calendar: str | None) -> None:
    """One message to one person, in their language, about one session."""
    locale = mail.language_for(person.id)
    title = session.course.title(locale)
    attachments = ([mail.Attachment(f"{session.code}.ics", "text/calendar", calendar.encode())]
                   if calendar is not None else [])
    mail.queue_for_person(person, f"training.{kind}", SUBJECTS[kind](f"{title} ({session.code})"), "mail/training.html",
                          locale=locale, attachments=attachments, what=kind, session=session, title=title,
                          hours=_hours(session), link=absolute_url("training.session", session_id=session.id),
                          attached=calendar is not None)


def _calendar(session: TrainingSession) -> str:
    return calendar_file.ics_for(session, absolute_url("training.session", session_id=session.id))


def registration_changed(registration) -> None:
    """A seat confirmed, a place on the waiting list, or a seat taken from the waiting list."""
    person = registration.person or db.session.get_one(Person, registration.person_id)
    session = registration.session or db.session.get_one(TrainingSession, registration.session_id)
    if registration.status == RegistrationStatus.CONFIRMED:
        kind = "promoted" if getattr(registration, _PROMOTED, False) else "confirmed"
        setattr(registration, _PROMOTED, False)
        _queue(person, session, kind, _calendar(session))
    elif registration.status == RegistrationStatus.WAITLISTED:
        _queue(person, session, "waitlisted", None)


def invited(session, person_ids: list[int]) -> None:
    """An invitation to each person, with the session's calendar file."""
    calendar = _calendar(session)
    for start in range(0, len(person_ids), 1000):
        for person in db.session.scalars(select(Person).where(Person.id.in_(person_ids[start:start + 1000]),
                                                              Person.email != "").order_by(Person.id)):
            _queue(person, session, "invitation", calendar)

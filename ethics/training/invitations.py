"""What HR sees before and after inviting: who a choice of unit, personnel type and name would
invite (counted, the first names shown) before anything is sent, and who was invited with what
they answered. The rules of inviting itself are in `registrations`."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import joinedload

from ethics.core.extensions import db
from ethics.people.models import Person
from ethics.training import registrations
from ethics.training.models import Registration, RegistrationStatus, SessionInvitation, TrainingSession
from ethics.web.pagination import Page

PREVIEW_NAMES = 50  # names a preview lists; the rest are counted
INVITEES_PER_PAGE = 50

NOT_ANSWERED = "not_answered"
ANSWER_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Registered"),
    RegistrationStatus.WAITLISTED: _l("Waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
    NOT_ANSWERED: _l("Not answered"),
}


@dataclass(frozen=True)
class Audience:
    """Whom HR chose to invite; nothing chosen is no audience (never the whole province by default)."""

    unit_id: int | None = None
    personnel_type: str = ""
    name: str = ""

    def __bool__(self) -> bool:
        return bool(self.unit_id or self.personnel_type or self.name.strip())

    def people(self) -> Select[Person]:
        return registrations.audience(self.unit_id, self.personnel_type, self.name)


@dataclass
class Preview:
    """The people a confirmation would invite: how many, the first of them, and how many of the
    audience are invited already (and would not be invited, nor mailed, again)."""

    count: int
    already: int
    people: list[Person]

    @property
    def more(self) -> int:
        return self.count - len(self.people)


def _check(session: TrainingSession, audience: Audience, send_now: bool) -> None:
    if not audience:
        raise registrations.InvitationError(_l("Choose a unit, a personnel type or a name to invite."), field="unit_id")
    registrations.check_invitable(session, send_now)


def _invited(session_id: int):
    return exists().where(SessionInvitation.session_id == session_id, SessionInvitation.person_id == Person.id)


def preview(session: TrainingSession, audience: Audience, send_now: bool) -> Preview:
    """Three queries, whatever the audience's size."""
    _check(session, audience, send_now)
    new = audience.people().where(~_invited(session.id))
    count = db.session.scalar(select(func.count()).select_from(new.subquery())) or 0
    already = db.session.scalar(select(func.count()).select_from(
        audience.people().where(_invited(session.id)).subquery())) or 0
    first = db.session.scalars(new.options(joinedload(Person.unit))
                               .order_by(Person.first_name, Person.last_name, Person.id).limit(PREVIEW_NAMES)).all()
    return Preview(count=count, already=already, people=list(first))


def invite(session: TrainingSession, audience: Audience, send_now: bool) -> int:
    """Invite the audience, as its preview showed it; how many were new."""
    _check(session, audience, send_now)
    return registrations.invite(session, registrations.invitees(audience.unit_id, audience.personnel_type,
                                                                audience.name), send_now)


@dataclass
class Invitees:
    """One page of the people invited to a session, each with their answer, and how many gave each."""

    page: Page  # of (person, answer) pairs
    answers: dict[str, int]
    labels = ANSWER_LABELS

    @property
    def total(self) -> int:
        return sum(self.answers.values())


def _answers(session_id: int) -> dict[str, int]:
    """How many invitees answered each way (NOT_ANSWERED: no registration), in one query."""
    answer = func.coalesce(Registration.status, NOT_ANSWERED)
    counted = (select(answer, func.count()).select_from(SessionInvitation)
               .outerjoin(Registration, (Registration.session_id == SessionInvitation.session_id)
                          & (Registration.person_id == SessionInvitation.person_id))
               .where(SessionInvitation.session_id == session_id).group_by(answer))
    return {key: count for key, count in db.session.execute(counted)}


def invitees(session_id: int, page: int) -> tuple[Invitees, Invitees]:
    """One page of the people invited with their answers, and the first page of those who did not
    register (the roster's "invited, not registered"): one query when nobody is invited, three
    otherwise, whatever the lists' length."""
    answers = _answers(session_id)
    return (_page(session_id, answers, page, not_answered_only=False),
            _page(session_id, answers, 1, not_answered_only=True))


def _page(session_id: int, answers: dict[str, int], page: int, not_answered_only: bool) -> Invitees:
    total = answers.get(NOT_ANSWERED, 0) if not_answered_only else sum(answers.values())
    pages = max(1, -(-total // INVITEES_PER_PAGE))
    page = min(max(1, page), pages)
    rows = db.session.execute(
        _invited_people(session_id, not_answered_only).options(joinedload(Person.unit))
        .order_by(Person.first_name, Person.last_name, Person.id)
        .limit(INVITEES_PER_PAGE).offset((page - 1) * INVITEES_PER_PAGE)).all() if total else []
    return Invitees(page=Page(items=[(person, answer) for person, answer in rows], total=total, page=page, pages=pages),
                    answers=answers)
def _invited_people(session_id: int, not_answered_only: bool) -> Select:
    """(person, answer) of the session's invitees."""
    query = (select(Person, func.coalesce(Registration.status, NOT_ANSWERED))
             .join(SessionInvitation, (SessionInvitation.person_id == Person.id)
                   & (SessionInvitation.session_id == session_id))
             .outerjoin(Registration, (Registration.session_id == session_id) & (Registration.person_id == Person.id)))
    return query.where(Registration.id.is_(None)) if not_answered_only else query

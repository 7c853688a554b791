"""Who is reminded of what, and the sending, once per person and thing.

Each `due_*` function answers, for a day in Bangkok, the people a kind of reminder is for and
what it is about; `send_due` writes their messages (ethics.mail) for every kind HR left on.
What was sent is kept (ReminderSent), so a worker that runs twice on a day reminds nobody twice.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, select

from ethics.audit.services import record
from ethics.auth.models import Account, AccountRole
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.core.i18n import readers_date, readers_time_range, readers_title
from ethics.core.links import absolute_url
from ethics.mail.services import queue_for_person
from ethics.people.models import Person
from ethics.recognition.models import AwardRound, CommitteeMember, Nomination, NominationStatus, RoundStatus
from ethics.recognition.scoring import Progress, progress
from ethics.reminders.models import ReminderKind, ReminderSent, ReminderSwitch
from ethics.survey.models import CampaignStatus, MoraleCampaign, SurveyEligibility, SurveyParticipation
from ethics.training.models import Certificate, Registration, RegistrationStatus, SessionStatus, TrainingSession

AHEAD = timedelta(days=3)  # "three days before" nominations, scoring and the survey close


@dataclass
class Reminder:
    """One message: to whom, about what (for sending it once), and what it says."""

    kind: ReminderKind
    person: Person
    about: str
    subject: object
    paragraphs: list = field(default_factory=list)
    link: str = ""


def enabled(kind: ReminderKind) -> bool:
    switch = db.session.get(ReminderSwitch, kind.value)
    return switch is None or switch.enabled


def switches() -> dict[ReminderKind, bool]:
    off = set(db.session.scalars(select(ReminderSwitch.kind).where(ReminderSwitch.enabled.is_(False))))
    return {kind: kind.value not in off for kind in ReminderKind}


def set_switches(on: set[ReminderKind]) -> None:
    """HR's choice of the kinds that are sent; every change is audited."""
    for kind, was_on in switches().items():
        if (kind in on) != was_on:
            switch = db.session.get(ReminderSwitch, kind.value) or ReminderSwitch(kind=kind.value)
            switch.enabled = kind in on
            db.session.add(switch)
            record("reminders.switch", kind=kind.value, on=kind in on)


# --- who, for a day ---------------------------------------------------------------------

def due_session_tomorrow(today: date) -> Iterator[Reminder]:
    tomorrow = today + timedelta(days=1)
    rows = db.session.execute(
        select(Registration, TrainingSession).join(TrainingSession, TrainingSession.id == Registration.session_id)
        .where(TrainingSession.first_day == tomorrow, TrainingSession.status.in_([SessionStatus.OPEN, SessionStatus.PLANNED]),
               Registration.status == RegistrationStatus.CONFIRMED))
    for registration, session in rows:
        day = session.days[0]
        yield Reminder(ReminderKind.SESSION_TOMORROW, registration.person, f"session:{session.id}:{tomorrow}",
                       _l("Tomorrow: %(course)s", course=readers_title(session.course)),
                       [_l("Your training %(course)s (%(code)s) starts tomorrow, %(hours)s, at %(venue)s.",
                           course=readers_title(session.course), code=session.code,
                           hours=readers_time_range(day.starts, day.ends), venue=session.venue or "-")],
                       absolute_url("training.session", session_id=session.id))


def due_nominations_closing(today: date) -> Iterator[Reminder]:
    """Supervisors with a draft, or with no nomination yet, three days before nominations close."""
    rounds = db.session.scalars(select(AwardRound).where(AwardRound.status == RoundStatus.NOMINATING,
                                                         AwardRound.nominations_close == today + AHEAD))
    for award_round in rounds:
        submitted = exists().where(Nomination.round_id == award_round.id, Nomination.nominated_by == Account.id,
                                   Nomination.status != NominationStatus.DRAFT)
        drafting = exists().where(Nomination.round_id == award_round.id, Nomination.nominated_by == Account.id,
                                  Nomination.status == NominationStatus.DRAFT)
        supervisors = db.session.execute(
            select(Account, Person).join(Person, Person.id == Account.person_id)
            .join(AccountRole, and_(AccountRole.account_id == Account.id, AccountRole.role == "supervisor"))
            .where(Account.active, drafting | ~submitted))
        for _account, person in supervisors:
            yield Reminder(ReminderKind.NOMINATIONS_CLOSING, person, f"round:{award_round.id}",
                           _l("Nominations close on %(day)s", day=readers_date(award_round.nominations_close)),
                           [_l("Nominations for %(round)s close in three days. Submit your drafts, or nominate a "
                               "colleague, before then.", round=award_round.title)],
                           absolute_url("recognition.round", round_id=award_round.id))


def due_scoring_closing(today: date) -> Iterator[Reminder]:
    """Members who have not scored (or declared a conflict for) every nomination they may score."""
    rounds = db.session.scalars(select(AwardRound).where(AwardRound.status == RoundStatus.SCORING,
                                                         AwardRound.scoring_deadline == today + AHEAD))
    for award_round in rounds:
        done = progress(award_round)
        eligible = list(db.session.scalars(select(Nomination).where(Nomination.round_id == award_round.id,
                                                                    Nomination.status == NominationStatus.ELIGIBLE)))
        members = db.session.execute(select(CommitteeMember, Account, Person)
                                     .join(Account, Account.id == CommitteeMember.account_id)
                                     .join(Person, Person.id == Account.person_id)
                                     .where(CommitteeMember.round_id == award_round.id))
        for _member, account, person in members:
            waiting = [n for n in eligible if n.person_id != account.person_id and n.nominated_by != account.id
                       and done.get((n.id, account.id), Progress.PENDING) == Progress.PENDING]
            if waiting:
                yield Reminder(ReminderKind.SCORING_CLOSING, person, f"round:{award_round.id}",
                               _l("Scoring ends on %(day)s", day=readers_date(today + AHEAD)),
                               [_l("%(n)d nominations of %(round)s still wait for your scores; scoring ends in "
                                   "three days.", n=len(waiting), round=award_round.title)],
                               absolute_url("recognition.round", round_id=award_round.id))


def due_survey_closing(today: date) -> Iterator[Reminder]:
    """Eligible people without a participation row: who answered is known, never what."""
    campaigns = db.session.scalars(select(MoraleCampaign).where(MoraleCampaign.status == CampaignStatus.OPEN,
                                                                MoraleCampaign.closes_on == today + AHEAD))
    for campaign in campaigns:
        answered = exists().where(SurveyParticipation.campaign_id == campaign.id,
                                  SurveyParticipation.person_id == SurveyEligibility.person_id)
        people = db.session.scalars(select(Person).join(SurveyEligibility, SurveyEligibility.person_id == Person.id)
                                    .where(SurveyEligibility.campaign_id == campaign.id, ~answered))
        for person in people:
            yield Reminder(ReminderKind.SURVEY_CLOSING, person, f"campaign:{campaign.id}",
                           _l("Three days left to answer: %(title)s", title=campaign.title),
                           [_l("The morale survey %(title)s closes in three days. Your answers cannot be linked "
                               "to you.", title=campaign.title)],
                           absolute_url("survey.answer", campaign_id=campaign.id))


def due_certificates(today: date) -> Iterator[Reminder]:
    """Certificates issued in the last week (a worker down for a few days still tells everyone)."""
    rows = db.session.execute(select(Certificate, Registration).join(Registration)
                              .where(Certificate.issued_on >= today - timedelta(days=7), Certificate.revoked_on.is_(None)))
    for certificate, registration in rows:
        yield Reminder(ReminderKind.CERTIFICATE_READY, registration.person, f"certificate:{certificate.id}",
                       _l("Your certificate is ready: %(course)s", course=readers_title(registration.session.course)),
                       [_l("You passed %(course)s (%(code)s). Your certificate %(serial)s is ready to download.",
                           course=readers_title(registration.session.course), code=registration.session.code,
                           serial=certificate.serial)],
                       absolute_url("training.mine"))


def session_changed(session: TrainingSession, changed: list[str]) -> Iterator[Reminder]:
    """Everyone registered (confirmed or waiting) when a session moves, changes venue or is cancelled."""
    cancelled = "cancelled" in changed
    registrations = db.session.scalars(select(Registration).where(Registration.session_id == session.id,
                                                                  Registration.status != RegistrationStatus.CANCELLED))
    day, course = session.days[0], readers_title(session.course)
    for registration in registrations:
        yield Reminder(ReminderKind.SESSION_CHANGED, registration.person, f"session:{session.id}:v{session.version}",
                       (_l("Cancelled: %(course)s", course=course) if cancelled
                        else _l("Changed: %(course)s", course=course)),
                       [_l("The training %(course)s (%(code)s) is cancelled.", course=course, code=session.code)
                        if cancelled else
                        _l("The training %(course)s (%(code)s) now takes place from %(first)s to %(last)s, "
                           "%(hours)s, at %(venue)s.", course=course, code=session.code,
                           first=readers_date(session.first_day), last=readers_date(session.last_day),
                           hours=readers_time_range(day.starts, day.ends), venue=session.venue or "-")],
                       absolute_url("training.session", session_id=session.id))


def on_session_changed(session: TrainingSession, changed: list[str]) -> None:
    """The training domain's signal: tell the people registered, in the change's own transaction."""
    send(session_changed(session, changed))


DUE = (due_session_tomorrow, due_nominations_closing, due_scoring_closing, due_survey_closing, due_certificates)


# --- sending ----------------------------------------------------------------------------

def send(reminders: Iterator[Reminder]) -> int:
    """Write each reminder not sent before, for the kinds HR left on; how many were written."""
    on, count = switches(), 0
    for reminder in reminders:
        if not on[reminder.kind]:
            continue
        key = (reminder.kind.value, reminder.about, reminder.person.id)
        if db.session.get(ReminderSent, key) is not None:
            continue
        db.session.add(ReminderSent(kind=key[0], about=key[1], person_id=key[2], sent_at=utc_now()))
        queue_for_person(reminder.person, f"reminder.{reminder.kind.value}", reminder.subject,
                         paragraphs=reminder.paragraphs, link=reminder.link, link_label=_l("Open"))
        count += 1
    return count


def send_due(today: date) -> int:
    return sum(send(due(today)) for due in DUE)

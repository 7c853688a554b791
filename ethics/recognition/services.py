"""Opening a round and the nomination lifecycle (draft, submitted, withdrawn).

Screening, conflict declarations, blind scoring, finalising and announcing come next; the
statuses they set are already part of the model and of the counting rules.
"""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ethics.audit.services import record
from ethics.errors import FieldError
from ethics.extensions import db
from ethics.people.models import Person
from ethics.recognition.models import AwardRound, Criterion, Nomination, NominationStatus, RoundStatus

DEFAULT_CRITERIA = [("ครองตน", 1.0), ("ครองคน", 1.0), ("ครองงาน", 1.0), ("จริยธรรม", 1.0)]


class RecognitionError(FieldError):
    """A selection rule refused a value."""


def create_round(year: int, opens: date, closes: date, quota_total: int | None = None) -> AwardRound:
    if closes < opens:
        raise RecognitionError("nominations_close", _l("The closing date is before the opening date."))
    if db.session.scalar(select(AwardRound).where(AwardRound.year == year)):
        raise RecognitionError("year", _l("This year already has a round."))
    award_round = AwardRound(year=year, title=f"ข้าราชการพลเรือนดีเด่น ประจำปี {year}", nominations_open=opens,
                             nominations_close=closes, quota_total=quota_total, status=RoundStatus.NOMINATING,
                             criteria=[Criterion(position=n, name=name, weight=weight, max_score=10)
                                       for n, (name, weight) in enumerate(DEFAULT_CRITERIA)])
    db.session.add(award_round)
    db.session.flush()
    record("round.create", award_round, year=year)
    return award_round


def nominate(award_round: AwardRound, person: Person, nominated_by: int, justification: dict[str, str]) -> Nomination:
    if award_round.status != RoundStatus.NOMINATING:
        raise RecognitionError("person_id", _l("This round does not take nominations now."))
    if db.session.scalar(select(Nomination).where(Nomination.round_id == award_round.id,
                                                  Nomination.person_id == person.id)):
        raise RecognitionError("person_id", _l("This person is already nominated in this round."))
    nomination = Nomination(round_id=award_round.id, person_id=person.id, nominated_by=nominated_by,
                            unit_id=person.unit_id, justification=justification, status=NominationStatus.DRAFT)
    db.session.add(nomination)
    db.session.flush()
    record("nomination.create", nomination, round=award_round.year)
    return nomination


def submit(nomination: Nomination, today: date) -> None:
    award_round = nomination.round
    if nomination.status != NominationStatus.DRAFT:
        raise RecognitionError("status", _l("Only a draft nomination can be submitted."))
    if today > award_round.nominations_close:
        raise RecognitionError("status", _l("The nomination deadline has passed."))
    missing = [c.name for c in award_round.criteria if not nomination.justification.get(str(c.id), "").strip()]
    if missing:
        raise RecognitionError("justification", _l("Justify every criterion: %(names)s.", names=", ".join(missing)))
    nomination.status = NominationStatus.SUBMITTED
    record("nomination.submit", nomination)


def withdraw(nomination: Nomination) -> None:
    if nomination.round.status != RoundStatus.NOMINATING or nomination.status not in (
            NominationStatus.DRAFT, NominationStatus.SUBMITTED):
        raise RecognitionError("status", _l("A nomination can be withdrawn only until screening starts."))
    nomination.status = NominationStatus.WITHDRAWN
    record("nomination.withdraw", nomination)

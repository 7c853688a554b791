"""A supervisor's nomination: draft, justification per criterion, evidence, submit, withdraw.

Who may see a nomination is decided here too, for pages, fragments, files and certificates.
"""
from __future__ import annotations

from datetime import date
from pathlib import PurePath

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.core.refusals import StaleEdit
from ethics.people.models import Person
from ethics.people.services import subtree_ids, visible_people
from ethics.recognition.errors import RecognitionError, StageClosed
from ethics.recognition.models import AwardRound, Evidence, Nomination, NominationStatus, RoundStatus

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
# What each accepted extension's file must start with: the content is checked, not only the name.
EVIDENCE_TYPES = {".pdf": ("application/pdf", b"%PDF-"), ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
                  ".jpg": ("image/jpeg", b"\xff\xd8\xff"), ".jpeg": ("image/jpeg", b"\xff\xd8\xff")}
SCORED = (NominationStatus.ELIGIBLE, NominationStatus.SELECTED, NominationStatus.NOT_SELECTED)


def nominate(award_round: AwardRound, person: Person, nominated_by: int, justification: dict[str, str]) -> Nomination:
    if award_round.status != RoundStatus.NOMINATING:
        raise RecognitionError(_l("This round does not take nominations now."), field="person_id")
    if db.session.scalar(select(Nomination).where(Nomination.round_id == award_round.id,
                                                  Nomination.person_id == person.id)):
        raise RecognitionError(_l("This person is already nominated in this round."), field="person_id")
    nomination = Nomination(round_id=award_round.id, person_id=person.id, nominated_by=nominated_by,
                            unit_id=person.unit_id, justification=_clean(award_round, justification),
                            status=NominationStatus.DRAFT)
    db.session.add(nomination)
    db.session.flush()
    record("nomination.create", nomination, round=award_round.year, person_id=person.id)
    return nomination


def _clean(award_round: AwardRound, justification: dict[str, str]) -> dict[str, str]:
    """Keep one text per criterion of the round, ignoring anything else sent."""
    return {str(c.id): (justification.get(str(c.id)) or "").strip() for c in award_round.criteria}


def _editable(nomination: Nomination) -> None:
    if not nomination.editable:
        raise StageClosed()


def update(nomination: Nomination, justification: dict[str, str], expected_version: int | None = None) -> Nomination:
    _editable(nomination)
    if expected_version is not None and expected_version != nomination.version:
        raise StaleEdit()
    nomination.justification = _clean(nomination.round, justification)
    record("nomination.update", nomination)
    return nomination


def submit(nomination: Nomination, today: date) -> None:
    award_round = nomination.round
    if nomination.status != NominationStatus.DRAFT or award_round.status != RoundStatus.NOMINATING:
        raise RecognitionError(_l("Only a draft nomination can be submitted."), field="status")
    if today > award_round.nominations_close:
        raise RecognitionError(_l("The nomination deadline has passed."), field="status")
    missing = [c.name for c in award_round.criteria if not nomination.justification.get(str(c.id), "").strip()]
    if missing:
        raise RecognitionError(_l("Justify every criterion: %(names)s.", names=", ".join(missing)), field="justification")
    nomination.status = NominationStatus.SUBMITTED
    record("nomination.submit", nomination)


def withdraw(nomination: Nomination) -> None:
    if not nomination.withdrawable:
        raise RecognitionError(_l("A nomination can be withdrawn only until screening starts."), field="status")
    nomination.status = NominationStatus.WITHDRAWN
    record("nomination.withdraw", nomination)


def add_evidence(nomination: Nomination, filename: str, content: bytes) -> Evidence:
    """Accept a PDF, PNG or JPEG whose content matches its name, within the size limit."""
    _editable(nomination)
    suffix = PurePath(filename).suffix.lower()
    kind = EVIDENCE_TYPES.get(suffix)
    if kind is None or not content.startswith(kind[1]):
        raise RecognitionError(_l("Evidence must be a PDF, PNG or JPEG file."), field="file")
    if len(content) > EVIDENCE_MAX_BYTES:
        raise RecognitionError(_l("Each evidence file may be at most 5 MB."), field="file")
    if len(nomination.evidence) >= EVIDENCE_MAX_FILES:
        raise RecognitionError(_l("A nomination may have at most 5 evidence files."), field="file")
    evidence = Evidence(filename=PurePath(filename).name[-255:], content_type=kind[0], size=len(content),
                        content=content)
    nomination.evidence.append(evidence)
    db.session.flush()
    record("nomination.evidence_add", nomination, file=evidence.filename, size=evidence.size)
    return evidence


def remove_evidence(evidence: Evidence) -> None:
    _editable(evidence.nomination)
    record("nomination.evidence_remove", evidence.nomination, file=evidence.filename)
    db.session.delete(evidence)


# --- who sees what ----------------------------------------------------------------------

def nominee_may_know(award_round: AwardRound) -> bool:
    return award_round.status == RoundStatus.ANNOUNCED or not award_round.tell_nominee_at_announcement


def visible_nominations(account, award_round: AwardRound) -> Select:
    """The round's nominations the account may see (HR all; supervisors their own and their units';
    committee members the scored ones once scoring starts; a nominee their own when allowed)."""
    query = select(Nomination).where(Nomination.round_id == award_round.id)
    if account.has_role("admin", "hr"):
        return query
    seen = [Nomination.nominated_by == account.id]
    if account.has_role("supervisor") and account.supervised_unit_ids:
        seen.append(Nomination.unit_id.in_(subtree_ids(account.supervised_unit_ids)))
    if award_round.member(account.id) and award_round.status in (RoundStatus.SCORING, RoundStatus.FINALISED,
                                                                 RoundStatus.ANNOUNCED):
        seen.append(Nomination.status.in_(SCORED))
    if account.person_id and nominee_may_know(award_round):
        seen.append((Nomination.person_id == account.person_id) & (Nomination.status != NominationStatus.DRAFT))
    return query.where(or_(*seen))


def visible_nomination(account, nomination_id: int) -> Nomination | None:
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None:
        return None
    return db.session.scalar(visible_nominations(account, nomination.round).where(Nomination.id == nomination_id))


def taking_nominations(today: date) -> list[AwardRound]:
    """Rounds whose nominations are open and whose deadline has not passed."""
    return list(db.session.scalars(select(AwardRound).where(AwardRound.status == RoundStatus.NOMINATING,
                                                            AwardRound.nominations_close >= today)
                                   .order_by(AwardRound.nominations_close)))


def drafts_of(account, award_round: AwardRound) -> Select:
    """The account's own draft nominations in the round, as its page lists them."""
    return visible_nominations(account, award_round).where(Nomination.nominated_by == account.id,
                                                           Nomination.status == NominationStatus.DRAFT)


def nominable_people(account) -> Select:
    """People the account may nominate: HR anyone, a supervisor the people of their units."""
    return visible_people(account).where(Person.active.is_(True), Person.id != (account.person_id or 0))

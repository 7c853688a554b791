"""A round's settings and its stages: nominating, screening, scoring, finalised, announced.

Criteria, rules and quotas are HR's to edit until scoring starts; after that they are part of
what the committee scored against, so they stay as they were. Nothing is decided under the
criteria and quotas before scoring; screening decides under the rules and the closing date, so
changing either during screening screens every screened nomination again.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ethics.audit.services import record
from ethics.auth.models import Account
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds, utc_now
from ethics.core.i18n import readers_date, thai_date
from ethics.core.links import absolute_url
from ethics.core.refusals import StaleEdit
from ethics.mail.services import queue_for_person
from ethics.recognition import eligibility
from ethics.recognition.errors import RecognitionError, StageClosed
from ethics.recognition.models import (
    AwardRound,
    CommitteeMember,
    Criterion,
    Nomination,
    NominationStatus,
    RoundStatus,
    TieBreak,
)

DEFAULT_CRITERIA = [("ครองตน", 1.0), ("ครองคน", 1.0), ("ครองงาน", 1.0), ("จริยธรรม", 1.0)]


@dataclass
class CriterionData:
    name: str
    weight: float = 1.0
    min_score: int = 0
    max_score: int = 10
    id: int | None = None


@dataclass
class RoundData:
    year: int
    nominations_open: date
    nominations_close: date
    quota_total: int | None = None
    quota_per_unit: int | None = None
    tie_break: str = TieBreak.CRITERION_ORDER
    tell_nominee_at_announcement: bool = True
    rules: dict = field(default_factory=dict)
    criteria: list[CriterionData] = field(default_factory=lambda: [CriterionData(n, w) for n, w in DEFAULT_CRITERIA])
    scoring_deadline: date | None = None  # by when the committee should have scored (members are reminded)


def title_for(year: int) -> str:
    return f"ข้าราชการพลเรือนดีเด่น ประจำปี {year}"


def lock_round(round_id: int, *, share: bool = False) -> AwardRound:
    """The round row, locked: shared by scorers, exclusive for stage changes (README, "Fairness under load")."""
    return db.session.scalars(select(AwardRound).where(AwardRound.id == round_id)
                              .with_for_update(read=share, of=AwardRound).execution_options(populate_existing=True)).one()


def _check(data: RoundData, award_round: AwardRound | None) -> None:
    if data.scoring_deadline is not None and data.scoring_deadline <= data.nominations_close:
        raise RecognitionError(_l("Scoring ends after nominations close."), field="scoring_deadline")
    if data.nominations_close < data.nominations_open:
        raise RecognitionError(_l("The closing date is before the opening date."), field="nominations_close")
    _within_fiscal_year(data)
    other = db.session.scalar(select(AwardRound.id).where(AwardRound.year == data.year))
    if other and (award_round is None or other != award_round.id):
        raise RecognitionError(_l("This year already has a round."), field="year")
    if not data.criteria:
        raise RecognitionError(_l("A round needs at least one criterion."), field="criteria")
    for criterion in data.criteria:
        if criterion.weight <= 0 or criterion.min_score >= criterion.max_score:
            raise RecognitionError(_l("Each criterion needs a positive weight and a lowest score "
                                                  "below its highest."), field="criteria")
    eligibility.check_rules(data.rules)


def _within_fiscal_year(data: RoundData) -> None:
    """A round counts for its fiscal year (the plan's indicators), so its nominations open and close in it."""
    first, last = fiscal_year_bounds(data.year)
    outside = next((name for name in ("nominations_open", "nominations_close")
                    if not first <= getattr(data, name) <= last), None)
    if outside:
        raise RecognitionError(_l("Nominations open and close within fiscal year %(year)d, from %(first)s to %(last)s.",
                                  year=data.year, first=thai_date(first), last=thai_date(last)), field=outside)


def create_round(year: int, opens: date, closes: date, quota_total: int | None = None,
                 data: RoundData | None = None) -> AwardRound:
    data = data or RoundData(year, opens, closes, quota_total)
    _check(data, None)
    award_round = AwardRound(year=data.year, title=title_for(data.year), status=RoundStatus.NOMINATING)
    _apply(award_round, data)
    db.session.add(award_round)
    db.session.flush()
    record("round.create", award_round, year=data.year)
    return award_round


def _apply(award_round: AwardRound, data: RoundData) -> None:
    award_round.nominations_open, award_round.nominations_close = data.nominations_open, data.nominations_close
    award_round.quota_total, award_round.quota_per_unit = data.quota_total, data.quota_per_unit
    award_round.tie_break, award_round.rules = data.tie_break, data.rules
    award_round.tell_nominee_at_announcement = data.tell_nominee_at_announcement
    award_round.scoring_deadline = data.scoring_deadline
    existing = {c.id: c for c in award_round.criteria}
    kept = []
    for position, item in enumerate(data.criteria):
        # an id only once, and only this round's
        criterion = (existing.pop(item.id, None) if item.id is not None else None) or Criterion()
        criterion.position, criterion.name, criterion.weight = position, item.name, item.weight
        criterion.min_score, criterion.max_score = item.min_score, item.max_score
        kept.append(criterion)
    award_round.criteria = kept


@dataclass
class RoundUpdate:
    """What saving a round's settings did: how many nominations were screened again, and
    which overrides (nomination, rule) survived because their rule did not change."""
    award_round: AwardRound
    rescreened: int = 0
    kept_overrides: list[tuple[Nomination, str]] = field(default_factory=list)


def update_round(award_round: AwardRound, data: RoundData, expected_version: int | None) -> RoundUpdate:
    if expected_version is not None and expected_version != award_round.version:
        raise StaleEdit()
    if not award_round.settings_editable:
        raise StageClosed()
    data.year = award_round.year  # the year names the round; a new year is a new round
    _check(data, award_round)
    before = settings_snapshot(award_round)
    before_rules, before_close = dict(award_round.rules), award_round.nominations_close
    _apply(award_round, data)
    db.session.flush()
    record("round.update", award_round, before=before, after=settings_snapshot(award_round))
    update = RoundUpdate(award_round)
    if award_round.status == RoundStatus.SCREENING and (award_round.rules != before_rules
                                                        or award_round.nominations_close != before_close):
        screened = db.session.scalars(select(Nomination).where(
            Nomination.round_id == award_round.id,
            Nomination.status.in_((NominationStatus.ELIGIBLE, NominationStatus.INELIGIBLE)))).all()
        unchanged = eligibility.unchanged_rules(before_rules, award_round.rules,
                                                award_round.nominations_close != before_close)
        update.rescreened = len(screened)
        update.kept_overrides = eligibility.screen(award_round, screened, keep_overrides_on=unchanged)
    return update


def settings_snapshot(award_round: AwardRound) -> dict:
    return {"open": award_round.nominations_open.isoformat(), "close": award_round.nominations_close.isoformat(),
            "quota_total": award_round.quota_total, "quota_per_unit": award_round.quota_per_unit,
            "tie_break": award_round.tie_break, "rules": award_round.rules,
            "tell_nominee_at_announcement": award_round.tell_nominee_at_announcement,
            "criteria": [[c.name, c.weight, c.min_score, c.max_score] for c in award_round.criteria]}


def add_member(award_round: AwardRound, account: Account, is_chair: bool) -> None:
    if award_round.finalised:
        raise StageClosed()
    if not account.has_role("committee"):
        raise RecognitionError(_l("Only accounts with the committee role can sit on the committee."), field="account_id")
    member = award_round.member(account.id)
    if member is None:
        member = CommitteeMember(account_id=account.id)
        award_round.committee.append(member)
    if is_chair:
        for other in award_round.committee:
            other.is_chair = False
    member.is_chair = is_chair
    db.session.flush()
    record("committee.add", award_round, account=account.username, chair=is_chair)


def remove_member(award_round: AwardRound, account_id: int) -> None:
    if not award_round.settings_editable:
        raise StageClosed()
    member = award_round.member(account_id)
    if member is not None:
        award_round.committee.remove(member)
        record("committee.remove", award_round, account_id=account_id)


def start_screening(award_round: AwardRound) -> None:
    """Close nominations and check every submitted one against the round's rules."""
    award_round = lock_round(award_round.id)
    if award_round.status != RoundStatus.NOMINATING:
        raise StageClosed()
    award_round.status = RoundStatus.SCREENING
    submitted = db.session.scalars(select(Nomination).where(Nomination.round_id == award_round.id,
                                                            Nomination.status == NominationStatus.SUBMITTED)).all()
    eligibility.screen(award_round, submitted)
    record("round.screening", award_round, nominations=len(submitted))


def start_scoring(award_round: AwardRound) -> None:
    award_round = lock_round(award_round.id)
    if award_round.status != RoundStatus.SCREENING:
        raise StageClosed()
    if not any(m.is_chair for m in award_round.committee):
        raise RecognitionError(_l("Name the committee and its chair before scoring starts."), field="status")
    award_round.status = RoundStatus.SCORING
    record("round.scoring", award_round)


def announce(award_round: AwardRound, today: date) -> list[Nomination]:
    """Publish the winners and give each a certificate of honour with a verifiable serial."""
    award_round = lock_round(award_round.id)
    if award_round.status != RoundStatus.FINALISED:
        raise StageClosed()
    winners = selected(award_round)
    for number, nomination in enumerate(winners, start=1):
        nomination.certificate_serial = f"HON-{award_round.year}-{number:04d}"
        nomination.certificate_token = secrets.token_urlsafe(32)
    award_round.status, award_round.announced_at = RoundStatus.ANNOUNCED, utc_now()
    record("round.announce", award_round, winners=[n.id for n in winners], on=today.isoformat())
    for nomination in winners:
        _tell_winner(award_round, nomination)
    return winners


def _tell_winner(award_round: AwardRound, nomination: Nomination) -> None:
    """A message to the winner, written with the announcement (so sent only if it commits), in
    their language, linking to their certificate of honour."""
    queue_for_person(nomination.person, "recognition.winner", _l("You were chosen: %(round)s", round=award_round.title),
                     paragraphs=[_l("You were chosen in %(round)s. Your certificate of honour is presented on civil "
                                    "service day, %(day)s; you may download it now.", round=award_round.title,
                                    day=readers_date(award_round.presented_on))],
                     link=absolute_url("recognition.honour_pdf", nomination_id=nomination.id),
                     link_label=_l("Certificate of honour (PDF)"))


def listed() -> list[AwardRound]:
    """Every round, the newest year first: one a year, so never many."""
    return list(db.session.scalars(select(AwardRound).order_by(AwardRound.year.desc())))


def awards_of(person_id: int) -> list[Nomination]:
    """The person's selections in announced rounds, the newest first, with their rounds."""
    return list(db.session.scalars(
        select(Nomination).join(AwardRound, Nomination.round_id == AwardRound.id)
        .where(Nomination.person_id == person_id, Nomination.status == NominationStatus.SELECTED,
               AwardRound.status == RoundStatus.ANNOUNCED)
        .options(joinedload(Nomination.round)).order_by(AwardRound.year.desc())))


def selected(award_round: AwardRound) -> list[Nomination]:
    """The round's selected nominations in rank order, with their people and units."""
    return list(db.session.scalars(select(Nomination).where(Nomination.round_id == award_round.id,
                                                            Nomination.status == NominationStatus.SELECTED)
                                   .options(joinedload(Nomination.person), joinedload(Nomination.unit))
                                   .order_by(Nomination.rank)))


def honour_by_token(token: str) -> Nomination | None:
    return db.session.scalar(select(Nomination).where(Nomination.certificate_token == token))

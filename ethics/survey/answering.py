"""Answering once, without ever linking the answer to the person.

The order of writes is the rule. First, in its own transaction, the participation row
(campaign, person) with its unique key: a second or parallel attempt fails there and stores
nothing. Then, in another transaction, the answer sheet goes to the pending table under a random
id with the unit label fixed at opening. Every BATCH sheets, and at close, pending sheets are
moved into the response tables in random order in one transaction, so neither row order nor
PostgreSQL transaction ids follow the order in which people answered. An optional item left
blank is stored as nothing (no answer row, no marker): the sheet stays one sheet per participation.
"""
from __future__ import annotations

import logging
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.exc import IntegrityError

from ethics.audit.services import record
from ethics.core import forgetting
from ethics.core.database import read_only
from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.core.refusals import NotFound, Refusal
from ethics.core.tasks import after_commit
from ethics.core.text import HIDDEN_CHARACTERS, has_hidden_characters, unix_lines
from ethics.survey.documents import lay_out_results
from ethics.survey.models import (
    CampaignStatus,
    MoraleCampaign,
    SurveyAnswer,
    SurveyEligibility,
    SurveyParticipation,
    SurveyPending,
    SurveyResponse,
)
from ethics.survey.results import tally

BATCH = 10
MOVE_WAIT_S = 2  # how long an answer waits to move its batch before leaving it to the next answer
log = logging.getLogger(__name__)
MAX_COMMENT = 2000
_shuffle = secrets.SystemRandom().shuffle


class AlreadyAnswered(Refusal):
    """This person's participation is already recorded."""

    status = 409

    @classmethod
    def default_message(cls):
        return _l("You have already answered this survey.")


class AnswerProblems(Refusal):
    """Required items were left empty (an optional one may be), or the comment cannot be kept: the
    form is shown again with them marked."""

    def __init__(self, missing: list[int], comment_problem=None):
        super().__init__(comment_problem or _l("Please answer every item marked as required."))
        self.missing = missing  # ids of the items
        self.comment_problem = comment_problem


class CampaignClosed(Refusal):
    """The campaign does not take this step in its present state."""

    status = 409


def accepting(campaign: MoraleCampaign, today: date) -> bool:
    """Open, and today within the campaign's dates."""
    return campaign.status == CampaignStatus.OPEN and campaign.opens_on <= today <= campaign.closes_on


def eligibility(campaign: MoraleCampaign, person_id: int) -> SurveyEligibility | None:
    return db.session.get(SurveyEligibility, (campaign.id, person_id))


def has_answered(campaign: MoraleCampaign, person_id: int) -> bool:
    return db.session.get(SurveyParticipation, (campaign.id, person_id)) is not None


def campaigns_for(person_id: int, today: date) -> list[tuple[MoraleCampaign, bool]]:
    """The campaigns the person may answer today, each with whether they have: one query, however
    many campaigns and answers there are."""
    answered = exists().where(SurveyParticipation.campaign_id == MoraleCampaign.id,
                              SurveyParticipation.person_id == person_id)
    rows = db.session.execute(
        select(MoraleCampaign, answered)
        .join(SurveyEligibility, (SurveyEligibility.campaign_id == MoraleCampaign.id)
              & (SurveyEligibility.person_id == person_id))
        .where(MoraleCampaign.status == CampaignStatus.OPEN).order_by(MoraleCampaign.fiscal_year)).all()
    return [(campaign, bool(done)) for campaign, done in rows if accepting(campaign, today)]


def clean(campaign: MoraleCampaign, form: dict[str, str]) -> tuple[dict[int, int], str]:
    """The Likert values (item id -> 1..5) and comment from a submitted form; unknown keys ignored."""
    values: dict[int, int] = {}
    for item in campaign.items:
        raw = form.get(f"item-{item.id}", "")
        if raw in {"1", "2", "3", "4", "5"}:
            values[item.id] = int(raw)
    missing = [item.id for item in campaign.items if item.required and item.id not in values]
    comment = unix_lines(form.get("comment", "")).strip() if campaign.allow_comment else ""
    comment_problem = None
    if len(comment) > MAX_COMMENT:
        comment_problem = _l("Shorten the comment to at most %(n)d characters.", n=MAX_COMMENT)
    elif has_hidden_characters(comment, multiline=True):
        comment_problem = HIDDEN_CHARACTERS
    if missing or comment_problem:
        raise AnswerProblems(missing, comment_problem)
    return values, comment


def submit(campaign_id: int, person_id: int, values: dict[int, int], comment: str, today: date | None = None) -> None:
    """Record that the person answered, then store the answer apart (two transactions)."""
    campaign = db.session.get(MoraleCampaign, campaign_id)
    if campaign is None or not accepting(campaign, today or local_now().date()):
        raise CampaignClosed(_l("This survey is not open for answers."))
    place = eligibility(campaign, person_id)
    if place is None:
        raise NotFound()
    unit_label = place.unit_label
    db.session.add(SurveyParticipation(campaign_id=campaign_id, person_id=person_id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyAnswered() from None
    db.session.add(SurveyPending(id=secrets.token_hex(16), campaign_id=campaign_id, unit_label=unit_label,
                                 values={str(k): v for k, v in values.items()}, comment=comment))
    db.session.commit()
    # Counted after the commit, not inside it: on PostgreSQL a transaction does not see the sheets
    # others have not committed yet, so two answers arriving together could each count nine and
    # leave a full batch waiting. The reading transaction ends either way: it would hold up the
    # next batch's move, and two answers moving at once, each still holding the share lock its
    # count took, would deadlock taking the table whole. The move counts again under its lock.
    with read_only():  # on SQLite, a count that takes no write lock
        pending = db.session.scalar(select(func.count()).select_from(SurveyPending)
                                    .where(SurveyPending.campaign_id == campaign_id)) or 0
        db.session.rollback()
    if pending < BATCH:
        return
    try:
        shuffle_in(campaign_id, wait_s=MOVE_WAIT_S, at_least=BATCH)
        db.session.commit()
    except forgetting.TablesBusy:  # a long reader holds the table: the next answer moves the batch
        db.session.rollback()
        log.info("the survey batch waits for the next answer: its table was busy")


def shuffle_in(campaign_id: int, wait_s: float | None = None, at_least: int = 0) -> int:
    """Move every pending sheet of the campaign into the response tables, in random order, and
    leave no trace of them in the pending table (which would sit next to who answered when).
    Waits at most `wait_s` for the table (forgetting.TablesBusy), if given. Moves nothing when
    fewer than `at_least` are pending (another answer moved the batch meanwhile)."""
    forgetting.lock(db.session, SurveyPending, wait_s=wait_s)  # first: a submit takes it, then the campaign row
    db.session.scalar(select(MoraleCampaign.id).where(MoraleCampaign.id == campaign_id)
                      .with_for_update(of=MoraleCampaign))
    sheets = list(db.session.scalars(select(SurveyPending).where(SurveyPending.campaign_id == campaign_id)))
    if len(sheets) < at_least:
        return 0
    _shuffle(sheets)
    write_shuffled(campaign_id, [(sheet.unit_label, sheet.comment, sheet.values) for sheet in sheets])
    db.session.execute(delete(SurveyPending).where(SurveyPending.id.in_([sheet.id for sheet in sheets])))
    forgetting.forget_deleted(db.session, SurveyPending)
    return len(sheets)


def write_shuffled(campaign_id: int, sheets: list[tuple[str, str, dict]]) -> None:
    """Insert (unit label, comment, values) sheets, already shuffled by the caller, under fresh random ids."""
    responses, answers = [], []
    for unit_label, comment, values in sheets:
        response_id = secrets.token_hex(16)
        responses.append({"id": response_id, "campaign_id": campaign_id, "unit_label": unit_label, "comment": comment})
        items = list(values.items())
        _shuffle(items)
        answers += [{"response_id": response_id, "item_id": int(item), "value": value} for item, value in items]
    if responses:
        db.session.execute(insert(SurveyResponse), responses)
        db.session.execute(insert(SurveyAnswer), answers)


def rebuild(campaign_id: int) -> int:
    """At close: rewrite every sheet of the campaign in one random order, in one transaction,
    leaving no trace of the batches they arrived in."""
    forgetting.lock(db.session, SurveyPending, SurveyResponse, SurveyAnswer)
    shuffle_in(campaign_id)
    db.session.flush()
    # Outer join: a sheet whose items were all optional and left blank has no answer rows, and is still a sheet.
    stored = db.session.execute(
        select(SurveyResponse.id, SurveyResponse.unit_label, SurveyResponse.comment, SurveyAnswer.item_id,
               SurveyAnswer.value).outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.campaign_id == campaign_id)).all()
    sheets: dict[str, tuple[str, str, dict]] = {}
    for response_id, label, comment, item_id, value in stored:
        values = sheets.setdefault(response_id, (label, comment, {}))[2]
        if item_id is not None:
            values[item_id] = value
    ordered = list(sheets.values())
    _shuffle(ordered)
    ids = list(sheets)
    for start in range(0, len(ids), 1000):
        db.session.execute(delete(SurveyResponse).where(SurveyResponse.id.in_(ids[start:start + 1000])))
    write_shuffled(campaign_id, ordered)
    forgetting.forget_deleted(db.session, SurveyResponse, SurveyAnswer)
    return len(ordered)


def close_campaign(campaign: MoraleCampaign) -> int:
    # Read afresh under a row lock: a second HR closing at the same moment waits here, then finds
    # it closed (and is told so) instead of tallying the campaign twice.
    db.session.refresh(campaign, with_for_update=True)
    if not campaign.closable:
        raise CampaignClosed(_l("Only an open campaign can be closed."))
    count = rebuild(campaign.id)
    tally(campaign.id)
    campaign.status = CampaignStatus.CLOSED
    record("survey.close", campaign, responses=count)
    after_commit(db.session, lay_out_results, campaign.id)
    return count

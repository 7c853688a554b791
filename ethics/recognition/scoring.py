"""Conflict declarations, blind scoring, and finalising a round.

Blindness: a member reads only their own scores until the round is finalised; the chair sees
who has scored what, never the values. Concurrency: scorers hold a shared lock on
the round row and finalising an exclusive one, so a score either lands before the totals are
computed (and counts) or finds the round finalised (and is refused) - never lost in between.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ethics.audit.services import record, record_many
from ethics.core.bulk import upsert
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.recognition.errors import FINALISED, RecognitionError, StageClosed
from ethics.recognition.models import (
    AwardRound,
    CommitteeMember,
    ConflictDeclaration,
    ConflictKind,
    Nomination,
    NominationStatus,
    RoundStatus,
    Score,
    TieBreak,
)
from ethics.recognition.rounds import lock_round

CONFLICT_LABELS = {
    ConflictKind.NONE: _l("No conflict of interest"),
    ConflictKind.RELATIVE: _l("Relative"),
    ConflictKind.SAME_UNIT: _l("Same unit"),
    ConflictKind.DIRECT_SUPERVISOR: _l("Direct supervisor"),
    ConflictKind.OTHER: _l("Other"),
}


class Block(StrEnum):
    """Why a committee member may not score a nomination."""

    UNDECLARED = "undeclared"
    CONFLICT = "conflict"
    NOMINATOR = "nominator"
    NOMINEE = "nominee"

    @property
    def reason(self):
        return BLOCK_REASONS[self]


BLOCK_REASONS = {
    Block.UNDECLARED: _l("Declare any conflict of interest before scoring."),
    Block.CONFLICT: _l("You declared a conflict of interest: you do not score this nomination."),
    Block.NOMINATOR: _l("You nominated this person: you do not score this nomination."),
    Block.NOMINEE: _l("You cannot score your own nomination."),
}


class Progress(StrEnum):
    """Where a member stands on a nomination, as the chair sees it (never the values)."""

    PENDING = "pending"
    SCORED = "scored"
    CONFLICT = "conflict"

    @property
    def label(self):
        return PROGRESS_LABELS[self]


PROGRESS_LABELS = {Progress.PENDING: _l("Not yet"), Progress.SCORED: _l("Scored"),
                   Progress.CONFLICT: _l("Conflict declared")}


def declaration(nomination: Nomination, account_id: int) -> ConflictDeclaration | None:
    return db.session.get(ConflictDeclaration, (nomination.id, account_id))


def block_reason(nomination: Nomination, account, declared: ConflictDeclaration | None) -> Block | None:
    """Why this member may not score this nomination, or None when they may."""
    if nomination.person_id == account.person_id:
        return Block.NOMINEE
    if nomination.nominated_by == account.id:
        return Block.NOMINATOR
    if declared is None:
        return Block.UNDECLARED
    return None if declared.kind == ConflictKind.NONE else Block.CONFLICT


def _member_of_scoring_round(nomination: Nomination, account) -> AwardRound:
    award_round = lock_round(nomination.round_id, share=True)
    if award_round.status != RoundStatus.SCORING:
        raise StageClosed(FINALISED if award_round.finalised else None)
    if award_round.member(account.id) is None or not nomination.scorable:
        raise RecognitionError(_l("You are not on this round's committee."), field="status")
    return award_round


def declare(nomination: Nomination, account, kind: str, note: str) -> ConflictDeclaration:
    """Record a member's declaration; a declared conflict stands and removes their scores."""
    _member_of_scoring_round(nomination, account)
    if kind not in {k.value for k in ConflictKind}:
        raise RecognitionError(_l("Choose the kind of conflict."), field="kind")
    if kind != ConflictKind.NONE and not note.strip():
        raise RecognitionError(_l("Describe the conflict in a note."), field="note")
    declared = declaration(nomination, account.id)
    if declared is not None and declared.kind != ConflictKind.NONE:
        raise RecognitionError(_l("A declared conflict of interest cannot be withdrawn."), field="kind")
    if declared is None:
        declared = ConflictDeclaration(nomination_id=nomination.id, account_id=account.id)
        db.session.add(declared)
    declared.kind, declared.note = kind, note.strip()
    if kind != ConflictKind.NONE:
        db.session.execute(delete(Score).where(Score.nomination_id == nomination.id, Score.account_id == account.id))
    db.session.flush()
    record("nomination.conflict", nomination, member=account.username, kind=kind)
    return declared


def declare_no_conflict_with_the_rest(award_round: AwardRound, account) -> int:
    """One declaration of no conflict for every nomination the member has yet to declare for, as if
    declared one by one (a declared conflict stays); how many, in a bounded number of queries."""
    award_round = lock_round(award_round.id, share=True)
    if award_round.status != RoundStatus.SCORING:
        raise StageClosed(FINALISED if award_round.finalised else None)
    if award_round.member(account.id) is None:
        raise RecognitionError(_l("You are not on this round's committee."), field="status")
    undeclared = [n.id for n, block in blocks(account, [award_round.id]) if block == Block.UNDECLARED]
    if not undeclared:
        return 0
    # A double click sends this twice at once: rows the other request wrote first are left alone
    # (and not audited twice) instead of failing on the key.
    insert = upsert(db.session.get_bind().dialect.name)(ConflictDeclaration).values(
        [{"nomination_id": nid, "account_id": account.id, "kind": ConflictKind.NONE.value, "note": ""} for nid in undeclared])
    written = sorted(db.session.scalars(insert.on_conflict_do_nothing(index_elements=["nomination_id", "account_id"])
                                        .returning(ConflictDeclaration.nomination_id)))
    record_many("nomination.conflict", [("Nomination", str(nid), {"member": account.username,
                                                                   "kind": ConflictKind.NONE.value})
                                        for nid in written])
    return len(written)


def save_scores(nomination: Nomination, account, values: dict[int, tuple[int | None, str]]) -> None:
    """Replace the member's scores for this nomination: one value per criterion, in its range."""
    award_round = _member_of_scoring_round(nomination, account)
    db.session.scalar(select(Nomination.id).where(Nomination.id == nomination.id).with_for_update())
    reason = block_reason(nomination, account, declaration(nomination, account.id))
    if reason:
        raise RecognitionError(reason.reason, field="status")
    for criterion in award_round.criteria:
        value = values.get(criterion.id, (None, ""))[0]
        if value is None or not criterion.min_score <= value <= criterion.max_score:
            raise RecognitionError(_l("Score every criterion within its range (%(name)s: %(low)d-%(high)d).",
                                                name=criterion.name, low=criterion.min_score,
                                                high=criterion.max_score), field="scores")
    db.session.execute(delete(Score).where(Score.nomination_id == nomination.id, Score.account_id == account.id))
    db.session.add_all(Score(nomination_id=nomination.id, account_id=account.id, criterion_id=c.id,
                             value=values[c.id][0], comment=values[c.id][1].strip())
                       for c in award_round.criteria)
    db.session.flush()
    record("nomination.score", nomination, member=account.username)


def own_scores(nomination: Nomination, account_id: int) -> dict[int, Score]:
    return {s.criterion_id: s for s in db.session.scalars(
        select(Score).where(Score.nomination_id == nomination.id, Score.account_id == account_id))}


def scores_of_round(award_round: AwardRound, nomination_id: int | None = None) -> list[Score]:
    """Every member's scores (of one nomination, when given): only once the round is finalised
    (docs/access.md)."""
    if not award_round.finalised:
        raise StageClosed()
    query = select(Score).join(Nomination).where(Nomination.round_id == award_round.id)
    if nomination_id is not None:
        query = query.where(Score.nomination_id == nomination_id)
    return list(db.session.scalars(query))


def progress(award_round: AwardRound) -> dict[tuple[int, int], Progress]:
    """For the chair: (nomination, member) -> scored or conflict (pending when absent); no values."""
    scored = {(n, a) for n, a in db.session.execute(select(Score.nomination_id, Score.account_id).join(Nomination)
                                                    .where(Nomination.round_id == award_round.id).distinct())}
    conflicts = {(n, a) for n, a in db.session.execute(
        select(ConflictDeclaration.nomination_id, ConflictDeclaration.account_id).join(Nomination)
        .where(Nomination.round_id == award_round.id, ConflictDeclaration.kind != ConflictKind.NONE))}
    return {key: Progress.SCORED for key in scored} | {key: Progress.CONFLICT for key in conflicts}


@dataclass
class Standing:
    """Where a committee member stands in a round being scored: nominations waiting for their
    declaration, and how many of those they score (declared free, or yet to declare) they have scored."""

    award_round: AwardRound
    to_declare: int = 0
    to_score: int = 0
    scored: int = 0


def blocks(account, round_ids: list[int], *options) -> list[tuple[Nomination, Block | None]]:
    """Every eligible nomination of the rounds with block_reason's answer for the member, in two
    queries however many there are (`options` load more of each nomination in the same query)."""
    in_rounds = Nomination.round_id.in_(round_ids)
    declared = {d.nomination_id: d for d in db.session.scalars(
        select(ConflictDeclaration).join(Nomination).where(in_rounds, ConflictDeclaration.account_id == account.id))}
    eligible = db.session.scalars(select(Nomination).where(in_rounds, Nomination.status == NominationStatus.ELIGIBLE)
                                  .options(*options).order_by(Nomination.id))
    return [(nomination, block_reason(nomination, account, declared.get(nomination.id))) for nomination in eligible]


def counts_for(block: Block | None) -> bool:
    """A nomination the member scores once declared free of conflict: their progress counts it."""
    return block in (None, Block.UNDECLARED)


def standing(account) -> list[Standing]:
    """The member's standing in every round they sit on that is being scored, by block_reason's rule,
    in four queries however many nominations there are."""
    rounds = list(db.session.scalars(select(AwardRound).join(CommitteeMember).where(
        CommitteeMember.account_id == account.id, AwardRound.status == RoundStatus.SCORING).order_by(AwardRound.year)))
    if not rounds:
        return []
    scored = set(db.session.scalars(select(Score.nomination_id).join(Nomination).where(
        Nomination.round_id.in_([r.id for r in rounds]), Score.account_id == account.id).distinct()))
    standings = {r.id: Standing(r) for r in rounds}
    for nomination, block in blocks(account, list(standings)):
        if counts_for(block):
            mine = standings[nomination.round_id]
            mine.to_declare += block == Block.UNDECLARED
            mine.to_score += 1
            mine.scored += nomination.id in scored
    return list(standings.values())


# --- finalising -----------------------------------------------------------------------------

@dataclass
class Ranked:
    nomination: Nomination
    total: float
    means: list[float]
    rank: int = 0
    selected: bool = False


def rank(award_round: AwardRound, nominations: list[Nomination], scores: list[Score]) -> list[Ranked]:
    """Weighted totals of the members' mean per criterion, ranked, tie-broken and cut by quotas.

    Ties left after the round's tie-break go to the earlier nomination, so every rank is distinct
    and the order can be explained line by line.
    """
    values: dict[tuple[int, int], list[int]] = defaultdict(list)
    for score in scores:
        values[(score.nomination_id, score.criterion_id)].append(score.value)
    ranked = []
    for nomination in nominations:
        means = [_mean(values[(nomination.id, c.id)]) for c in award_round.criteria]
        total = round(sum(m * c.weight for m, c in zip(means, award_round.criteria, strict=False)), 2)
        ranked.append(Ranked(nomination, total, means))
    ranked.sort(key=lambda r: (-r.total, *_tie_break(award_round.tie_break, r), r.nomination.id))
    per_unit: dict[int, int] = defaultdict(int)
    chosen = 0
    for position, item in enumerate(ranked, start=1):
        item.rank = position
        unit = item.nomination.unit_id
        if ((award_round.quota_total is None or chosen < award_round.quota_total)
                and (award_round.quota_per_unit is None or per_unit[unit] < award_round.quota_per_unit)):
            item.selected, chosen = True, chosen + 1
            per_unit[unit] += 1
    return ranked


def _mean(numbers: list[int]) -> float:
    return sum(numbers) / len(numbers) if numbers else 0.0


def _tie_break(rule: str, item: Ranked) -> tuple:
    if rule == TieBreak.SERVICE_LENGTH:
        start = item.nomination.person.service_start_date
        return (start.toordinal() if start else 10**7,)
    return tuple(-m for m in item.means)


def finalise(award_round: AwardRound, account) -> list[Ranked]:
    award_round = lock_round(award_round.id)
    if award_round.status != RoundStatus.SCORING:
        raise StageClosed()
    member = award_round.member(account.id)
    if member is None or not member.is_chair:
        raise RecognitionError(_l("Only the chair finalises the round."), field="status")
    nominations = list(db.session.scalars(select(Nomination).where(
        Nomination.round_id == award_round.id, Nomination.status == NominationStatus.ELIGIBLE)))
    scores = list(db.session.scalars(select(Score).join(Nomination).where(Nomination.round_id == award_round.id,
                                                                          Nomination.status == NominationStatus.ELIGIBLE)))
    unscored = [n.person.full_name for n in nominations if not any(s.nomination_id == n.id for s in scores)]
    if unscored:
        raise RecognitionError(_l("Every eligible nomination needs at least one score: %(names)s.",
                                            names=", ".join(unscored)), field="status")
    ranked = rank(award_round, nominations, scores)
    for item in ranked:
        item.nomination.total_score, item.nomination.rank = item.total, item.rank
        item.nomination.status = NominationStatus.SELECTED if item.selected else NominationStatus.NOT_SELECTED
    award_round.status, award_round.finalised_at = RoundStatus.FINALISED, utc_now()
    record("round.finalise", award_round, scores=len(scores),
           ranking=[[r.nomination.id, r.total, r.rank, r.selected] for r in ranked])
    return ranked

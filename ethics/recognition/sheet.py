"""A committee member's scoring sheet: every nomination of the round in rows, the criteria in
columns, and the member's own progress.

The sheet is a view over scoring: who may score what is block_reason's answer, and a row is
saved by save_scores, so blindness and the round's locks hold exactly as on a nomination's page.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ethics.core.extensions import db
from ethics.people.models import Person
from ethics.recognition import scoring
from ethics.recognition.errors import FINALISED, RecognitionError, StageClosed
from ethics.recognition.models import AwardRound, Nomination, Score
from ethics.recognition.scoring import Block

Entered = dict[int, int | None]  # criterion id -> the value typed, None when left blank


@dataclass
class Row:
    """One nomination as the member sees it on the sheet: why they may not score it, if so, and
    their own scores of it by criterion."""

    nomination: Nomination
    block: Block | None
    scores: dict[int, Score]

    @property
    def counted(self) -> bool:
        return scoring.counts_for(self.block)

    @property
    def scored(self) -> bool:
        return bool(self.scores)

    def unchanged(self, entered: Entered) -> bool:
        return bool(self.scores) and all(self.scores[c].value == v for c, v in entered.items() if c in self.scores)


@dataclass
class ScoringSheet:
    award_round: AwardRound
    rows: list[Row]

    @property
    def to_score(self) -> int:
        return sum(row.counted for row in self.rows)

    @property
    def scored(self) -> int:
        return sum(row.counted and row.scored for row in self.rows)

    @property
    def undeclared(self) -> int:
        return sum(row.block == Block.UNDECLARED for row in self.rows)

    def row(self, nomination_id: int) -> Row | None:
        return next((row for row in self.rows if row.nomination.id == nomination_id), None)


def sheet_for(award_round: AwardRound, account) -> ScoringSheet:
    """The member's sheet of the round, by the nominee's name, in three queries however many rows."""
    pairs = scoring.blocks(account, [award_round.id], joinedload(Nomination.person), joinedload(Nomination.unit))
    own: dict[int, dict[int, Score]] = {}
    for score in db.session.scalars(select(Score).join(Nomination).where(Nomination.round_id == award_round.id,
                                                                         Score.account_id == account.id)):
        own.setdefault(score.nomination_id, {})[score.criterion_id] = score
    rows = [Row(nomination, block, own.get(nomination.id, {})) for nomination, block in pairs]
    rows.sort(key=lambda row: (_name_key(row.nomination.person), row.nomination.id))
    return ScoringSheet(award_round, rows)


def _name_key(person: Person) -> tuple[str, str]:
    return person.first_name, person.last_name


class RowRefused(RecognitionError):
    """A row of the sheet was refused: the message names the rule, `field` the row's first box."""


def save_row(row: Row, account, entered: Entered) -> None:
    """The member's scores of one row, their comments (written on the nomination's page) kept."""
    comments = {criterion_id: score.comment for criterion_id, score in row.scores.items()}
    try:
        scoring.save_scores(row.nomination, account, {c: (v, comments.get(c, "")) for c, v in entered.items()})
    except RecognitionError as refusal:
        raise RowRefused(refusal.message, field=field_name(row.nomination.id, next(iter(entered)))) from None


def save_sheet(sheet: ScoringSheet, account, entered: dict[int, Entered]) -> int:
    """Every row filled in and changed, saved as save_row saves it; rows left blank stay unscored.
    All or nothing: the first refusal names its row. How many rows were saved."""
    if not sheet.award_round.scoring:
        raise StageClosed(FINALISED if sheet.award_round.finalised else None)
    saved = 0
    for nomination_id, values in entered.items():
        row = sheet.row(nomination_id)
        if row is None or all(v is None for v in values.values()) or row.unchanged(values):
            continue
        save_row(row, account, values)
        saved += 1
    return saved


def field_name(nomination_id: int, criterion_id: int) -> str:
    """The sheet's box for one nomination and criterion."""
    return f"s{nomination_id}_{criterion_id}"

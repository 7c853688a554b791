"""`export-nominations` (one row per nomination of the fiscal year's round) and the score sheet."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ethics.auth.models import Account
from ethics.core.extensions import db
from ethics.core.spreadsheets import Paper, two_places, write_xlsx
from ethics.people.models import Person
from ethics.recognition import scoring
from ethics.recognition.models import AwardRound, Nomination, NominationStatus, RoundStatus, Score

HEADER = ["round", "citizen_id", "name", "unit", "personnel_type", "nominated_by", "status", "total_score", "rank",
          "awarded"]


def rows(fiscal_year: int) -> Iterator[list]:
    query = (select(Nomination, AwardRound, Account.username).join(AwardRound)
             .join(Account, Account.id == Nomination.nominated_by).join(Person, Person.id == Nomination.person_id)
             .where(AwardRound.year == fiscal_year)
             .options(joinedload(Nomination.person), joinedload(Nomination.unit))
             .order_by(Nomination.rank.is_(None), Nomination.rank, Person.first_name, Person.last_name))
    for nomination, award_round, nominator in db.session.execute(query):
        awarded = award_round.status == RoundStatus.ANNOUNCED and nomination.status == NominationStatus.SELECTED
        yield [award_round.year, nomination.person.citizen_id, nomination.person.full_name, nomination.unit.code,
               nomination.person.personnel_type, nominator, nomination.status,
               two_places(nomination.total_score),
               "" if nomination.rank is None else nomination.rank, "yes" if awarded else "no"]


# --- the committee's score sheet, for the minutes (only once the round is finalised) --------

@dataclass
class ScoreSheet:
    header: list[str]
    rows: list[list]


def _by_member(award_round: AwardRound, scores: list[Score]) -> dict[int, dict[str, dict[int, Score]]]:
    """Nomination id -> member's username -> that member's scores of it, by criterion."""
    names = {m.account_id: m.account.username for m in award_round.committee}
    grouped: dict[int, dict[str, dict[int, Score]]] = defaultdict(lambda: defaultdict(dict))
    for score in scores:
        grouped[score.nomination_id][names.get(score.account_id, str(score.account_id))][score.criterion_id] = score
    return grouped


def scores_by_member(award_round: AwardRound, nomination: Nomination) -> list[tuple[str, dict[int, Score]]]:
    """Each member's scores of one nomination, by criterion; refused before finalising."""
    return sorted(_by_member(award_round, scoring.scores_of_round(award_round, nomination.id))[nomination.id].items())


def score_sheet(award_round: AwardRound) -> ScoreSheet:
    """One row per member and nominee, then the nominee's weighted total and result."""
    grouped = _by_member(award_round, scoring.scores_of_round(award_round))
    criteria = award_round.criteria
    header = [_("Rank"), _("Name"), _("Unit"), _("Committee member")] + [c.name for c in criteria] + [
        _("Comments"), _("Weighted total"), _("Selection result")]
    ranked = db.session.scalars(select(Nomination).where(Nomination.round_id == award_round.id,
                                                         Nomination.rank.is_not(None))
                                .options(joinedload(Nomination.person), joinedload(Nomination.unit))
                                .order_by(Nomination.rank)).all()
    rows: list[list] = []
    for nomination in ranked:
        start: list = [nomination.rank, nomination.person.full_name, nomination.unit.code]
        for member, marks in sorted(grouped[nomination.id].items()):
            rows.append(start + [member] + [marks[c.id].value for c in criteria] + [
                " / ".join(marks[c.id].comment for c in criteria if marks[c.id].comment),
                two_places(sum(marks[c.id].value * c.weight for c in criteria)), ""])
        result = _("Selected") if nomination.status == NominationStatus.SELECTED else _("Not selected")
        rows.append(start + [_("Weighted mean")] + [""] * len(criteria) + ["", two_places(nomination.total_score),
                                                                           result])
    return ScoreSheet(header, rows)


def score_sheet_xlsx(sheet: ScoreSheet) -> bytes:
    """For the minutes: printed landscape, the rank, name and unit columns sized for their text."""
    stream = BytesIO()
    write_xlsx(stream, sheet.header, sheet.rows, title="scores", paper=Paper(widths=(6, 26, 24, 20), landscape=True))
    return stream.getvalue()

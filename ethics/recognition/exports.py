"""`export-nominations` (one row per nomination of the fiscal year's round) and the committee's score sheet."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ethics.auth.models import Account
from ethics.core.extensions import db
from ethics.core.spreadsheets import Paper, Sheet, two_places, write_sheets
from ethics.organisation.services import SignatureBlock
from ethics.people.models import Person
from ethics.recognition import scoring
from ethics.recognition.models import (
    AwardRound,
    CommitteeMember,
    ConflictDeclaration,
    ConflictKind,
    Nomination,
    NominationStatus,
    RoundStatus,
    Score,
)

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

CHAIR, MEMBER = "ประธานกรรมการ", "กรรมการ"  # the roles printed beside the members' signatures


@dataclass(frozen=True)
class Conflict:
    """A conflict of interest a member declared with a nominee: the minutes record it by name."""

    member: str
    nominee: str
    kind: LazyString  # Thai on the PDF, the reader's language in the XLSX
    note: str


@dataclass
class ScoreSheet:
    """What the committee signs for the minutes. Its words are lazy, so the PDF prints them in Thai
    whatever the reader's language, and the XLSX in the reader's."""

    NAME_COLUMNS: ClassVar[tuple[int, ...]] = (1, 3)  # the nominee's and the member's: printed unbroken

    header: list
    rows: list[list]
    conflicts: list[Conflict]
    signers: list[SignatureBlock]


def member_name(account: Account) -> str:
    """An account as the selection names it (pages, minutes): by the person's full name; by the
    username only for an account with no person."""
    return account.person.full_name if account.person else account.username


def _committee(award_round: AwardRound) -> list[CommitteeMember]:
    """Chair first, then by name: the order members' scores are listed and their signatures printed."""
    return sorted(award_round.committee, key=lambda m: (not m.is_chair, member_name(m.account)))


def _by_member(committee: list[CommitteeMember], scores: list[Score]) -> dict[int, list[tuple[str, dict[int, Score]]]]:
    """Nomination id -> each member's name and scores of it, by criterion, in committee order; grouped
    by account, as two members may share a name. Every scorer is a member: the committee is fixed
    once scoring starts."""
    marks: dict[tuple[int, int], dict[int, Score]] = defaultdict(dict)
    for score in scores:
        marks[score.nomination_id, score.account_id][score.criterion_id] = score
    grouped: dict[int, list[tuple[str, dict[int, Score]]]] = defaultdict(list)
    for member in committee:
        for (nomination_id, account_id), by_criterion in marks.items():
            if account_id == member.account_id:
                grouped[nomination_id].append((member_name(member.account), by_criterion))
    return grouped


def scores_by_member(award_round: AwardRound, nomination: Nomination) -> list[tuple[str, dict[int, Score]]]:
    """Each member's scores of one nomination, by criterion; refused before finalising."""
    scores = scoring.scores_of_round(award_round, nomination.id)
    return _by_member(_committee(award_round), scores).get(nomination.id, [])


def _conflicts(award_round: AwardRound, committee: list[CommitteeMember]) -> list[Conflict]:
    """The conflicts declared (a "none" declaration is not one), by member, then by the nominee's rank."""
    declared = db.session.execute(
        select(ConflictDeclaration, Nomination).join(Nomination, Nomination.id == ConflictDeclaration.nomination_id)
        .where(Nomination.round_id == award_round.id, ConflictDeclaration.kind != ConflictKind.NONE)
        .options(joinedload(Nomination.person)).order_by(Nomination.rank)).all()
    return [Conflict(member_name(member.account), nomination.person.full_name,
                     scoring.CONFLICT_LABELS[ConflictKind(d.kind)], d.note)
            for member in committee for d, nomination in declared if d.account_id == member.account_id]


def _signer(member: CommitteeMember) -> SignatureBlock:
    """The member's signature block; an account with no person signs under its username, the position
    left to be written in by hand."""
    role = CHAIR if member.is_chair else MEMBER
    person = member.account.person
    return SignatureBlock.of_person(person, role) if person else SignatureBlock(member.account.username, "", role=role)


def score_sheet(award_round: AwardRound) -> ScoreSheet:
    """One row per member and nominee, then the nominee's weighted total and result; the conflicts
    declared; a signature block for every member."""
    committee = _committee(award_round)
    grouped = _by_member(committee, scoring.scores_of_round(award_round))
    criteria = award_round.criteria
    header = [_l("Rank"), _l("Name"), _l("Unit"), _l("Committee member")] + [c.name for c in criteria] + [
        _l("Comments"), _l("Weighted total"), _l("Selection result")]
    ranked = db.session.scalars(select(Nomination).where(Nomination.round_id == award_round.id,
                                                         Nomination.rank.is_not(None))
                                .options(joinedload(Nomination.person), joinedload(Nomination.unit))
                                .order_by(Nomination.rank)).all()
    rows: list[list] = []
    for nomination in ranked:
        start: list = [nomination.rank, nomination.person.full_name, nomination.unit.name_th]
        for member, marks in grouped[nomination.id]:
            rows.append(start + [member] + [marks[c.id].value for c in criteria] + [
                " / ".join(marks[c.id].comment for c in criteria if marks[c.id].comment),
                two_places(sum(marks[c.id].value * c.weight for c in criteria)), ""])
        result = _l("Selected") if nomination.status == NominationStatus.SELECTED else _l("Not selected")
        rows.append(start + [_l("Weighted mean")] + [""] * len(criteria) + ["", two_places(nomination.total_score),
                                                                            result])
    return ScoreSheet(header, rows, _conflicts(award_round, committee), [_signer(m) for m in committee])


def score_sheet_xlsx(sheet: ScoreSheet) -> bytes:
    """For the minutes: the scores printed landscape, the rank, name and unit columns sized for their
    text; the declared conflicts on a second sheet, "conflicts", printed too."""
    stream = BytesIO()
    conflicts = ([c.member, c.nominee, str(c.kind), c.note] for c in sheet.conflicts)
    write_sheets(stream, [
        Sheet("scores", sheet.header, sheet.rows, Paper(widths=(6, 26, 24, 20), landscape=True)),
        Sheet("conflicts", [_("Committee member"), _("Nominee"), _("Kind"), _("Note")], conflicts, Paper()),
    ])
    return stream.getvalue()

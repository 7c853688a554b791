"""`export-nominations`: one row per nomination of the fiscal year's round."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ethics.auth.models import Account
from ethics.extensions import db
from ethics.people.models import Person
from ethics.recognition.models import AwardRound, Nomination, NominationStatus, RoundStatus

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
               "" if nomination.total_score is None else f"{nomination.total_score:.2f}",
               "" if nomination.rank is None else nomination.rank, "yes" if awarded else "no"]

"""The selection's counting rules, used by the export and the plan's indicators.

Nominees of a fiscal year = distinct people with a nomination in that year's round that was
submitted and not withdrawn; awardees = people selected in a round that has been announced.
"""
from __future__ import annotations

from sqlalchemy import select

from ethics.core.extensions import db
from ethics.people.counting import Count, people_count
from ethics.recognition.models import AwardRound, Nomination, NominationStatus, RoundStatus

COUNTED = (NominationStatus.SUBMITTED, NominationStatus.ELIGIBLE, NominationStatus.INELIGIBLE,
           NominationStatus.SELECTED, NominationStatus.NOT_SELECTED)


def round_of(fiscal_year: int) -> AwardRound | None:
    return db.session.scalar(select(AwardRound).where(AwardRound.year == fiscal_year))


def nominees(fiscal_year: int) -> Count:
    return people_count(select(Nomination.person_id.label("person_id")).join(AwardRound)
                        .where(AwardRound.year == fiscal_year, Nomination.status.in_(COUNTED)))


def awardees(fiscal_year: int) -> Count:
    return people_count(select(Nomination.person_id.label("person_id")).join(AwardRound)
                        .where(AwardRound.year == fiscal_year, AwardRound.status == RoundStatus.ANNOUNCED,
                               Nomination.status == NominationStatus.SELECTED))


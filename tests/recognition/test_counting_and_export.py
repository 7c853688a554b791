from __future__ import annotations

import csv
from datetime import date

import pytest
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.recognition import counting, nominations, rounds
from ethics.recognition.errors import RecognitionError
from ethics.recognition.models import NominationStatus, RoundStatus

OPENS, CLOSES = date(2026, 1, 5), date(2026, 1, 31)


@pytest.fixture
def award_round(app):
    award_round = rounds.create_round(2569, OPENS, CLOSES, quota_total=1)
    db.session.commit()
    return award_round


def justified(award_round):
    return {str(c.id): "เป็นแบบอย่างที่ดี" for c in award_round.criteria}


def test_default_criteria(award_round):
    assert [c.name for c in award_round.criteria] == ["ครองตน", "ครองคน", "ครองงาน", "จริยธรรม"]


def test_submit_needs_a_justification_per_criterion_and_the_deadline(award_round, org):
    boss = org["accounts"]["supervisor"]
    nomination = nominations.nominate(award_round, org["people"]["inside"], boss.id, {})
    with pytest.raises(RecognitionError, match="Justify every criterion"):
        nominations.submit(nomination, OPENS)
    nomination.justification = justified(award_round)
    with pytest.raises(RecognitionError, match="deadline"):
        nominations.submit(nomination, date(2026, 2, 1))
    nominations.submit(nomination, CLOSES)
    assert nomination.status == NominationStatus.SUBMITTED
    with pytest.raises(RecognitionError, match="already nominated"):
        nominations.nominate(award_round, org["people"]["inside"], boss.id, {})


def test_counting_rules(award_round, org, make_person):
    boss = org["accounts"]["supervisor"].id
    submitted, withdrawn, draft, winner = (make_person(personnel_type=kind) for kind in
                                           ("civil_servant", "civil_servant", "civil_servant", "permanent_employee"))
    for person in (submitted, withdrawn, winner):
        nominations.submit(nominations.nominate(award_round, person, boss, justified(award_round)), OPENS)
    nominations.nominate(award_round, draft, boss, justified(award_round))
    nominations.withdraw(next(n for n in _nominations(award_round) if n.person_id == withdrawn.id))
    db.session.commit()
    assert counting.nominees(2569).total == 2
    assert counting.nominees(2569).by_personnel_type == {"civil_servant": 1, "permanent_employee": 1}
    selected = next(n for n in _nominations(award_round) if n.person_id == winner.id)
    selected.status = NominationStatus.SELECTED
    award_round.status = RoundStatus.FINALISED
    db.session.commit()
    assert counting.awardees(2569).total == 0  # not before the announcement
    award_round.status = RoundStatus.ANNOUNCED
    db.session.commit()
    assert counting.awardees(2569).total == 1 and counting.nominees(2568).total == 0


def test_export_nominations_agrees_with_the_counting_rules(runner, award_round, org, make_person, tmp_path):
    boss = org["accounts"]["supervisor"].id
    people = [make_person() for _ in range(3)]
    for n, person in enumerate(people):
        nomination = nominations.nominate(award_round, person, boss, justified(award_round))
        nominations.submit(nomination, OPENS)
        nomination.total_score, nomination.rank = 30.0 - n, n + 1
        nomination.status = NominationStatus.SELECTED if n == 0 else NominationStatus.NOT_SELECTED
    award_round.status = RoundStatus.ANNOUNCED
    db.session.commit()
    output = tmp_path / "nominations.csv"
    assert runner.invoke(args=["export-nominations", "--fiscal-year", "2569", "--output", str(output)]).exit_code == 0
    rows = list(csv.reader(output.open(encoding="utf-8-sig")))
    assert rows[0] == ["round", "citizen_id", "name", "unit", "personnel_type", "nominated_by", "status",
                       "total_score", "rank", "awarded"]
    assert [row[6] for row in rows[1:]] == ["selected", "not_selected", "not_selected"]
    assert rows[1][7:] == ["30.00", "1", "yes"] and rows[1][5] == "supervisor"
    assert sum(row[9] == "yes" for row in rows[1:]) == counting.awardees(2569).total
    assert len(rows) - 1 == counting.nominees(2569).total


def _nominations(award_round):
    from ethics.recognition.models import Nomination

    return list(db.session.scalars(select(Nomination).where(Nomination.round_id == award_round.id)))

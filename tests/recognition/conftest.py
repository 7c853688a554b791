"""A round in each stage, built through the services the screens use."""
from __future__ import annotations

from datetime import date

import pytest

from ethics.core.extensions import db
from ethics.core.fiscal import to_ce
from ethics.recognition import nominations, rounds

OPENS, CLOSES = date(2026, 1, 5), date(2026, 1, 31)


def justified(award_round) -> dict[str, str]:
    return {str(c.id): "เป็นแบบอย่างที่ดี" for c in award_round.criteria}


def window(year: int) -> tuple[date, date]:
    """A nomination window in January of the fiscal year: OPENS and CLOSES for 2569."""
    return date(to_ce(year), 1, 5), date(to_ce(year), 1, 31)


def open_round(year: int = 2569, **settings):
    opens, closes = window(year)
    data = rounds.RoundData(year, opens, closes, **settings)
    return rounds.create_round(year, opens, closes, data=data)


def submit_all(award_round, people, nominator_id: int) -> list:
    made = []
    for person in people:
        nomination = nominations.nominate(award_round, person, nominator_id, justified(award_round))
        nominations.submit(nomination, award_round.nominations_open)
        made.append(nomination)
    return made


@pytest.fixture
def committee(org, make_account, make_person):
    """The chair (the org's committee account) and a second member in another unit."""
    member = make_account("member", ("committee", "employee"), person=make_person(org["units"]["audit"]))
    return org["accounts"]["committee"], member


@pytest.fixture
def scoring_round(org, committee, make_person):
    """Three eligible nominations of the supervisor's units, with the committee scoring."""
    chair, member = committee
    award_round = open_round(quota_total=1)
    people = [make_person(org["units"]["dev_team"]) for _ in range(3)]
    made = submit_all(award_round, people, org["accounts"]["supervisor"].id)
    rounds.add_member(award_round, chair, is_chair=True)
    rounds.add_member(award_round, member, is_chair=False)
    rounds.start_screening(award_round)
    rounds.start_scoring(award_round)
    db.session.commit()
    return {"round": award_round, "nominations": made, "chair": chair, "member": member}

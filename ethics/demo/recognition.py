"""Demo rounds, run through the same services as the screens: 2551 from nomination to
announcement, and the current year open for nominations."""
from __future__ import annotations

import random
from datetime import date, timedelta

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds, fiscal_year_of, to_ce
from ethics.people.models import DisciplinaryFlag, Person
from ethics.recognition import nominations, rounds, scoring
from ethics.recognition.models import ConflictKind, NominationStatus

REASONS = ["ปฏิบัติตนเป็นแบบอย่างที่ดี ตรงต่อเวลา", "ให้คำแนะนำและช่วยเหลือเพื่อนร่วมงานเสมอ",
           "ผลงานเป็นที่ประจักษ์ ลดขั้นตอนการให้บริการประชาชน", "ซื่อสัตย์สุจริต ไม่มีประวัติถูกร้องเรียน"]
RULES = {"min_service_years": 3, "personnel_types": ["civil_servant"], "no_disciplinary_flag": True}


def _nominate(rng, award_round, people, nominator, day):
    for person in people:
        nomination = nominations.nominate(award_round, person, nominator.id,
                                          {str(c.id): rng.choice(REASONS) for c in award_round.criteria})
        nominations.submit(nomination, day)


def seed(rng: random.Random, people: list[Person], accounts: dict, today: date) -> None:
    chair, member, hr = accounts["committee"], accounts["committee2"], accounts["hr"]
    civil = [p for p in people if p.personnel_type == "civil_servant"
             and p.service_start_date is not None and p.service_start_date.year < 2005
             and p.id not in (chair.person_id, member.person_id)]
    opens = date(to_ce(2551), 1, 5)
    old = rounds.create_round(2551, opens, date(to_ce(2551), 1, 31),
                              data=rounds.RoundData(2551, opens, date(to_ce(2551), 1, 31), quota_total=3, rules=RULES))
    chosen = rng.sample(civil, 8)
    db.session.add(DisciplinaryFlag(person_id=chosen[-1].id, opened_on=date(to_ce(2550), 11, 2),
                                    note="อยู่ระหว่างการสอบสวนข้อเท็จจริง"))
    _nominate(rng, old, chosen, hr, opens)
    rounds.add_member(old, chair, is_chair=True)
    rounds.add_member(old, member, is_chair=False)
    rounds.start_screening(old)
    rounds.start_scoring(old)
    for nomination in db.session.scalars(nominations.visible_nominations(hr, old)):
        if nomination.status != NominationStatus.ELIGIBLE:
            continue
        for account in (chair, member):
            scoring.declare(nomination, account, ConflictKind.NONE, "")
            scoring.save_scores(nomination, account, {c.id: (rng.randint(6, 10), "") for c in old.criteria})
    scoring.finalise(old, chair)
    rounds.announce(old, date(to_ce(2551), 3, 15))

    year = fiscal_year_of(today)
    starts, ends = fiscal_year_bounds(year)  # the window stays inside the round's year, even in late September
    current = rounds.create_round(year, max(today - timedelta(days=10), starts), min(today + timedelta(days=30), ends),
                                  quota_total=5)
    rounds.add_member(current, chair, is_chair=True)
    rounds.add_member(current, member, is_chair=False)
    supervisor = accounts["supervisor"]
    team = [p for p in people if p.unit_id == supervisor.person.unit_id and p.id != supervisor.person_id]
    _nominate(rng, current, team[:2], supervisor, today)
    nominations.nominate(current, team[2], supervisor.id, {})

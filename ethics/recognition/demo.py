"""Demo rounds: 2551 announced with its winners, and the current year open for nominations.

The 2551 round's screening, scores and selection are written as their outcome, since the
screens that produce them come with the rest of the recognition feature.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from ethics.extensions import db
from ethics.fiscal import fiscal_year_of, to_ce
from ethics.people.models import Person
from ethics.recognition import services
from ethics.recognition.models import Nomination, NominationStatus, RoundStatus

REASONS = ["ปฏิบัติตนเป็นแบบอย่างที่ดี ตรงต่อเวลา", "ให้คำแนะนำและช่วยเหลือเพื่อนร่วมงานเสมอ",
           "ผลงานเป็นที่ประจักษ์ ลดขั้นตอนการให้บริการประชาชน", "ซื่อสัตย์สุจริต ไม่มีประวัติถูกร้องเรียน"]


def seed(rng: random.Random, people: list[Person], nominator_id: int, today: date) -> None:
    old = services.create_round(2551, date(to_ce(2551), 1, 5), date(to_ce(2551), 1, 31), quota_total=3)
    civil = [p for p in people if p.personnel_type == "civil_servant"]
    chosen = rng.sample(civil, 8)
    for person in chosen:
        nomination = services.nominate(old, person, nominator_id, {str(c.id): rng.choice(REASONS) for c in old.criteria})
        services.submit(nomination, old.nominations_open)
        nomination.total_score = round(rng.uniform(28, 38), 2)
    db.session.flush()
    ranked = sorted(chosen, key=lambda p: -next(n for n in _nominations(old) if n.person_id == p.id).total_score)
    for rank, person in enumerate(ranked, start=1):
        nomination = next(n for n in _nominations(old) if n.person_id == person.id)
        nomination.rank = rank
        nomination.status = NominationStatus.SELECTED if rank <= old.quota_total else NominationStatus.NOT_SELECTED
    old.status = RoundStatus.ANNOUNCED
    year = fiscal_year_of(today)
    current = services.create_round(year, today - timedelta(days=10), today + timedelta(days=30), quota_total=5)
    for person in rng.sample(civil, 3):
        nomination = services.nominate(current, person, nominator_id, {str(c.id): rng.choice(REASONS) for c in current.criteria})
        services.submit(nomination, today)


def _nominations(award_round) -> list[Nomination]:
    return list(db.session.scalars(db.select(Nomination).where(Nomination.round_id == award_round.id)))

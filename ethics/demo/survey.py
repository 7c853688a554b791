"""Demo morale campaigns: FY2551 closed with realistic answers, and the current year open."""
from __future__ import annotations

import random
from datetime import date

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds, fiscal_year_of
from ethics.people.models import Person
from ethics.survey import answering, campaigns
from ethics.survey.models import SurveyEligibility, SurveyParticipation

# A plausible mean per dimension (pay low, relations high), as the seed's year reported.
DIMENSION_MEANS = [3.1, 3.3, 3.7, 3.9, 3.8, 3.6]
COMMENTS = ["อยากให้มีการพัฒนาบุคลากรอย่างต่อเนื่อง", "ควรปรับปรุงสวัสดิการด้านที่พักอาศัย",
            "บรรยากาศการทำงานดี เพื่อนร่วมงานช่วยเหลือกัน", "ขอให้มีอุปกรณ์คอมพิวเตอร์ที่ทันสมัยขึ้น",
            "ผู้บังคับบัญชารับฟังความคิดเห็นดี", ""]


def _sheet(rng: random.Random, campaign, label: str) -> tuple[str, str, dict]:
    values = {}
    for dimension, centre in zip(campaign.dimensions, DIMENSION_MEANS, strict=False):
        for item in dimension.items:
            values[item.id] = max(1, min(5, round(rng.gauss(centre, 0.8))))
    return label, rng.choice(COMMENTS) if campaign.allow_comment else "", values


def _answer(rng: random.Random, campaign, people: list[Person]) -> None:
    """Participation rows, then the sheets shuffled into the answer tables (as a closed batch would be)."""
    labels = {row.person_id: row.unit_label for row in db.session.scalars(
        db.select(SurveyEligibility).where(SurveyEligibility.campaign_id == campaign.id))}
    sheets = []
    for person in people:
        db.session.add(SurveyParticipation(campaign_id=campaign.id, person_id=person.id))
        sheets.append(_sheet(rng, campaign, labels[person.id]))
    rng.shuffle(sheets)
    answering.write_shuffled(campaign.id, sheets)


def seed(rng: random.Random, people: list[Person], employee: Person, today: date) -> None:
    old = campaigns.create(campaigns.CampaignData(2551, "การวัดระดับขวัญกำลังใจข้าราชการ ประจำปี 2551",
                                                  date(2008, 7, 1), date(2008, 7, 31)))
    campaigns.open_campaign(old)
    _answer(rng, old, rng.sample(people, int(len(people) * 0.75)))
    answering.close_campaign(old)
    year = fiscal_year_of(today)
    first, last = fiscal_year_bounds(year)
    current = campaigns.create(campaigns.CampaignData(year, f"การวัดระดับขวัญกำลังใจข้าราชการ ประจำปี {year}",
                                                      max(first, today.replace(day=1)), last), copy_from=old)
    campaigns.open_campaign(current)
    _answer(rng, current, rng.sample([p for p in people if p.id != employee.id], 40))

"""Building, opening and closing a yearly morale campaign."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.core.refusals import Refusal, StaleEdit
from ethics.people.models import Person, Unit
from ethics.people.services import subtree_ids
from ethics.survey.models import (
    CampaignStatus,
    MoraleCampaign,
    SurveyDimension,
    SurveyEligibility,
    SurveyItem,
    SurveyParticipation,
)

DEFAULT_TEMPLATE = [
    ("ค่าตอบแทนและสวัสดิการ", "Pay and benefits", [
        ("ค่าตอบแทนที่ได้รับเหมาะสมกับภาระงาน", "My pay fits my workload"),
        ("สวัสดิการที่หน่วยงานจัดให้ตรงกับความต้องการ", "The benefits provided meet my needs"),
        ("ได้รับความช่วยเหลือเมื่อมีความเดือดร้อน", "I get help when I am in difficulty")]),
    ("ความก้าวหน้าในอาชีพ", "Career progress", [
        ("มีโอกาสก้าวหน้าในตำแหน่งอย่างเป็นธรรม", "I have a fair chance of promotion"),
        ("ได้รับการพัฒนาความรู้และทักษะอย่างต่อเนื่อง", "I keep developing my knowledge and skills"),
        ("การประเมินผลการปฏิบัติงานโปร่งใสและเป็นธรรม", "Performance appraisal is transparent and fair")]),
    ("สภาพแวดล้อมในการทำงาน", "Working environment", [
        ("สถานที่ทำงานสะอาด ปลอดภัย และเหมาะสม", "My workplace is clean, safe and suitable"),
        ("มีวัสดุอุปกรณ์เพียงพอต่อการปฏิบัติงาน", "I have the equipment I need")]),
    ("ความสัมพันธ์กับผู้บังคับบัญชาและเพื่อนร่วมงาน", "Relations with supervisors and colleagues", [
        ("ผู้บังคับบัญชารับฟังความคิดเห็นของข้าพเจ้า", "My supervisor listens to my views"),
        ("ผู้บังคับบัญชาปฏิบัติต่อทุกคนอย่างเท่าเทียม", "My supervisor treats everyone equally"),
        ("เพื่อนร่วมงานให้ความร่วมมือและช่วยเหลือกัน", "Colleagues cooperate and help each other")]),
    ("ความมั่นคงในงาน", "Job security", [
        ("ข้าพเจ้ารู้สึกมั่นคงในการปฏิบัติงานที่นี่", "I feel secure in my job here"),
        ("ข้าพเจ้าภูมิใจที่ได้ทำงานในหน่วยงานนี้", "I am proud to work here")]),
    ("ลักษณะงาน", "The work itself", [
        ("งานที่ได้รับมอบหมายตรงกับความรู้ความสามารถ", "My tasks match my knowledge and abilities"),
        ("ข้าพเจ้าได้ใช้ความคิดริเริ่มในการทำงาน", "I can use my own initiative"),
        ("ปริมาณงานเหมาะสมกับเวลาที่มี", "My workload fits the time available")]),
]


@dataclass
class CampaignData:
    fiscal_year: int
    title: str
    opens_on: date
    closes_on: date
    allow_comment: bool = True
    unit_ids: list[int] = field(default_factory=list)
    personnel_types: list[str] = field(default_factory=list)


class CampaignError(Refusal):
    """A campaign rule refused a value."""


def _check(data: CampaignData, campaign: MoraleCampaign | None) -> None:
    if data.closes_on < data.opens_on:
        raise CampaignError(_l("The closing date is before the opening date."), field="closes_on")
    clash = db.session.scalar(select(MoraleCampaign).where(MoraleCampaign.fiscal_year == data.fiscal_year))
    if clash is not None and clash is not campaign:
        raise CampaignError(_l("This fiscal year already has a campaign."), field="fiscal_year")
    if campaign is not None and not campaign.editable:
        raise CampaignError(_l("Only a draft campaign can be changed."), field="title")


def listed() -> list[MoraleCampaign]:
    """Every campaign, the newest year first: one a year, so never many."""
    return list(db.session.scalars(select(MoraleCampaign).order_by(MoraleCampaign.fiscal_year.desc())))


@dataclass(frozen=True)
class Turnout:
    eligible: int
    answered: int


def turnout(campaign_ids: list[int]) -> dict[int, Turnout]:
    """How many people may answer each campaign and how many have (never who answered what):
    two grouped counts, whatever the number of campaigns."""
    def counted(table) -> dict[int, int]:
        rows = db.session.execute(select(table.campaign_id, func.count()).where(table.campaign_id.in_(campaign_ids))
                                  .group_by(table.campaign_id))
        return {campaign_id: count for campaign_id, count in rows}

    eligible, answered = counted(SurveyEligibility), counted(SurveyParticipation)
    return {cid: Turnout(eligible.get(cid, 0), answered.get(cid, 0)) for cid in campaign_ids}


def create(data: CampaignData, copy_from: MoraleCampaign | None = None) -> MoraleCampaign:
    """A draft built from last year's campaign, or from the default template."""
    _check(data, None)
    campaign = MoraleCampaign(status=CampaignStatus.DRAFT)
    _apply(campaign, data)
    if copy_from is not None:
        source = [(d.name_th, d.name_en, [(i.text_th, i.text_en) for i in d.items]) for d in copy_from.dimensions]
    else:
        source = DEFAULT_TEMPLATE
    campaign.dimensions = [
        SurveyDimension(position=n, name_th=th, name_en=en,
                        items=[SurveyItem(position=k, text_th=t, text_en=e, required=True) for k, (t, e) in enumerate(items)])
        for n, (th, en, items) in enumerate(source)]
    db.session.add(campaign)
    db.session.flush()
    record("survey.create", campaign, fiscal_year=campaign.fiscal_year)
    return campaign


def _apply(campaign: MoraleCampaign, data: CampaignData) -> None:
    campaign.fiscal_year, campaign.title = data.fiscal_year, data.title
    campaign.opens_on, campaign.closes_on, campaign.allow_comment = data.opens_on, data.closes_on, data.allow_comment
    campaign.audience = {"unit_ids": sorted(set(data.unit_ids)), "personnel_types": sorted(set(data.personnel_types))}


def update(campaign: MoraleCampaign, data: CampaignData, expected_version: int | None = None) -> None:
    if expected_version is not None and expected_version != campaign.version:
        raise StaleEdit()
    _check(data, campaign)
    _apply(campaign, data)
    record("survey.update", campaign)


def items_text(dimension: SurveyDimension) -> str:
    """The item editor's text for a dimension: what `parse_items` reads back unchanged."""
    return "\n".join(f"{item.text_th} | {item.text_en}" if item.text_en else item.text_th for item in dimension.items)


def parse_items(text: str) -> list[tuple[str, str]]:
    """One item a line, `Thai text | English text` (the English part optional)."""
    items = []
    for line in text.splitlines():
        if line.strip():
            thai, _, english = line.partition("|")
            items.append((thai.strip()[:1000], english.strip()[:1000]))
    return items


def set_items(campaign: MoraleCampaign, dimension: SurveyDimension, items: list[tuple[str, str]]) -> None:
    if not campaign.editable:
        raise CampaignError(_l("Only a draft campaign can be changed."), field="title")
    if not items:
        raise CampaignError(_l("Every dimension needs at least one item."), field="title")
    kept = dimension.items[:len(items)]  # items keep their rows (and ids) where they still are
    for item, (thai, english) in zip(kept, items, strict=False):
        item.text_th, item.text_en = thai, english
    dimension.items = kept + [SurveyItem(position=k, text_th=thai, text_en=english, required=True)
                              for k, (thai, english) in enumerate(items) if k >= len(kept)]


def open_campaign(campaign: MoraleCampaign) -> int:
    """Fix who may answer, each with their unit's name as the label their answer will carry."""
    if not campaign.editable:
        raise CampaignError(_l("Only a draft campaign can be opened."), field="title")
    query = select(Person.id, Unit.name_th).join(Unit, Person.unit_id == Unit.id).where(Person.active)
    if unit_ids := campaign.audience.get("unit_ids"):
        query = query.where(Person.unit_id.in_(subtree_ids(unit_ids)))
    if kinds := campaign.audience.get("personnel_types"):
        query = query.where(Person.personnel_type.in_(kinds))
    rows = db.session.execute(query).all()
    db.session.add_all(SurveyEligibility(campaign_id=campaign.id, person_id=pid, unit_label=label) for pid, label in rows)
    campaign.status = CampaignStatus.OPEN
    record("survey.open", campaign, eligible=len(rows))
    return len(rows)

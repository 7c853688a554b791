"""The morale survey's tables.

"Who may answer" (SurveyEligibility) and "who has answered" (SurveyParticipation) name people.
"What was answered" (SurveyResponse, SurveyAnswer, and SurveyPending before a batch is
shuffled in) never does: no person, no foreign key to one, no timestamp, no sequential id, no
address or browser data; only the campaign, a random id and the unit label fixed at opening.
"""
from __future__ import annotations

from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, SmallInteger, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ethics.core.extensions import Model
from ethics.core.fiscal import local_now


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


CAMPAIGN_STATUS_LABELS = {CampaignStatus.DRAFT: _l("Draft"), CampaignStatus.OPEN: _l("Open"),
                          CampaignStatus.CLOSED: _l("Closed")}
SCHEDULED_LABEL = _l("Scheduled")

# The five Likert points, each with the words staff read beside its number.
SCALE = [(1, _l("Strongly disagree")), (2, _l("Disagree")), (3, _l("Not sure")), (4, _l("Agree")),
         (5, _l("Strongly agree"))]


class MoraleCampaign(Model):
    __tablename__ = "morale_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(255))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=CampaignStatus.DRAFT)
    allow_comment: Mapped[bool] = mapped_column(Boolean, default=True)
    audience: Mapped[dict] = mapped_column(JSON, default=dict)  # {"unit_ids": [...], "personnel_types": [...]}
    version: Mapped[int] = mapped_column(Integer, default=1)

    dimensions: Mapped[list[SurveyDimension]] = relationship(
        cascade="all, delete-orphan", order_by="SurveyDimension.position", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}

    @property
    def scheduled(self) -> bool:
        """Opened ahead of its dates: fixed, but nobody sees it before `opens_on`."""
        return self.status == CampaignStatus.OPEN and self.opens_on > local_now().date()

    @property
    def status_label(self):
        return SCHEDULED_LABEL if self.scheduled else CAMPAIGN_STATUS_LABELS[CampaignStatus(self.status)]

    @property
    def editable(self) -> bool:
        """Questions and audience change only before anyone could answer."""
        return self.status == CampaignStatus.DRAFT

    @property
    def closable(self) -> bool:
        return self.status == CampaignStatus.OPEN

    @property
    def results_visible(self) -> bool:
        """Results exist only once nobody can answer any more (so no answer is seen as it comes)."""
        return self.status == CampaignStatus.CLOSED

    @property
    def items(self) -> list[SurveyItem]:
        return [item for dimension in self.dimensions for item in dimension.items]


class SurveyDimension(Model):
    __tablename__ = "survey_dimension"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("morale_campaign.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name_th: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")

    items: Mapped[list[SurveyItem]] = relationship(
        cascade="all, delete-orphan", order_by="SurveyItem.position", lazy="selectin")

    def name(self, locale: str = "th") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_th


class SurveyItem(Model):
    """A five-point Likert statement (1 = least, 5 = most). An optional one may be left blank: no
    answer row is stored for it, and results count only those who answered it (ethics.survey.results)."""

    __tablename__ = "survey_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("survey_dimension.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text_th: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    def text(self, locale: str = "th") -> str:
        return self.text_en if locale == "en" and self.text_en else self.text_th


class SurveyEligibility(Model):
    """Who may answer, with the unit label their answer will carry; fixed when the campaign opens."""

    __tablename__ = "survey_eligibility"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("morale_campaign.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    unit_label: Mapped[str] = mapped_column(String(255))


class SurveyParticipation(Model):
    """Who has answered: inserted first, in its own transaction, with a unique key."""

    __tablename__ = "survey_participation"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("morale_campaign.id", ondelete="CASCADE"), primary_key=True)
    # Indexed on its own too, so removing a person does not scan every campaign's participation.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)


class SurveyResponse(Model):
    """One anonymous answer sheet, after its batch was shuffled in."""

    __tablename__ = "survey_response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random
    campaign_id: Mapped[int] = mapped_column(ForeignKey("morale_campaign.id", ondelete="CASCADE"), index=True)
    unit_label: Mapped[str] = mapped_column(String(255))
    comment: Mapped[str] = mapped_column(Text, default="")


class SurveyAnswer(Model):
    __tablename__ = "survey_answer"

    response_id: Mapped[str] = mapped_column(ForeignKey("survey_response.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("survey_item.id", ondelete="CASCADE"), primary_key=True, index=True)
    value: Mapped[int] = mapped_column(SmallInteger)


class SurveyTally(Model):
    """How many answer sheets of a unit gave an item each scale point (n1 for 1 ... n5 for 5),
    written when the campaign closes (its answers never change after): the results read these few
    thousand rows instead of every answer. Aggregates only, as the results themselves."""

    __tablename__ = "survey_tally"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("morale_campaign.id", ondelete="CASCADE"), primary_key=True)
    unit_label: Mapped[str] = mapped_column(String(255), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("survey_item.id", ondelete="CASCADE"), primary_key=True)
    n1: Mapped[int] = mapped_column(Integer)
    n2: Mapped[int] = mapped_column(Integer)
    n3: Mapped[int] = mapped_column(Integer)
    n4: Mapped[int] = mapped_column(Integer)
    n5: Mapped[int] = mapped_column(Integer)

    @classmethod
    def points(cls) -> tuple:
        return cls.n1, cls.n2, cls.n3, cls.n4, cls.n5


class SurveyPending(Model):
    """Answer sheets waiting for the next shuffled batch: values as JSON, nothing else."""

    __tablename__ = "survey_pending"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random
    campaign_id: Mapped[int] = mapped_column(ForeignKey("morale_campaign.id", ondelete="CASCADE"), index=True)
    unit_label: Mapped[str] = mapped_column(String(255))
    values: Mapped[dict] = mapped_column(JSON)  # {item id: 1-5}
    comment: Mapped[str] = mapped_column(Text, default="")

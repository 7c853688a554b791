"""The outstanding civil servant selection: rounds, criteria, committee, nominations, scores."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ethics.auth.models import Account
from ethics.core.extensions import Model
from ethics.core.fiscal import to_ce
from ethics.people.models import Person, Unit


class RoundStatus(StrEnum):
    DRAFT = "draft"
    NOMINATING = "nominating"
    SCREENING = "screening"
    SCORING = "scoring"
    FINALISED = "finalised"
    ANNOUNCED = "announced"


class TieBreak(StrEnum):
    CRITERION_ORDER = "criterion_order"  # higher mean on the first criterion, then the second ...
    SERVICE_LENGTH = "service_length"  # longer service first


class ConflictKind(StrEnum):
    NONE = "none"
    RELATIVE = "relative"
    SAME_UNIT = "same_unit"
    DIRECT_SUPERVISOR = "direct_supervisor"
    OTHER = "other"


class NominationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"


ROUND_STATUS_LABELS = {
    RoundStatus.DRAFT: _l("Draft"), RoundStatus.NOMINATING: _l("Taking nominations"),
    RoundStatus.SCREENING: _l("Screening"), RoundStatus.SCORING: _l("Committee scoring"),
    RoundStatus.FINALISED: _l("Finalised"), RoundStatus.ANNOUNCED: _l("Announced"),
}
NOMINATION_STATUS_LABELS = {
    NominationStatus.DRAFT: _l("Draft"), NominationStatus.SUBMITTED: _l("Submitted"),
    NominationStatus.WITHDRAWN: _l("Withdrawn"), NominationStatus.ELIGIBLE: _l("Eligible"),
    NominationStatus.INELIGIBLE: _l("Not eligible"), NominationStatus.SELECTED: _l("Selected"),
    NominationStatus.NOT_SELECTED: _l("Not selected"),
}


class AwardRound(Model):
    """One year's selection ("ประจำปี 2569"), presented on civil service day, 1 April of the next year."""

    __tablename__ = "award_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)  # Buddhist Era; its fiscal year for counting
    title: Mapped[str] = mapped_column(String(255))
    nominations_open: Mapped[date] = mapped_column(Date)
    nominations_close: Mapped[date] = mapped_column(Date)
    scoring_deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=RoundStatus.DRAFT)
    rules: Mapped[dict] = mapped_column(JSON, default=dict)
    quota_total: Mapped[int | None] = mapped_column(Integer)
    quota_per_unit: Mapped[int | None] = mapped_column(Integer)
    tie_break: Mapped[str] = mapped_column(String(32), default=TieBreak.CRITERION_ORDER)
    tell_nominee_at_announcement: Mapped[bool] = mapped_column(Boolean, default=True)
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime)
    announced_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    criteria: Mapped[list[Criterion]] = relationship(cascade="all, delete-orphan", order_by="Criterion.position",
                                                     lazy="selectin")
    committee: Mapped[list[CommitteeMember]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def status_label(self):
        return ROUND_STATUS_LABELS[RoundStatus(self.status)]

    @property
    def presented_on(self) -> date:
        """Civil service day, 1 April of the next year."""
        return date(to_ce(self.year) + 1, 4, 1)

    @property
    def taking_nominations(self) -> bool:
        return self.status == RoundStatus.NOMINATING

    @property
    def screening(self) -> bool:
        """Nominations are closed and checked against the rules; HR may override a result."""
        return self.status == RoundStatus.SCREENING

    @property
    def scoring(self) -> bool:
        return self.status == RoundStatus.SCORING

    @property
    def finalised(self) -> bool:
        return self.status in (RoundStatus.FINALISED, RoundStatus.ANNOUNCED)

    @property
    def announced(self) -> bool:
        return self.status == RoundStatus.ANNOUNCED

    @property
    def advanceable(self) -> bool:
        """HR moves the round on from here (the chair, not HR, ends scoring by finalising)."""
        return self.status in (RoundStatus.NOMINATING, RoundStatus.SCREENING, RoundStatus.FINALISED)

    @property
    def settings_editable(self) -> bool:
        """Criteria, rules, quotas and committee change until scoring starts; then they are what
        the committee scores against."""
        return self.status in (RoundStatus.DRAFT, RoundStatus.NOMINATING, RoundStatus.SCREENING)

    def member(self, account_id: int) -> CommitteeMember | None:
        return next((m for m in self.committee if m.account_id == account_id), None)

    __mapper_args__ = {"version_id_col": version}


class Criterion(Model):
    __tablename__ = "award_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("award_round.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    min_score: Mapped[int] = mapped_column(Integer, default=0)
    max_score: Mapped[int] = mapped_column(Integer, default=10)


class CommitteeMember(Model):
    __tablename__ = "award_committee_member"

    round_id: Mapped[int] = mapped_column(ForeignKey("award_round.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)

    account: Mapped[Account] = relationship(lazy="joined")


class Nomination(Model):
    """A supervisor's nomination of one person, with a justification per criterion."""

    __tablename__ = "nomination"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("award_round.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    nominated_by: Mapped[int] = mapped_column(ForeignKey("account.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[str] = mapped_column(String(16), default=NominationStatus.DRAFT, index=True)
    justification: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion id -> text
    eligibility: Mapped[list] = mapped_column(JSON, default=list)  # [{rule, passed, reason}]
    override_reason: Mapped[str] = mapped_column(Text, default="")
    total_score: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    certificate_serial: Mapped[str | None] = mapped_column(String(32), unique=True)
    certificate_token: Mapped[str | None] = mapped_column(String(43), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    person: Mapped[Person] = relationship()
    unit: Mapped[Unit] = relationship()
    round: Mapped[AwardRound] = relationship()
    nominator: Mapped[Account] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(cascade="all, delete-orphan", order_by="Evidence.id",
                                                    back_populates="nomination")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    @property
    def status_label(self):
        return NOMINATION_STATUS_LABELS[NominationStatus(self.status)]

    @property
    def editable(self) -> bool:
        """A draft, while the round takes nominations: its justification and evidence may change."""
        return self.round.taking_nominations and self.status == NominationStatus.DRAFT

    @property
    def withdrawable(self) -> bool:
        """Until screening starts, drafts and submitted nominations may be withdrawn."""
        return self.round.taking_nominations and self.status in (NominationStatus.DRAFT, NominationStatus.SUBMITTED)

    @property
    def scorable(self) -> bool:
        """Found eligible, in a round the committee is scoring."""
        return self.round.scoring and self.status == NominationStatus.ELIGIBLE


class Evidence(Model):
    """A file supporting a nomination, kept in the database so every app process serves it."""

    __tablename__ = "nomination_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    nomination: Mapped[Nomination] = relationship(back_populates="evidence")


class ConflictDeclaration(Model):
    __tablename__ = "conflict_declaration"

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # none | relative | same_unit | direct_supervisor | other
    note: Mapped[str] = mapped_column(Text, default="")


class Score(Model):
    __tablename__ = "award_score"

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("award_criterion.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")  # the primary key allows one score per criterion

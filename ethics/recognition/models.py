"""The outstanding civil servant selection: rounds, criteria, committee, nominations, scores."""
from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ethics.extensions import db
from ethics.people.models import Person, Unit


class RoundStatus(StrEnum):
    DRAFT = "draft"
    NOMINATING = "nominating"
    SCREENING = "screening"
    SCORING = "scoring"
    FINALISED = "finalised"
    ANNOUNCED = "announced"


class NominationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"


class AwardRound(db.Model):
    """One year's selection ("ประจำปี 2569"), presented on civil service day, 1 April of the next year."""

    __tablename__ = "award_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)  # Buddhist Era; its fiscal year for counting
    title: Mapped[str] = mapped_column(String(255))
    nominations_open: Mapped[date] = mapped_column(Date)
    nominations_close: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=RoundStatus.DRAFT)
    rules: Mapped[dict] = mapped_column(JSON, default=dict)
    quota_total: Mapped[int | None] = mapped_column(Integer)
    quota_per_unit: Mapped[int | None] = mapped_column(Integer)
    tie_break: Mapped[str] = mapped_column(String(32), default="criterion_order")
    tell_nominee_at_announcement: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    criteria: Mapped[list[Criterion]] = relationship(cascade="all, delete-orphan", order_by="Criterion.position",
                                                     lazy="selectin")

    __mapper_args__ = {"version_id_col": version}


class Criterion(db.Model):
    __tablename__ = "award_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("award_round.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    max_score: Mapped[int] = mapped_column(Integer, default=10)


class CommitteeMember(db.Model):
    __tablename__ = "award_committee_member"

    round_id: Mapped[int] = mapped_column(ForeignKey("award_round.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)


class Nomination(db.Model):
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
    version: Mapped[int] = mapped_column(Integer, default=1)

    person: Mapped[Person] = relationship()
    unit: Mapped[Unit] = relationship()
    round: Mapped[AwardRound] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)


class ConflictDeclaration(db.Model):
    __tablename__ = "conflict_declaration"

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # none | relative | same_unit | direct_supervisor | other
    note: Mapped[str] = mapped_column(Text, default="")


class Score(db.Model):
    __tablename__ = "award_score"

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("award_criterion.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")  # the primary key allows one score per criterion

"""A fiscal year's transparency plan: strategy -> measure -> activity (with its indicator)."""
from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ethics.core.extensions import Model


class Source(StrEnum):
    MANUAL = "manual"
    TRAINING_PARTICIPANTS = "training_participants"
    TRAINING_PASSED = "training_passed"
    TRAINING_SESSIONS = "training_sessions"
    NOMINEES = "nominees"
    AWARDEES = "awardees"
    MORALE_INDEX = "morale_index"


class Plan(Model):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, unique=True)
    # HR's switch: the worker locks the six-month and annual snapshots at the end of March and September.
    auto_snapshots: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    strategies: Mapped[list[Strategy]] = relationship(cascade="all, delete-orphan", order_by="Strategy.number",
                                                      lazy="selectin")

    @property
    def activities(self) -> list[Activity]:
        return [a for s in self.strategies for m in s.measures for a in m.activities]


class Strategy(Model):
    __tablename__ = "plan_strategy"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    objective: Mapped[str] = mapped_column(Text, default="")

    measures: Mapped[list[Measure]] = relationship(cascade="all, delete-orphan", order_by="Measure.number",
                                                   lazy="selectin")

    __table_args__ = (UniqueConstraint("plan_id", "number"),)


class Measure(Model):
    __tablename__ = "plan_measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(ForeignKey("plan_strategy.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)

    activities: Mapped[list[Activity]] = relationship(cascade="all, delete-orphan", order_by="Activity.number",
                                                      lazy="selectin")

    __table_args__ = (UniqueConstraint("strategy_id", "number"),)


class Activity(Model):
    """An activity, its indicator, who is responsible, the target and where its value comes from."""

    __tablename__ = "plan_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("plan_measure.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32), index=True)  # strategy.measure.activity, e.g. 1.2.1
    name: Mapped[str] = mapped_column(Text)
    indicator: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(String(255), default="")
    source: Mapped[str] = mapped_column(String(32), default=Source.MANUAL)
    # The population the indicator counts ("จำนวนข้าราชการ..."): personnel type codes; empty = everyone.
    personnel_types: Mapped[list] = mapped_column(JSON, default=list)
    result_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    entries: Mapped[list[ManualEntry]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                      order_by="ManualEntry.entry_date.desc(), ManualEntry.id.desc()")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("measure_id", "number"),)

    @property
    def fed_by_hand(self) -> bool:
        """Its value comes from dated entries someone types in, not from the other domains."""
        return self.source == Source.MANUAL


class ManualEntry(Model):
    """A dated value for a hand-fed indicator, with a note and an evidence file."""

    __tablename__ = "plan_manual_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activity.id", ondelete="CASCADE"), index=True)
    entry_date: Mapped[date] = mapped_column(Date)
    value: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_name: Mapped[str] = mapped_column(String(255), default="")
    evidence_type: Mapped[str] = mapped_column(String(100), default="")
    evidence: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # read only when downloaded


class Snapshot(Model):
    """The report as it stood when locked: it never changes afterwards."""

    __tablename__ = "plan_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    locked_on: Mapped[date] = mapped_column(Date)
    rows: Mapped[list] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("plan_id", "name"),)

"""Keeping plans: copying to the next year, manual entries, result texts and snapshots."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds
from ethics.core.refusals import Refusal, StaleEdit
from ethics.people.models import PersonnelType, in_type_order
from ethics.plan import report
from ethics.plan.models import Activity, ManualEntry, Measure, Plan, Snapshot, Source, Strategy
from ethics.plan.sources import SOURCES

EVIDENCE_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
EVIDENCE_MAGIC = {"application/pdf": b"%PDF", "image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8\xff"}
MAX_EVIDENCE = 10 * 1024 * 1024


class PlanError(Refusal):
    """A plan rule refused a value."""


def plan_years() -> list[int]:
    """The fiscal years that have a plan, the newest first."""
    return list(db.session.scalars(select(Plan.fiscal_year).order_by(Plan.fiscal_year.desc())))


def plan_for(fiscal_year: int) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.fiscal_year == fiscal_year))


def activity_exists(fiscal_year: int, code: str) -> bool:
    """Used by the trainings' import to link sessions only to real activities."""
    return db.session.scalar(select(Activity.id).join(Measure).join(Strategy).join(Plan).where(
        Plan.fiscal_year == fiscal_year, Activity.code == code)) is not None


def activities_of(fiscal_year: int) -> list[Activity]:
    """The activities of the fiscal year's plan in plan order, for a session's choice of activity."""
    plan = plan_for(fiscal_year)
    return plan.activities if plan else []


def population_problem(source: str, kinds: list[str]):
    """Why a population cannot go with this source, or None: unknown personnel types, or a
    source that counts no people (sessions held, the morale index, hand-entered values)."""
    if not set(kinds) <= set(PersonnelType):
        return _l("unknown personnel type %(value)s", value=", ".join(sorted(set(kinds) - set(PersonnelType))))
    if kinds and source in SOURCES and not SOURCES[Source(source)].counts_people:
        return _l("only a source that counts people can be limited to personnel types")
    return None


def copy_targets(source_year: int, current_year: int) -> list[int]:
    """The later fiscal years a plan can be copied to: those without a plan, up to next year."""
    taken = set(db.session.scalars(select(Plan.fiscal_year)))
    return [year for year in range(max(current_year + 1, source_year + 1), source_year, -1) if year not in taken]


def copy_plan(source_year: int, target_year: int) -> Plan:
    """Structure, sources, populations and targets to a later year: no values, entries or result texts."""
    source = plan_for(source_year)
    if source is None:
        raise PlanError(_l("There is no plan for fiscal year %(year)d.", year=source_year), field="source")
    if target_year <= source_year:
        raise PlanError(_l("A plan is copied to a later fiscal year than %(year)d.", year=source_year), field="target")
    if plan_for(target_year) is not None:
        raise PlanError(_l("Fiscal year %(year)d already has a plan.", year=target_year), field="target")
    plan = Plan(fiscal_year=target_year, strategies=[
        Strategy(number=s.number, name=s.name, objective=s.objective, measures=[
            Measure(number=m.number, name=m.name, activities=[
                Activity(number=a.number, code=a.code, name=a.name, indicator=a.indicator, responsible=a.responsible,
                         target=a.target, source=a.source, personnel_types=list(a.personnel_types), result_text="")
                for a in m.activities])
            for m in s.measures])
        for s in source.strategies])
    db.session.add(plan)
    db.session.flush()
    record("plan.copy", plan, from_year=source_year, to_year=target_year)
    return plan


def add_entry(activity: Activity, entry_date: date, value: str, note: str, evidence) -> ManualEntry:
    """A dated manual value; evidence must be a PDF or image of at most 10 MB, checked by content."""
    if not value.strip():
        raise PlanError(_l("Enter the value."), field="value")
    entry = ManualEntry(activity_id=activity.id, entry_date=entry_date, value=value.strip(), note=note.strip())
    if evidence is not None and evidence.filename:
        data = evidence.read()
        suffix = "." + evidence.filename.rsplit(".", 1)[-1].lower() if "." in evidence.filename else ""
        kind = EVIDENCE_TYPES.get(suffix)
        if kind is None or not data.startswith(EVIDENCE_MAGIC[kind]):
            raise PlanError(_l("Evidence must be a PDF, PNG or JPEG file."), field="evidence")
        if len(data) > MAX_EVIDENCE:
            raise PlanError(_l("Evidence files are limited to 10 MB."), field="evidence")
        entry.evidence, entry.evidence_name, entry.evidence_type = data, evidence.filename[:255], kind
    db.session.add(entry)
    db.session.flush()
    record("plan.manual_entry", activity, code=activity.code, value=entry.value, date=entry_date.isoformat())
    return entry


@dataclass
class ActivityData:
    """An activity's definition as a person edits it (its code and place in the plan stay)."""

    name: str
    indicator: str = ""
    responsible: str = ""
    target: str = ""
    source: str = Source.MANUAL
    personnel_types: list[str] = field(default_factory=list)


def update_activity(activity: Activity, data: ActivityData, expected_version: int | None) -> None:
    """Change an activity's definition; its code, entries and result text stay."""
    if expected_version is not None and expected_version != activity.version:
        raise StaleEdit()
    if not data.name.strip():
        raise PlanError(_l("a value is required"), field="name")
    if data.source not in set(Source):
        raise PlanError(_l("unknown source %(value)s", value=data.source), field="source")
    if problem := population_problem(data.source, data.personnel_types):
        raise PlanError(problem, field="personnel_types")
    before = {"name": activity.name, "indicator": activity.indicator, "responsible": activity.responsible,
              "target": activity.target, "source": activity.source, "personnel_types": activity.personnel_types}
    activity.name, activity.indicator = data.name.strip(), data.indicator.strip()
    activity.responsible, activity.target, activity.source = data.responsible.strip(), data.target.strip(), data.source
    activity.personnel_types = in_type_order(data.personnel_types)
    record("plan.activity_update", activity, code=activity.code, before=before)


def set_result_text(activity: Activity, text: str, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != activity.version:
        raise StaleEdit()
    activity.result_text = text.strip()
    record("plan.result_text", activity, code=activity.code)


def lock_snapshot(plan: Plan, name: str, today: date) -> Snapshot:
    """Freeze the report as it is now (six-month and annual reports)."""
    name = name.strip()
    if not name:
        raise PlanError(_l("Give the snapshot a name."), field="name")
    if db.session.scalar(select(Snapshot).where(Snapshot.plan_id == plan.id, Snapshot.name == name)):
        raise PlanError(_l("A snapshot with this name exists already."), field="name")
    snapshot = Snapshot(plan_id=plan.id, name=name, locked_on=today, rows=report.rows(plan))
    db.session.add(snapshot)
    db.session.flush()
    record("plan.snapshot_locked", snapshot, fiscal_year=plan.fiscal_year, name=snapshot.name)
    return snapshot


SIX_MONTH, ANNUAL = "รายงานรอบ 6 เดือน", "รายงานรอบ 12 เดือน"


def scheduled_snapshots(plan: Plan, today: date) -> list[str]:
    """The snapshots due for a plan that locks them on schedule: the six-month report from the
    end of March of its fiscal year, the annual one from the end of September; each once (a
    worker that was down on the day locks it the next time it runs)."""
    if not plan.auto_snapshots:
        return []
    _first, last = fiscal_year_bounds(plan.fiscal_year)
    due = {SIX_MONTH: date(last.year, 3, 31), ANNUAL: last}
    return [name for name, day in due.items() if day <= today and snapshot_named(plan, name) is None]


def set_auto_snapshots(plan: Plan, on: bool) -> None:
    if plan.auto_snapshots != on:
        plan.auto_snapshots = on
        record("plan.auto_snapshots", plan, fiscal_year=plan.fiscal_year, on=on)


def snapshot_named(plan: Plan, name: str) -> Snapshot | None:
    return db.session.scalar(select(Snapshot).where(Snapshot.plan_id == plan.id, Snapshot.name == name))

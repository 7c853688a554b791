"""What the plan's pages show, assembled from the report and the domains' own numbers: the
dashboard of a year and the drill-down behind one activity's value."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ethics.core.extensions import db
from ethics.core.fiscal import month_name
from ethics.core.i18n import current_locale
from ethics.people.counting import Count
from ethics.people.models import Person, Unit
from ethics.plan import report
from ethics.plan.models import Activity, Measure, Plan, Snapshot, Source, Strategy
from ethics.plan.sources import SOURCES, value_of
from ethics.plan.values import IndicatorValue
from ethics.survey.results import year_dimension_means
from ethics.training import counting as training
from ethics.training.models import TrainingSession
from ethics.web.pagination import Page, paginate


def dashboard(plan: Plan) -> dict:
    """The report's rows, progress per strategy, the snapshots, and the year's participation by
    month and by unit and morale by dimension, every number from the same services as the exports."""
    rows = report.rows(plan)
    participants, by_month = training.year_participants(plan.fiscal_year)
    return {
        "rows": rows,
        "done": filled(rows),
        "progress": progress(rows),
        "snapshots": db.session.scalars(select(Snapshot).where(Snapshot.plan_id == plan.id)
                                        .order_by(Snapshot.locked_on)).all(),
        "activities": {a.code: a for a in plan.activities},
        "by_month": [(month_name(month, current_locale()), n) for month, n in by_month],
        "by_unit": _busiest_units(participants),
        "morale": year_dimension_means(plan.fiscal_year),
    }


PROGRESS_YEARS = 3  # the newest plans whose progress the plan index counts


@dataclass(frozen=True)
class YearCard:
    """A year's plan on the plan index: its activities, how many have a value or a result yet
    (None for a year older than the newest PROGRESS_YEARS), and its locked snapshots."""

    fiscal_year: int
    done: int | None
    total: int
    snapshots: int


def year_cards() -> list[YearCard]:
    """Every plan, the newest first, with its snapshots; the newest PROGRESS_YEARS with their
    progress counted as the dashboard counts it. Counting a year costs its report, so counting
    every year would make the page's work grow by a year's report each year; an older year's
    numbers are on its own page and in its snapshots."""
    years = db.session.execute(select(Plan.id, Plan.fiscal_year).order_by(Plan.fiscal_year.desc())).all()
    newest = {plan.id: plan for plan in db.session.scalars(  # with their activities: only these are counted
        select(Plan).where(Plan.id.in_([plan_id for plan_id, _ in years[:PROGRESS_YEARS]])))}
    locked = dict(db.session.execute(select(Snapshot.plan_id, func.count()).group_by(Snapshot.plan_id)).all())
    activities = dict(db.session.execute(
        select(Strategy.plan_id, func.count(Activity.id)).join(Measure, Measure.strategy_id == Strategy.id)
        .join(Activity, Activity.measure_id == Measure.id).group_by(Strategy.plan_id)).all())
    return [YearCard(year, filled(report.rows(newest[plan_id])) if plan_id in newest else None,
                     activities.get(plan_id, 0), locked.get(plan_id, 0)) for plan_id, year in years]


def progress(rows: list[dict]) -> dict[int, tuple[int, int]]:
    """Per strategy number: how many of its activities have a value or a result, of how many."""
    by_strategy: dict[int, list[dict]] = {}
    for row in rows:
        by_strategy.setdefault(row["strategy_number"], []).append(row)
    return {n: (filled(items), len(items)) for n, items in by_strategy.items()}


def filled(rows: list[dict]) -> int:
    """How many of the report's rows have a value or a result."""
    return sum(1 for row in rows if row["value"] or row["result"])


def _busiest_units(participants: Count) -> list[tuple[str, int]]:
    """The fifteen units with most distinct participants in the year's sessions."""
    units = {unit.id: unit for unit in db.session.scalars(select(Unit).where(Unit.id.in_(list(participants.by_unit))))}
    return sorted(((units[unit_id].name(current_locale()) if unit_id in units else "", n)
                   for unit_id, n in participants.by_unit.items()), key=lambda item: -item[1])[:15]


@dataclass
class DrillDown:
    """The records behind one activity's value: its people (a page, within its population) or sessions."""

    value: IndicatorValue
    units: dict[int, Unit] = field(default_factory=dict)
    people: Page | None = None
    sessions: list[TrainingSession] | None = None


def drill_down(activity: Activity, fiscal_year: int, page: int) -> DrillDown:
    kind = SOURCES[Source(activity.source)]
    value = value_of(activity, fiscal_year)
    found = DrillDown(value, {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(value.by_unit))))})
    if kind.people is not None:
        listed = select(Person).where(Person.id.in_(kind.people(activity, fiscal_year)))
        if activity.personnel_types:
            listed = listed.where(Person.personnel_type.in_(activity.personnel_types))
        found.people = paginate(listed.options(joinedload(Person.unit)).order_by(Person.first_name, Person.last_name),
                                page, 50)
    if kind.sessions is not None:
        found.sessions = kind.sessions(activity, fiscal_year)
    return found

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
from ethics.plan.models import Activity, Plan, Snapshot, Source
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


@dataclass(frozen=True)
class YearCard:
    """A year's plan on the plan index: how many of its activities have a value or a result yet."""

    fiscal_year: int
    done: int
    total: int
    snapshots: int


def year_cards() -> list[YearCard]:
    """Every plan, the newest first, with its progress counted as the dashboard counts it."""
    plans = db.session.scalars(select(Plan).order_by(Plan.fiscal_year.desc())).all()
    locked = dict(db.session.execute(select(Snapshot.plan_id, func.count()).group_by(Snapshot.plan_id)).all())
    cards = []
    for plan in plans:
        rows = report.rows(plan)
        cards.append(YearCard(plan.fiscal_year, filled(rows), len(rows), locked.get(plan.id, 0)))
    return cards


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

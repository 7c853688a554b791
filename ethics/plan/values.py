"""What an indicator's value is made of, and how a count of people reads in the report."""
from __future__ import annotations

from dataclasses import dataclass, field

from ethics.people.counting import Count
from ethics.people.models import PERSONNEL_TYPE_THAI
from ethics.plan.models import Activity

THAI_TYPE = {kind.value: label for label, kind in PERSONNEL_TYPE_THAI.items()}


@dataclass
class IndicatorValue:
    value: str = ""  # what the report's value column shows
    summary: str = ""  # the generated result text
    by_personnel_type: dict[str, int] = field(default_factory=dict)
    by_unit: dict[int, int] = field(default_factory=dict)


def people_summary(count: Count, population: list[str] | None = None) -> str:
    """`152 คน (ข้าราชการ 120, ลูกจ้างประจำ 32)`; a count limited to a population names it, zeros
    included: `37 คน (ข้าราชการ)`, `45 คน (ข้าราชการ 37, ลูกจ้างประจำ 8, ลูกจ้างชั่วคราว 0)`."""
    if population and len(population) == 1:
        return f"{count.total} คน ({THAI_TYPE.get(population[0], population[0])})"
    if population:
        shown = [(kind, count.by_personnel_type.get(kind, 0)) for kind in THAI_TYPE if kind in population]
    else:
        shown = sorted(count.by_personnel_type.items(), key=lambda item: -item[1])
    parts = ", ".join(f"{THAI_TYPE.get(kind, kind)} {n}" for kind, n in shown)
    return f"{count.total} คน" + (f" ({parts})" if parts else "")


def count_value(count: Count, activity: Activity) -> IndicatorValue:
    """A count of people narrowed to the activity's population, if it names one."""
    count = count.among(activity.personnel_types)
    return IndicatorValue(str(count.total), people_summary(count, activity.personnel_types),
                          count.by_personnel_type, count.by_unit)

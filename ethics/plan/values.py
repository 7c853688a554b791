"""What an indicator's value is made of, and how a count of people reads in the report."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ethics.core.i18n import current_locale
from ethics.people.counting import Count
from ethics.people.models import PERSONNEL_TYPE_LABELS, PERSONNEL_TYPE_THAI, PersonnelType
from ethics.plan.models import Activity

THAI_TYPE = {kind.value: label for label, kind in PERSONNEL_TYPE_THAI.items()}


def _no_summary(_locale: str) -> str:
    return ""


@dataclass
class IndicatorValue:
    value: str = ""  # what the report's value column shows
    summary_in: Callable[[str], str] = _no_summary  # the generated result text, in a language ("th", "en")
    by_personnel_type: dict[str, int] = field(default_factory=dict)
    by_unit: dict[int, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """In Thai, as the report (an official Thai document) prints it."""
        return self.summary_in("th")

    @property
    def summary_here(self) -> str:
        """In the reader's language, for the pages."""
        return self.summary_in(current_locale())


def _type_name(kind: str, locale: str) -> str:
    if locale == "th":
        return THAI_TYPE.get(kind, kind)
    return str(PERSONNEL_TYPE_LABELS[PersonnelType(kind)]) if kind in THAI_TYPE else kind


def people_summary(count: Count, population: list[str] | None = None, locale: str = "th") -> str:
    """`152 คน (ข้าราชการ 120, ลูกจ้างประจำ 32)`; a count limited to a population names it, zeros
    included: `37 คน (ข้าราชการ)`, `45 คน (ข้าราชการ 37, ลูกจ้างประจำ 8, ลูกจ้างชั่วคราว 0)`.
    In English `152 people (Civil servant 120, Permanent employee 32)`."""
    people = f"{count.total} คน" if locale == "th" else f"{count.total} {'person' if count.total == 1 else 'people'}"
    if population and len(population) == 1:
        return f"{people} ({_type_name(population[0], locale)})"
    if population:
        shown = [(kind, count.by_personnel_type.get(kind, 0)) for kind in THAI_TYPE if kind in population]
    else:
        shown = sorted(count.by_personnel_type.items(), key=lambda item: -item[1])
    parts = ", ".join(f"{_type_name(kind, locale)} {n}" for kind, n in shown)
    return people + (f" ({parts})" if parts else "")


def count_value(count: Count, activity: Activity) -> IndicatorValue:
    """A count of people narrowed to the activity's population, if it names one."""
    count = count.among(activity.personnel_types)
    return IndicatorValue(str(count.total), lambda locale: people_summary(count, activity.personnel_types, locale),
                          count.by_personnel_type, count.by_unit)

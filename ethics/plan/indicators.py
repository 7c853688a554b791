"""Each activity's value, from one place: the counting services of the trainings, the
selection and the survey, or the latest manual entry."""
from __future__ import annotations

from dataclasses import dataclass, field

from ethics.people.counting import Count
from ethics.people.models import PERSONNEL_TYPE_THAI
from ethics.plan.models import Activity, Source
from ethics.recognition import counting as recognition
from ethics.survey.results import morale_index
from ethics.training import counting

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


def _count_value(count: Count, activity: Activity) -> IndicatorValue:
    """A count of people narrowed to the activity's population, if it names one."""
    count = count.among(activity.personnel_types)
    return IndicatorValue(str(count.total), people_summary(count, activity.personnel_types),
                          count.by_personnel_type, count.by_unit)


def values_for(activities: list[Activity], fiscal_year: int) -> dict[int, IndicatorValue]:
    """Every activity's value in a fixed number of queries, whatever the plan's size: one per
    kind of source, each counting all the activities of that kind at once."""
    by_source: dict[Source, list[Activity]] = {}
    for activity in activities:
        by_source.setdefault(Source(activity.source), []).append(activity)
    values: dict[int, IndicatorValue] = {}

    def codes(source):
        return [a.code for a in by_source.get(source, [])]

    for source, count_by in ((Source.TRAINING_PARTICIPANTS, counting.participants_by),
                             (Source.TRAINING_PASSED, counting.passed_by)):
        if codes(source):
            counts = count_by(counting.sessions_by_activity(fiscal_year, codes(source)))
            values.update({a.id: _count_value(counts.get(a.code, Count(0)), a) for a in by_source[source]})
    if codes(Source.TRAINING_SESSIONS):
        held = counting.sessions_held_by(counting.sessions_by_activity(fiscal_year, codes(Source.TRAINING_SESSIONS)))
        values.update({a.id: IndicatorValue(str(held.get(a.code, 0)), f"{held.get(a.code, 0)} ครั้ง")
                       for a in by_source[Source.TRAINING_SESSIONS]})
    if codes(Source.MORALE_INDEX):
        index = morale_index(fiscal_year)
        value = IndicatorValue(f"{index[0]:.2f}", f"ระดับขวัญกำลังใจเฉลี่ย {index[0]:.2f} ({index[1]})") if index \
            else IndicatorValue()
        values.update({a.id: value for a in by_source[Source.MORALE_INDEX]})
    for source, count_of in ((Source.NOMINEES, recognition.nominees), (Source.AWARDEES, recognition.awardees)):
        if codes(source):
            count = count_of(fiscal_year)
            values.update({a.id: _count_value(count, a) for a in by_source[source]})
    for activity in by_source.get(Source.MANUAL, []):
        latest = activity.entries[0] if activity.entries else None
        values[activity.id] = IndicatorValue(latest.value if latest else "", "")
    return values


def value_of(activity: Activity, fiscal_year: int) -> IndicatorValue:
    return values_for([activity], fiscal_year)[activity.id]

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


def people_summary(count: Count) -> str:
    """`152 คน (ข้าราชการ 120, ลูกจ้างประจำ 32)`"""
    parts = ", ".join(f"{THAI_TYPE.get(kind, kind)} {n}" for kind, n in sorted(count.by_personnel_type.items(),
                                                                          key=lambda item: -item[1]))
    return f"{count.total} คน" + (f" ({parts})" if parts else "")


def value_of(activity: Activity, fiscal_year: int) -> IndicatorValue:
    source = Source(activity.source)
    sessions = counting.sessions_of(fiscal_year, plan_activity=activity.code)
    if source in (Source.TRAINING_PARTICIPANTS, Source.TRAINING_PASSED):
        count = (counting.participants if source == Source.TRAINING_PARTICIPANTS else counting.passed)(sessions)
        return IndicatorValue(str(count.total), people_summary(count), count.by_personnel_type, count.by_unit)
    if source == Source.TRAINING_SESSIONS:
        held = counting.sessions_held(sessions)
        return IndicatorValue(str(held), f"{held} ครั้ง")
    if source == Source.MORALE_INDEX:
        index = morale_index(fiscal_year)
        if index is None:
            return IndicatorValue("", "")
        return IndicatorValue(f"{index[0]:.2f}", f"ระดับขวัญกำลังใจเฉลี่ย {index[0]:.2f} ({index[1]})")
    if source in (Source.NOMINEES, Source.AWARDEES):
        count = (recognition.nominees if source == Source.NOMINEES else recognition.awardees)(fiscal_year)
        return IndicatorValue(str(count.total), people_summary(count), count.by_personnel_type, count.by_unit)
    latest = activity.entries[0] if activity.entries else None  # manual
    return IndicatorValue(latest.value if latest else "", "")

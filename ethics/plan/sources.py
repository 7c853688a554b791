"""Where each plan activity's value comes from: one registry entry per source, saying its label,
how it counts every activity of its kind at once, whether it counts people (and so can be
limited to a population), and the records behind a value. A new source is one entry here.

The plan reads the other domains only through their counting interfaces.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from ethics.people.counting import Count
from ethics.plan.models import Activity, Source
from ethics.plan.values import IndicatorValue, count_value
from ethics.recognition import counting as recognition
from ethics.survey.results import LEVELS, level_index, morale_index
from ethics.training import counting as training
from ethics.training.models import TrainingSession

Values = Callable[[list[Activity], int], dict[int, IndicatorValue]]


@dataclass(frozen=True)
class SourceKind:
    label: object
    values: Values  # every activity of this source in a fiscal year, counted at once
    counts_people: bool = False  # so it may be limited to a population
    people: Callable[[Activity, int], Select] | None = None  # ids of the people behind a value
    sessions: Callable[[Activity, int], list[TrainingSession]] | None = None  # the sessions behind it


def _sessions(activity: Activity, fiscal_year: int) -> Select:
    return training.sessions_of(fiscal_year, plan_activity=activity.code)


def _training_people(count_by) -> Values:
    def values(activities: list[Activity], fiscal_year: int) -> dict[int, IndicatorValue]:
        counts = count_by(fiscal_year, [a.code for a in activities])
        return {a.id: count_value(counts.get(a.code, Count(0)), a) for a in activities}
    return values


def _sessions_held(activities: list[Activity], fiscal_year: int) -> dict[int, IndicatorValue]:
    held = training.sessions_held_by(training.sessions_by_activity(fiscal_year, [a.code for a in activities]))
    return {a.id: IndicatorValue(str(held.get(a.code, 0)), _times_held(held.get(a.code, 0))) for a in activities}


def _times_held(n: int) -> Callable[[str], str]:
    return lambda locale: f"{n} ครั้ง" if locale == "th" else f"held {n} {'time' if n == 1 else 'times'}"


def _round_people(count_of) -> Values:
    def values(activities: list[Activity], fiscal_year: int) -> dict[int, IndicatorValue]:
        count = count_of(fiscal_year)
        return {a.id: count_value(count, a) for a in activities}
    return values


def _morale(activities: list[Activity], fiscal_year: int) -> dict[int, IndicatorValue]:
    index = morale_index(fiscal_year)
    value = IndicatorValue(f"{index[0]:.2f}", _morale_summary(*index)) if index else IndicatorValue()
    return {a.id: value for a in activities}


def _morale_summary(mean: float, level_th: str) -> Callable[[str], str]:
    def summary(locale: str) -> str:
        if locale == "th":
            return f"ระดับขวัญกำลังใจเฉลี่ย {mean:.2f} ({level_th})"
        return f"Average morale {mean:.2f} ({LEVELS[level_index(mean)][1]})"
    return summary


def _manual(activities: list[Activity], _fiscal_year: int) -> dict[int, IndicatorValue]:
    """The latest dated entry's value."""
    return {a.id: IndicatorValue(a.entries[0].value if a.entries else "") for a in activities}


SOURCES: dict[Source, SourceKind] = {
    Source.MANUAL: SourceKind(_l("Entered by hand"), _manual),
    Source.TRAINING_PARTICIPANTS: SourceKind(
        _l("Training participants"), _training_people(training.activity_participants), counts_people=True,
        people=lambda a, year: training.attendees(_sessions(a, year)),
        sessions=lambda a, year: training.listed(_sessions(a, year))),
    Source.TRAINING_PASSED: SourceKind(
        _l("People who passed trainings"), _training_people(training.activity_passed), counts_people=True,
        people=lambda a, year: training.passers(_sessions(a, year)),
        sessions=lambda a, year: training.listed(_sessions(a, year))),
    Source.TRAINING_SESSIONS: SourceKind(
        _l("Training sessions held"), _sessions_held,
        sessions=lambda a, year: training.listed(_sessions(a, year))),
    Source.NOMINEES: SourceKind(_l("Outstanding civil servant nominees"), _round_people(recognition.nominees),
                                counts_people=True),
    Source.AWARDEES: SourceKind(_l("Certificates of honour awarded"), _round_people(recognition.awardees),
                                counts_people=True),
    Source.MORALE_INDEX: SourceKind(_l("Morale index"), _morale),
}
SOURCE_LABELS = {source: kind.label for source, kind in SOURCES.items()}


def values_for(activities: list[Activity], fiscal_year: int) -> dict[int, IndicatorValue]:
    """Every activity's value in a fixed number of queries, whatever the plan's size: one per
    kind of source, each counting all the activities of that kind at once."""
    by_source: dict[Source, list[Activity]] = {}
    for activity in activities:
        by_source.setdefault(Source(activity.source), []).append(activity)
    values: dict[int, IndicatorValue] = {}
    for source, of_source in by_source.items():
        values.update(SOURCES[source].values(of_source, fiscal_year))
    return values


def value_of(activity: Activity, fiscal_year: int) -> IndicatorValue:
    return values_for([activity], fiscal_year)[activity.id]

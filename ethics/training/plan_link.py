"""How trainings learn about the plan's activities, without importing the plan.

The plan domain sits above trainings. It declares itself to the app as the one that knows
(`provide`, called from its init_app), and trainings ask through the app (`activity_exists`,
`activities_of`, `activity`). An app without it knows no activity, so an import or a form naming
one is refused rather than linked to nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from flask import Flask, current_app

EXTENSION = "ethics.plan_activities"


class PlanActivity(Protocol):
    """What trainings read of an activity: its id (for its page), code and name."""

    id: int
    code: str
    name: str


def provide(app: Flask, exists: Callable[[int, str], bool],
            activities: Callable[[int], Sequence[PlanActivity]]) -> None:
    """Make `exists(fiscal_year, code)` the app's answer to "is this activity in that year's plan",
    and `activities(fiscal_year)` its list of that plan's activities, in plan order."""
    app.extensions[EXTENSION] = (exists, activities)


def activity_exists(fiscal_year: int, code: str) -> bool:
    provided = current_app.extensions.get(EXTENSION)
    return bool(provided and provided[0](fiscal_year, code))


def activities_of(fiscal_year: int) -> Sequence[PlanActivity]:
    """The activities of the fiscal year's plan, in plan order; none without a plan."""
    provided = current_app.extensions.get(EXTENSION)
    return provided[1](fiscal_year) if provided else []


def activity(fiscal_year: int, code: str) -> PlanActivity | None:
    """The activity `code` of the fiscal year's plan, if it is there."""
    return next((found for found in activities_of(fiscal_year) if found.code == code), None) if code else None

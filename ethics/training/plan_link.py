"""How trainings learn whether a plan activity code exists, without importing the plan.

The plan domain sits above trainings. It declares itself to the app as the one that knows
(`provide`, called from its init_app), and trainings ask through the app (`activity_exists`).
An app without it knows no activity, so an import or a form naming one is refused rather than
linked to nothing.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

EXTENSION = "ethics.plan_activities"


def provide(app: Flask, exists: Callable[[int, str], bool]) -> None:
    """Make `exists(fiscal_year, code)` the app's answer to "is this activity in that year's plan"."""
    app.extensions[EXTENSION] = exists


def activity_exists(fiscal_year: int, code: str) -> bool:
    exists = current_app.extensions.get(EXTENSION)
    return bool(exists and exists(fiscal_year, code))

"""The yearly report in the seed's five columns, with code, value and target beside them."""
from __future__ import annotations

import re

from ethics.plan.models import Plan
from ethics.plan.sources import values_for

HEADER = ["code", "strategy", "measure", "activity", "indicator", "responsible", "target", "value", "result"]


def target_share(value: str, target: str) -> float | None:
    """How far a numeric value is toward a target that starts with a number ("200 คน"), 0-1."""
    number = re.match(r"\s*([\d,]+(?:\.\d+)?)", target or "")
    if number is None:
        return None
    try:
        goal, got = float(number.group(1).replace(",", "")), float(value)
    except ValueError:
        return None
    return min(1.0, got / goal) if goal > 0 else None


def rows(plan: Plan) -> list[dict]:
    """One row per activity, grouped by strategy; an automatic value's summary fills an empty result."""
    out = []
    values = values_for([a for s in plan.strategies for m in s.measures for a in m.activities], plan.fiscal_year)
    for strategy in plan.strategies:
        for measure in strategy.measures:
            for activity in measure.activities:
                value = values[activity.id]
                out.append({
                    "code": activity.code, "strategy": strategy.name, "strategy_number": strategy.number,
                    "objective": strategy.objective, "measure": measure.name, "measure_number": measure.number,
                    "activity": activity.name, "indicator": activity.indicator, "responsible": activity.responsible,
                    "target": activity.target, "value": value.value,
                    "result": activity.result_text or value.summary, "source": activity.source,
                    "result_here": activity.result_text or value.summary_here,  # the page's, in its reader's language
                    "share": target_share(value.value, activity.target),
                })
    return out


def csv_rows(report: list[dict]) -> list[list[str]]:
    return [[row[name] for name in HEADER] for row in report]

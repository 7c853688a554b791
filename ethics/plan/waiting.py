"""What the plan puts on HR's start page: this fiscal year's plan, or that it has none yet."""
from __future__ import annotations

from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ethics.core.fiscal import fiscal_year_of
from ethics.plan import services
from ethics.web.home import WaitingItem, register


def this_year(_account, today: date) -> list[WaitingItem]:
    year = fiscal_year_of(today)
    if year in services.plan_years():
        return [WaitingItem(_("Plan of fiscal year %(year)d", year=year), url_for("plan.show", fiscal_year=year))]
    return [WaitingItem(_("No plan for fiscal year %(year)d yet", year=year), url_for("plan.index"))]


def provide(app: Flask) -> None:
    register(app, "hr", this_year, _l("the plan of this fiscal year"))

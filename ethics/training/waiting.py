"""What trainings put on the start page: a person's seats and new certificates, a supervisor's gaps
in mandatory courses, and the sessions HR has still to open, close or enter scores for."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of
from ethics.core.i18n import current_locale
from ethics.training import attendance, catalogue, history
from ethics.web.home import WaitingItem, register

NEW_FOR = timedelta(days=30)  # a certificate is new on the start page this long after it is issued


def seats_and_certificates(account, today: date) -> list[WaitingItem]:
    """Today's sessions not yet checked in to, the sessions coming up after today with a confirmed
    seat, and certificates issued in the last NEW_FOR (as "My trainings" lists them)."""
    if account.person_id is None:
        return []
    confirmed = [r for r in history.coming_up(history.registrations_of(account.person_id), today)
                 if r.confirmed and r.session.running]
    days = {r.id: day for r in confirmed for day in r.session.days if day.day == today}
    present = attendance.present_on(account.person_id, [day.id for day in days.values()]) if days else set()
    items = [WaitingItem(_("Check in"), url_for("training.check_in"),
                         detail=_("Today: %(course)s", course=r.session.course.title(current_locale())))
             for r in confirmed if r.id in days and days[r.id].id not in present]
    if later := len(confirmed) - len(days):
        items.append(WaitingItem(_("Sessions coming up with your seat confirmed"), url_for("training.mine"), later))
    new = [c for c in history.certificates_of(account.person_id).values() if c.valid and c.issued_on >= today - NEW_FOR]
    if new:
        items.append(WaitingItem(_("New certificates"), url_for("training.mine"), len(new)))
    return items


def team_gaps(account, today: date) -> list[WaitingItem]:
    """How many mandatory courses of this fiscal year the supervisor's people have not yet passed."""
    if gaps := history.count_missing_mandatory(account, fiscal_year_of(today)):
        return [WaitingItem(_("Mandatory courses your people have not yet passed"), url_for("training.team"), gaps)]
    return []


def sessions_to_handle(_account, today: date) -> list[WaitingItem]:
    """This fiscal year's sessions HR has to open, close or enter scores for, each need linking to
    the sessions page filtered by it."""
    year = fiscal_year_of(today)
    items = []
    for need in catalogue.Need:
        count = db.session.scalar(select(func.count()).select_from(
            catalogue.sessions_needing(year, need, today).subquery())) or 0
        if count:
            items.append(WaitingItem(need.label, url_for("training.sessions", fy=year, need=need.value), count))
    return items


def provide(app: Flask) -> None:
    register(app, "employee", seats_and_certificates,
             _l("sessions you have a seat in (today's with check-in) and certificates from the last 30 days"))
    register(app, "supervisor", team_gaps, _l("mandatory courses your people have not yet passed this year"))
    register(app, "hr", sessions_to_handle, _l("sessions to open, to close, or with post-test scores to enter"))

"""HR's page of reminder switches."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _

from ethics.reminders import services
from ethics.reminders.forms import SwitchesForm
from ethics.reminders.models import ReminderKind
from ethics.web.access import roles_required
from ethics.web.render import render
from ethics.web.unit_of_work import perform

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


@bp.route("/", methods=["GET", "POST"])
@roles_required("admin", "hr")
def switches():
    form = SwitchesForm()
    if request.method == "GET":
        form.on.data = [kind.value for kind, on in services.switches().items() if on]
    if form.validate_on_submit():
        chosen = {ReminderKind(value) for value in form.on.data or []}
        if perform(lambda: services.set_switches(chosen), done=_("Saved.")):
            return redirect(url_for("reminders.switches"))
    return render("reminders/switches.html", form=form)

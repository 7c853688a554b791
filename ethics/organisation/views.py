"""The administrator's organisation page: the agency's name, address and logo, and the signatories."""
from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_babel import gettext as _

from ethics.organisation import masthead, services
from ethics.organisation.forms import OrganisationForm, SignatoryForm, signatory_choices
from ethics.organisation.images import data_uri
from ethics.organisation.models import Signatory
from ethics.web.access import roles_required
from ethics.web.render import render
from ethics.web.unit_of_work import perform

bp = Blueprint("organisation", __name__, url_prefix="/organisation")


@bp.route("/", methods=["GET", "POST"])
@roles_required("admin")
def settings():
    current = services.organisation()
    form = OrganisationForm(obj=current)
    for select in (form.honour_signatory_id, form.report_certifier_id):
        select.choices = signatory_choices(_("Nobody yet (a blank line to sign by hand)"))
    if form.validate_on_submit():
        data, logo = form.to_data(), form.logo_change()
        if perform(lambda: services.save_organisation(data, logo, form.version.data), form=form, done=_("Saved.")):
            return redirect(url_for("organisation.settings"))
    return render("organisation/settings.html", form=form, logo=data_uri(current.logo),
                  signatories=services.signatories(), picture=data_uri, status=422 if form.errors else 200)


def _save_signatory(existing: Signatory | None):
    form = SignatoryForm(obj=existing)
    if form.validate_on_submit():
        data, signature = form.to_data(), form.signature_change()
        version = form.version.data if existing else None
        if perform(lambda: services.save_signatory(existing, data, signature, version), form=form, done=_("Saved.")):
            return redirect(url_for("organisation.settings", _anchor="signatories"))
    return render("organisation/signatory_form.html", form=form, signatory=existing,
                  signature=data_uri(existing.signature) if existing else None, status=422 if form.errors else 200)


@bp.route("/signatories/new", methods=["GET", "POST"])
@roles_required("admin")
def new_signatory():
    return _save_signatory(None)


@bp.route("/signatories/<int:signatory_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_signatory(signatory_id: int):
    return _save_signatory(services.signatory(signatory_id))


@bp.post("/signatories/<int:signatory_id>/remove")
@roles_required("admin")
def remove_signatory(signatory_id: int):
    perform(lambda: services.remove_signatory(signatory_id),
            done=lambda removed: _("%(name)s was removed.", name=removed.name))
    return redirect(url_for("organisation.settings", _anchor="signatories"))


@bp.get("/logo.png")
def logo():
    """The agency's logo in every page's header, also before signing in."""
    return masthead.logo_response()

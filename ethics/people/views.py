from __future__ import annotations

import tempfile
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, flash, redirect, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ethics.audit.services import record
from ethics.core.data_versions import Domain
from ethics.core.database import reads_only, write_transaction
from ethics.core.extensions import db
from ethics.core.i18n import current_locale
from ethics.core.spreadsheets import XLSX_MIMETYPE, iter_csv, write_xlsx
from ethics.organisation.forms import signatory_choices
from ethics.people import discipline, person_page, services
from ethics.people.citizen_id import formatted
from ethics.people.exports import roster_rows
from ethics.people.forms import (
    SEARCH_FIELDS,
    CloseFlagForm,
    FlagForm,
    PersonForm,
    SearchForm,
    UnitForm,
    kept_out_of_addresses,
    unit_choices,
)
from ethics.people.imports import ROSTER_HEADER
from ethics.people.models import DisciplinaryFlag, Person, Unit
from ethics.web.access import deny, login_required, roles_required
from ethics.web.kept_pages import cached_page
from ethics.web.render import attachment, render
from ethics.web.unit_of_work import perform

bp = Blueprint("people", __name__)
SEARCHERS = ("admin", "hr", "supervisor")


@bp.route("/people", methods=["GET", "POST"])
@roles_required(*SEARCHERS)
@cached_page(Domain.PEOPLE)
@reads_only
def people():
    """The search and filters are in the list's address, so Back, reload and a shared link give the
    same list. A search that may hold a citizen ID is posted instead and answered here; any other
    post (the form of the previous release, or a browser without JavaScript) is sent to its address."""
    posted = request.method == "POST"
    if posted and not kept_out_of_addresses(request.form.get("q", "")):
        return redirect(_list_address(request.form), 303)
    values = request.form if posted else request.args
    form = SearchForm(formdata=values or None)
    form.unit_id.choices = unit_choices(_("All units"))
    if values and not form.validate():
        return render("people/people.html", "results", form=form, page=None, posted=posted, status=422)
    flt = services.PeopleFilter(
        q=form.q.data or "", unit_id=form.unit_id.data, personnel_type=form.personnel_type.data or "",
        status=form.status.data or "active", sort=form.sort.data or "name",
        page=values.get("page", values.get("goto", 1, type=int), type=int), locale=current_locale(),
    )
    page = services.search_people(current_user, flt)
    return render("people/people.html", "results", form=form, page=page, posted=posted)


def _list_address(values) -> str:
    """The people list's address for posted search values (`goto` was the page's name before)."""
    page = values.get("page") or values.get("goto")
    return url_for("people.people", **{name: values[name] for name in SEARCH_FIELDS if values.get(name)},
                   **({"page": page} if page and page != "1" else {}))


def _visible_or_404(person_id: int) -> Person:
    person = services.get_visible_person(current_user, person_id)
    if person is None:
        deny(404)
    return person


@bp.get("/people/<int:person_id>")
@roles_required(*SEARCHERS)
def person(person_id: int):
    """One tab at a time (`?tab=`), the tabs and panel alone when htmx asks."""
    person = _visible_or_404(person_id)
    tab = person_page.chosen_tab(current_user, request.args.get("tab"))
    return render("people/person.html", "tabs", **_person_context(person, tab))


def _person_context(person: Person, tab: str = "details", **extra) -> dict:
    """The person page; HR also sees the disciplinary flags, with forms to record and close them."""
    context = {"person": person, "can_manage": services.can_manage_people(current_user), "tab": tab,
               "tabs": person_page.tabs_for(current_user), "tab_labels": person_page.TAB_LABELS,
               **person_page.tab_context(current_user, person, tab), **extra}
    if tab == "flags":
        context.update(flag_form=FlagForm(), close_form=CloseFlagForm())
    return context


@bp.post("/people/<int:person_id>/flags")
@roles_required("admin", "hr")
def open_flag(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = FlagForm()
    if form.validate_on_submit():
        perform(lambda: discipline.open_flag(person, form.opened_on.data, form.note.data), done=_("Saved."))
    else:
        flash(_("Give the date and a note."), "error")
    return redirect(url_for("people.person", person_id=person_id, tab="flags"))


@bp.post("/people/flags/<int:flag_id>/close")
@roles_required("admin", "hr")
def close_flag(flag_id: int):
    flag = db.get_or_404(DisciplinaryFlag, flag_id)
    form = CloseFlagForm()
    if not form.validate_on_submit():
        flash(_("Give the closing date."), "error")
    else:
        perform(lambda: discipline.close_flag(flag, form.closed_on.data), done=_("Saved."))
    return redirect(url_for("people.person", person_id=flag.person_id, tab="flags"))


@bp.post("/people/<int:person_id>/citizen-id")
@roles_required("admin", "hr")
def reveal_citizen_id(person_id: int):
    person = db.get_or_404(Person, person_id)
    full = formatted(perform(lambda: services.reveal_citizen_id(person)).value)
    return render("people/person.html", "citizen_id", **_person_context(person, revealed=full))


def _person_form(person: Person | None) -> PersonForm:
    form = PersonForm(obj=person) if person else PersonForm()
    form.unit_id.choices = unit_choices()
    unit_id = form.unit_id.data if request.method == "POST" else (person.unit_id if person else None)
    if unit_id is None and form.unit_id.choices:
        unit_id = form.unit_id.choices[0].value
    bosses = services.supervisor_choices(unit_id, person.supervisor_id if person else None)
    form.supervisor_id.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(boss.id, f"{boss.full_name} ({boss.unit.code})") for boss in bosses if not person or boss.id != person.id
    ]
    if person:
        form.citizen_id.render_kw = {"placeholder": person.masked_citizen_id}
        if request.method == "GET":
            form.load(person)
    return form


def _save_person(person: Person | None):
    form = _person_form(person)
    if form.validate_on_submit():
        if person is None and not form.typed_citizen_id():
            form.citizen_id.errors.append(_("A citizen ID is required."))
        else:
            data = form.to_data(person)
            saved = perform(lambda: services.save_person(person, data, form.version.data if person else None,
                                                                  by_admin=current_user.has_role("admin")),
                            form=form, done=_("Saved."))
            if saved:
                return redirect(url_for("people.person", person_id=saved.value.id))
    return render("people/person_form.html", form=form, person=person, status=422 if form.errors else 200)


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required("admin", "hr")
def new_person():
    return _save_person(None)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "hr")
def edit_person(person_id: int):
    return _save_person(db.get_or_404(Person, person_id))


@bp.get("/people/export.<fmt>")
@roles_required("admin", "hr")
def export_roster(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    with write_transaction(db.session):
        record("export.roster", format=fmt)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    name = f"roster-{stamp}.{fmt}"
    headers = attachment(name)
    if fmt == "csv":
        return Response(stream_with_context(iter_csv(ROSTER_HEADER, roster_rows())),
                        mimetype="text/csv", headers=headers)
    with tempfile.TemporaryFile() as buffer:
        write_xlsx(buffer, ROSTER_HEADER, roster_rows(), title="roster")
        buffer.seek(0)
        body = buffer.read()
    return Response(body, headers=headers,
                    mimetype=XLSX_MIMETYPE)


@bp.get("/me")
@login_required
def me():
    person = current_user.person
    return render("people/me.html", person=person)


# --- units -------------------------------------------------------------------------

@bp.get("/units")
@roles_required("admin", "hr")
def units():
    return render("people/units.html", tree=services.unit_tree())


def _save_unit(unit: Unit | None):
    form = UnitForm(obj=unit) if unit else UnitForm()
    form.parent_id.choices = unit_choices(_("None (top level)"))
    form.signatory_id.choices = signatory_choices(_("The head of the parent unit"))
    if form.validate_on_submit():
        data = form.to_data()
        saved = perform(lambda: services.save_unit(unit, data, form.version.data if unit else None), form=form,
                        done=_("Saved."))
        if saved:
            return redirect(url_for("people.units", _anchor=f"unit-{saved.value.id}"))
    return render("people/unit_form.html", form=form, unit=unit, status=422 if form.errors else 200)


@bp.route("/units/new", methods=["GET", "POST"])
@roles_required("admin", "hr")
def new_unit():
    return _save_unit(None)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "hr")
def edit_unit(unit_id: int):
    return _save_unit(db.get_or_404(Unit, unit_id))

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from ethics.audit.services import record
from ethics.core.data_versions import Domain
from ethics.core.database import write_transaction
from ethics.core.documents import qr_data_uri, render_pdf
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of, local_now
from ethics.core.i18n import current_locale
from ethics.core.links import absolute_url
from ethics.core.spreadsheets import XLSX_MIMETYPE
from ethics.organisation.forms import signatory_choices
from ethics.organisation.services import SignatureBlock, letterhead
from ethics.people.forms import unit_choices
from ethics.people.models import PERSONNEL_TYPE_LABELS, Person
from ethics.people.services import get_visible_person
from ethics.training import (
    attendance,
    calendar_file,
    catalogue,
    exports,
    history,
    invitations,
    plan_link,
    registrations,
    results,
    states,
)
from ethics.training.forms import CheckInForm, CourseForm, InviteForm, RevokeForm, SessionForm, StateChangeForm
from ethics.training.models import EVERY_YEAR, Certificate, Course, Registration, SessionStatus, TrainingSession
from ethics.web.access import deny, login_required, roles_required
from ethics.web.form_fields import first_error
from ethics.web.kept_pages import cached_page
from ethics.web.render import attachment, htmx_request, render
from ethics.web.request_checks import year_arg
from ethics.web.unit_of_work import perform

bp = Blueprint("training", __name__, url_prefix="/training")
HR = ("admin", "hr")


def _today() -> date:
    return local_now().date()


def _fiscal_year() -> int:
    return year_arg(fiscal_year_of(_today()))


# --- courses ----------------------------------------------------------------------

@bp.get("/courses")
@roles_required(*HR)
def courses():
    rows = db.session.scalars(select(Course).order_by(Course.code)).all()
    return render("training/courses.html", courses=rows)


def _save_course(course: Course | None):
    form = CourseForm(obj=course)
    if course and request.method == "GET":
        form.load(course)
    if form.validate_on_submit():
        data = form.to_data()
        if perform(lambda: catalogue.save_course(course, data, form.version.data if course else None), form=form,
                   done=_("Saved.")):
            return redirect(url_for("training.courses"))
    return render("training/course_form.html", form=form, course=course, EVERY_YEAR=EVERY_YEAR,
                  PERSONNEL_TYPE_LABELS=PERSONNEL_TYPE_LABELS, status=422 if form.errors else 200)


@bp.route("/courses/new", methods=["GET", "POST"])
@roles_required(*HR)
def new_course():
    return _save_course(None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@roles_required(*HR)
def edit_course(course_id: int):
    return _save_course(db.get_or_404(Course, course_id))


# --- sessions: scheduling ---------------------------------------------------------

@bp.get("/sessions")
@roles_required(*HR)
def sessions():
    year = _fiscal_year()
    need = catalogue.Need(request.args["need"]) if request.args.get("need") in set(catalogue.Need) else None
    query = catalogue.sessions_needing(year, need, _today()) if need else catalogue.sessions_in_year(year)
    rows = db.session.scalars(query.order_by(TrainingSession.first_day)).all()
    view = "calendar" if request.args.get("view") == "calendar" else "list"
    return render("training/sessions.html", sessions=rows, fiscal_year=year, view=view, need=need,
                  months=calendar_file.months_of(year, rows) if view == "calendar" else None)


def _save_session(session: TrainingSession | None):
    form = SessionForm(obj=session)
    form.course_id.choices = [SelectChoice(c.id, f"{c.code} {c.title(current_locale())}")
                              for c in db.session.scalars(select(Course).order_by(Course.code))]
    form.unit_id.choices = unit_choices(_("None"))
    form.signatory_id.choices = signatory_choices(_("The head of the responsible unit"))
    if request.method == "GET":
        form.load(session)
    plan_year = form.offer_plan_activities(_today())
    if form.validate_on_submit():
        data = form.to_data(session.status if session else SessionStatus.PLANNED)
        saved = perform(lambda: catalogue.save_session(session, data, form.version.data if session else None),
                        form=form, done=_("Saved."))
        if saved:
            return redirect(url_for("training.session", session_id=saved.value.id))
    return render("training/session_form.html", form=form, session=session, plan_year=plan_year,
                  status=422 if form.errors else 200)


@bp.route("/sessions/new", methods=["GET", "POST"])
@roles_required(*HR)
def new_session():
    return _save_session(None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*HR)
def edit_session(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    if not session.running:  # held or cancelled: show it, offer no form
        flash(_("This session is closed and can no longer be changed.") if session.results_final
              else _("This session is cancelled and can no longer be changed."), "error")
        return redirect(url_for("training.session", session_id=session.id))
    return _save_session(session)


# --- one session ----------------------------------------------------------------------

def _visible_session(session_id: int) -> TrainingSession:
    """The session, when the reader may see it (registrations.may_see); else not found."""
    session = db.session.get(TrainingSession, session_id)
    if session is None or not registrations.may_see(current_user, session):
        deny(404)
    return session


def _roster(session: TrainingSession):
    """Everyone registered, with attendance, in a bounded number of queries."""
    rows = db.session.scalars(
        select(Registration).where(Registration.session_id == session.id)
        .options(joinedload(Registration.person).joinedload(Person.unit))
        .order_by(Registration.status, Registration.registered_at, Registration.id)).all()
    return rows, attendance.attendance_map(session.id)


@bp.get("/sessions/<int:session_id>")
@login_required
@cached_page(Domain.TRAINING, Domain.PEOPLE, Domain.PLAN, day=_today)  # the state buttons follow the date
def session(session_id: int):
    session = _visible_session(session_id)
    plan_year = fiscal_year_of(session.first_day)
    context: dict[str, Any] = {"session": session, "invite_form": None, "transitions": [], "plan_year": plan_year,
                               "plan_activity": plan_link.activity(plan_year, session.plan_activity_code)}
    if current_user.has_role(*HR):
        roster, marks = _roster(session)
        certificates = {c.registration_id: c for c in db.session.scalars(
            select(Certificate).join(Registration).where(Registration.session_id == session.id))}
        invitees, not_registered = invitations.invitees(session.id, request.args.get("page", 1, type=int))
        context.update(roster=roster, marks=marks, certificates=certificates, invite_form=_invite_form(session),
                       invitees=invitees, not_registered=not_registered,
                       check_ins=attendance.check_in_times(session.id),
                       transitions=states.transitions(session, _today()))
    if current_user.person_id:
        context["mine"] = db.session.scalar(select(Registration).where(
            Registration.session_id == session.id, Registration.person_id == current_user.person_id))
        context["closed_reason"] = registrations.closed_reason(session, current_user.person_id)
    return render("training/session.html", **context)


@bp.post("/sessions/<int:session_id>/register")
@login_required
def register(session_id: int):
    session = _visible_session(session_id)
    person = current_user.person
    if person is None:
        flash(_("This account is not linked to a member of staff."), "error")
        return redirect(url_for("training.session", session_id=session_id))
    perform(lambda: registrations.register(session.id, person, _today()),
            done=lambda outcome: _("Your seat is confirmed.") if outcome.registration.confirmed
            else _("The session is full: you are on the waiting list."))
    return redirect(url_for("training.session", session_id=session_id))


@bp.post("/sessions/<int:session_id>/cancel")
@login_required
def cancel(session_id: int):
    session = _visible_session(session_id)
    if current_user.person is None:
        flash(_("This account is not linked to a member of staff."), "error")
        return redirect(url_for("training.session", session_id=session_id))
    perform(lambda: registrations.cancel(session.id, current_user.person), done=_("Your registration is cancelled."))
    return redirect(url_for("training.session", session_id=session_id))


def _invite_form(session: TrainingSession) -> InviteForm:
    form = InviteForm(send="now" if session.status == SessionStatus.OPEN else "on_open")
    form.unit_id.choices = unit_choices(_("Any unit"))
    return form


@bp.post("/sessions/<int:session_id>/invite")
@roles_required(*HR)
def invite(session_id: int):
    """Without `confirm`: the preview of whom the choices invite; with it, the invitations."""
    session = db.get_or_404(TrainingSession, session_id)
    form = _invite_form(session)
    preview = None
    if form.validate_on_submit():
        audience, send_now = form.to_audience(), form.send_now
        if request.form.get("confirm"):
            if perform(lambda: invitations.invite(session, audience, send_now), form=form, done=_invited_message(session)):
                return redirect(url_for("training.session", session_id=session_id, _anchor="invitees"))
        else:
            preview = perform(lambda: invitations.preview(session, audience, send_now), form=form).result
    return render("training/invitations_preview.html", session=session, form=form, preview=preview,
                  status=422 if form.errors else 200)


def _invited_message(session: TrainingSession):
    if session.status == SessionStatus.OPEN:
        return lambda count: ngettext("%(num)d person invited: the invitation is mailed.",
                                      "%(num)d people invited: their invitations are mailed.", count)
    return lambda count: ngettext("%(num)d person invited: the invitation is mailed when registration opens.",
                                  "%(num)d people invited: their invitations are mailed when registration opens.",
                                  count)


@bp.post("/sessions/<int:session_id>/attendance/<int:person_id>/<int:day_id>")
@roles_required(*HR)
def toggle_attendance(session_id: int, person_id: int, day_id: int):
    present = request.form.get("present") == "1"
    perform(lambda: attendance.mark(session_id, person_id, day_id, present))  # refused: 404 or 409
    if htmx_request():  # marked, so the session still takes marks
        return render("training/session.html", "attendance_cell", present=present, markable=True,
                      session_id=session_id, person_id=person_id, day_id=day_id)
    return redirect(url_for("training.session", session_id=session_id, _anchor=f"person-{person_id}"))


@bp.post("/sessions/<int:session_id>/days/<int:day_id>/present")
@roles_required(*HR)
def mark_all_present(session_id: int, day_id: int):
    """Every confirmed registrant present on the day: the roster's button under the day's date."""
    perform(lambda: attendance.mark_all_present(session_id, day_id),  # refused: 404 or 409
            done=lambda count: ngettext("%(num)d person marked present.", "%(num)d people marked present.", count)
            if count else _("Everyone confirmed was already marked present."))
    return redirect(url_for("training.session", session_id=session_id, _anchor="roster"))


@bp.post("/sessions/<int:session_id>/scores")
@roles_required(*HR)
def scores(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    roster = {str(r.person_id): r for r in db.session.scalars(
        select(Registration).where(Registration.session_id == session.id))}

    def save_scores():
        for key, value in request.form.items():
            if key.startswith("score-"):
                registration = roster.get(key.removeprefix("score-")) or abort(404)
                results.set_score(session, registration, _score(value))

    perform(save_scores, done=_("Scores saved."))
    return redirect(url_for("training.session", session_id=session_id))


def _score(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        raise results.ClosingError(_("A score is between 0 and 100.")) from None


STATE_CHANGED = {
    SessionStatus.OPEN: lambda changed: _("Registration is open."),
    SessionStatus.HELD: lambda changed: _("The session is closed: %(n)d passed and got a certificate.",
                                          n=changed.passed),
    SessionStatus.CANCELLED: lambda changed: _("The session is cancelled; everyone registered is told."),
}


@bp.post("/sessions/<int:session_id>/state")
@roles_required(*HR)
def change_state(session_id: int):
    """One of the session page's state buttons. A change that does not apply is refused with 409; a
    missing or too long reason with 422 and the session page, its message on top."""
    training_session = db.get_or_404(TrainingSession, session_id)
    form = StateChangeForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
        return _session_page_refused(session_id)
    changed = perform(lambda: states.change_state(training_session, form.change.data, _today(), form.reason.data or ""),
                      done=lambda changed: STATE_CHANGED[changed.status](changed))
    if not changed:
        return _session_page_refused(session_id)
    return redirect(url_for("training.session", session_id=session_id))


def _session_page_refused(session_id: int):
    """The session page, as it is, with the refusal flashed on top (a flash is never kept)."""
    response = make_response(session(session_id=session_id))
    response.status_code = 422
    return response


@bp.get("/sessions/<int:session_id>/venue")
@roles_required(*HR)
def venue(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    now = local_now()
    day = attendance.today_of(session, now)
    code = attendance.current_code(day, now) if day and attendance.in_window(day, now) else None
    link = absolute_url("training.check_in", code=code) if code else None
    return render("training/venue.html", "code", session=session, code=code, qr=qr_data_uri(link) if link else None,
                  link=link)


@bp.get("/sessions/<int:session_id>.ics")
@login_required
def ics(session_id: int):
    session = _visible_session(session_id)
    body = calendar_file.ics_for(session, absolute_url("training.session", session_id=session.id))
    return Response(body, mimetype="text/calendar",
                    headers=attachment(f"{session.code}.ics"))


@bp.get("/sessions/<int:session_id>/sign-in-sheet.<fmt>")
@roles_required(*HR)
def sign_in_sheet(session_id: int, fmt: str):
    session = db.get_or_404(TrainingSession, session_id)
    if fmt not in ("pdf", "xlsx"):
        abort(404)
    roster, _marks = _roster(session)
    sheet = exports.sign_in_sheet(session, [r for r in roster if r.confirmed], current_user.person)
    if fmt == "pdf":
        body, mimetype = render_pdf("training/sign_in_sheet_pdf.html", sheet=sheet, head=letterhead()), "application/pdf"
    else:
        body, mimetype = exports.sign_in_sheet_xlsx(sheet), XLSX_MIMETYPE
    return Response(body, mimetype=mimetype,
                    headers=attachment(f"sign-in-{session.code}.{fmt}"))


@bp.get("/attendance-export.<fmt>")
@roles_required(*HR)
def export_attendance(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    year = _fiscal_year()
    with write_transaction(db.session):
        record("export.attendance", fiscal_year=year, format=fmt)
    return exports.attendance_response(year, fmt)


# --- people's own pages ------------------------------------------------------------

@bp.get("/")
@login_required
def mine():
    person = current_user.person
    if person is None:
        return render("training/mine.html", person=None)
    regs = history.registrations_of(person.id)
    today = _today()
    return render("training/mine.html", person=person, today=today,
                  upcoming=history.coming_up(regs, today),
                  past=[r for r in regs if r.session.results_final or r.session.last_day < today],
                  available=history.open_sessions_for(person.id, today), present=history.days_present(person.id),
                  certificates=history.certificates_of(person.id))


@bp.get("/people/<int:person_id>")
@login_required
def person_history(person_id: int):
    """One person's record: their own, their supervisor's (scoped) and HR's alone."""
    person = db.session.get(Person, person_id) if current_user.person_id == person_id else (
        get_visible_person(current_user, person_id) if current_user.has_role("admin", "hr", "supervisor") else None)
    if person is None:
        deny(404)
    return render("training/history.html", person=person, registrations=history.registrations_of(person.id),
                  present=history.days_present(person.id), certificates=history.certificates_of(person.id))


@bp.route("/check-in", methods=["GET", "POST"])
@login_required
def check_in():
    form = CheckInForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:6]
    if form.validate_on_submit():
        if current_user.person_id is None:
            form.code.errors.append(_("This account is not linked to a member of staff."))
            return render("training/check_in.html", form=form, status=422)
        checked_in = perform(lambda: attendance.check_in(current_user.person_id, form.code.data, local_now()),
                             form=form, done=lambda session: _("You are checked in: %(session)s",
                                                               session=session.course.title(current_locale())))
        if checked_in:
            return redirect(url_for("training.mine"))
    return render("training/check_in.html", form=form, status=422 if form.errors else 200)


@bp.get("/team")
@roles_required("admin", "hr", "supervisor")
def team():
    year = _fiscal_year()
    page = history.missing_mandatory(current_user, year, request.args.get("page", 1, type=int))
    return render("training/team.html", page=page, fiscal_year=year)


# --- certificates -------------------------------------------------------------------

def _certificate_for_viewer(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not results.may_open_certificates_of(current_user, certificate.registration.person_id):
        deny(404)
    return certificate


@bp.get("/certificates/<int:certificate_id>.pdf")
@login_required
def certificate_pdf(certificate_id: int):
    certificate = _certificate_for_viewer(certificate_id)
    link = absolute_url("verify.certificate", token=certificate.token)
    signer = SignatureBlock.of(results.certificate_signer(certificate.registration.session))
    body = render_pdf("training/certificate_pdf.html", certificate=certificate, qr=qr_data_uri(link), link=link,
                      head=letterhead(), signer=signer,
                      revoked_on=certificate.revoked_on)  # stamped: a revoked certificate never prints as valid
    return Response(body, mimetype="application/pdf",
                    headers=attachment(f"{certificate.serial}.pdf"))


@bp.post("/certificates/<int:certificate_id>/revoke")
@roles_required(*HR)
def revoke(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        perform(lambda: results.revoke(certificate, form.reason.data, _today()), done=_("The certificate is revoked."))
    else:
        flash(_("Give the reason for revoking."), "error")
    return redirect(url_for("training.session", session_id=certificate.registration.session_id))


verify_bp = Blueprint("verify", __name__)


@verify_bp.get("/verify/<token>")
def certificate(token: str):
    """Public: only name, course, date and validity, for whoever scans the QR code."""
    found = results.certificate_by_token(token)
    return render("training/verify.html", certificate=found, status=200 if found else 404)

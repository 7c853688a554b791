"""Screens of the selection. Each view finds what the account may see, calls one service, and
answers; the rules themselves are in rounds, nominations, eligibility and scoring."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice
from wtforms.validators import Optional

from ethics.auth.models import Account, AccountRole
from ethics.core.documents import qr_data_uri, render_pdf
from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.core.links import absolute_url
from ethics.core.spreadsheets import XLSX_MIMETYPE
from ethics.organisation.services import SignatureBlock, letterhead, organisation
from ethics.people import picker
from ethics.people.models import Person
from ethics.recognition import eligibility, exports, nominations, rounds, scoring, sheet
from ethics.recognition.errors import StageClosed
from ethics.recognition.forms import (
    CommitteeForm,
    ConflictForm,
    EvidenceForm,
    OverrideForm,
    RoundForm,
    entered,
    nomination_form,
    score_form,
    sheet_form,
)
from ethics.recognition.models import AwardRound, CommitteeMember, ConflictKind, Evidence, Nomination, RoundStatus
from ethics.web.access import deny, login_required, roles_required
from ethics.web.render import attachment, htmx_request, render
from ethics.web.unit_of_work import perform

bp = Blueprint("recognition", __name__, url_prefix="/recognition")
honour_bp = Blueprint("honour", __name__)
HR = ("admin", "hr")
NOMINATORS = ("admin", "hr", "supervisor")


def _today() -> date:
    return local_now().date()


def _round(round_id: int) -> AwardRound:
    """The round, its committee named by their people's names in the same query."""
    award_round = db.session.get(AwardRound, round_id, options=[
        selectinload(AwardRound.committee).joinedload(CommitteeMember.account).joinedload(Account.person)])
    if award_round is None:
        deny(404)
    return award_round


def _nomination(nomination_id: int) -> Nomination:
    nomination = nominations.visible_nomination(current_user, nomination_id)
    if nomination is None:
        deny(404)
    return nomination


def _own(nomination: Nomination) -> Nomination:
    """The nominator or HR may change a nomination; others who can see it may not."""
    if not (current_user.has_role(*HR) or nomination.nominated_by == current_user.id):
        deny(403)
    return nomination


# --- rounds ---------------------------------------------------------------------------------

@bp.get("/")
@login_required
def index():
    return render("recognition/index.html", rounds=rounds.listed())


def _save_round(award_round: AwardRound | None):
    form = RoundForm()
    if request.method == "GET":
        form.load(award_round)
    if award_round:  # the year names the round: shown, not sent, not changed
        form.year.validators = [Optional()]
    if form.validate_on_submit():
        data = form.to_data()
        if award_round is None:
            created = perform(lambda: rounds.create_round(data.year, data.nominations_open, data.nominations_close,
                                                          data=data), form=form, done=_("Saved."))
            saved = created.value if created else None
        else:
            update = perform(lambda: rounds.update_round(award_round, data, form.version.data), form=form,
                             done=_("Saved."))
            saved = update.value.award_round if update else None
            if update and update.value.rescreened:
                _say_rescreened(update.value)
        if saved:
            return redirect(url_for("recognition.round", round_id=saved.id))
    return render("recognition/round_form.html", form=form, award_round=award_round,
                  status=422 if form.errors else 200)


def _say_rescreened(update: rounds.RoundUpdate) -> None:
    flash(_("The eligibility rules changed during screening: %(count)d nominations were screened again.",
            count=update.rescreened), "info")
    if update.kept_overrides:
        kept = ", ".join(f"{n.person.full_name} ({eligibility.rule_label(rule, n.round.rules.get(rule))})"
                         for n, rule in update.kept_overrides)
        flash(_("Overrides kept because their rule did not change: %(list)s.", list=kept), "info")
    else:
        flash(_("No override was kept: each was on a rule that changed, or there were none."), "info")


@bp.route("/rounds/new", methods=["GET", "POST"])
@roles_required(*HR)
def new_round():
    return _save_round(None)


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@roles_required(*HR)
def edit_round(round_id: int):
    award_round = _round(round_id)
    if not award_round.settings_editable:
        raise StageClosed()
    return _save_round(award_round)


def _committee_form(award_round: AwardRound) -> CommitteeForm:
    form = CommitteeForm()
    members = db.session.scalars(select(Account).join(AccountRole).where(AccountRole.role == "committee",
                                                                         Account.active.is_(True))
                                 .options(joinedload(Account.person)).order_by(Account.username)).all()
    form.account_id.choices = [SelectChoice(a.id, f"{exports.member_name(a)} ({a.username})" if a.person else a.username)
                               for a in members]
    return form


@bp.get("/rounds/<int:round_id>", endpoint="round")
@login_required
def round_page(round_id: int):
    award_round = _round(round_id)
    rows = db.session.scalars(nominations.visible_nominations(current_user, award_round)
                              .options(joinedload(Nomination.person), joinedload(Nomination.unit),
                                       joinedload(Nomination.nominator).joinedload(Account.person))
                              .order_by(Nomination.rank.is_(None), Nomination.rank, Nomination.id)).all()
    member = award_round.member(current_user.id)
    context: dict[str, Any] = {"award_round": award_round, "nominations": rows, "member": member,
               "rule_label": eligibility.rule_label}
    if current_user.has_role(*HR):
        context["committee_form"] = _committee_form(award_round)
    if member and member.is_chair and award_round.scoring:
        context["progress"] = scoring.progress(award_round)
    return render("recognition/round.html", **context)


@bp.post("/rounds/<int:round_id>/committee")
@roles_required(*HR)
def add_member(round_id: int):
    award_round = _round(round_id)
    form = _committee_form(award_round)
    account = db.session.get(Account, form.account_id.data) if form.validate_on_submit() else None
    if account is None:
        flash(_("Choose a committee member."), "error")
    else:
        perform(lambda: rounds.add_member(award_round, account, form.is_chair.data), done=_("The committee is updated."))
    return redirect(url_for("recognition.round", round_id=round_id))


@bp.post("/rounds/<int:round_id>/committee/<int:account_id>/remove")
@roles_required(*HR)
def remove_member(round_id: int, account_id: int):
    award_round = _round(round_id)
    perform(lambda: rounds.remove_member(award_round, account_id), done=_("The committee is updated."))
    return redirect(url_for("recognition.round", round_id=round_id))


@bp.post("/rounds/<int:round_id>/advance")
@roles_required(*HR)
def advance(round_id: int):
    """HR moves the round on: nominations close and screening starts, or scoring starts."""
    award_round = _round(round_id)
    if award_round.status == RoundStatus.NOMINATING:
        perform(lambda: rounds.start_screening(award_round), done=_("Nominations are closed and screened."))
    elif award_round.status == RoundStatus.SCREENING:
        perform(lambda: rounds.start_scoring(award_round), done=_("Scoring has started."))
    elif award_round.status == RoundStatus.FINALISED:
        perform(lambda: rounds.announce(award_round, _today()), done=_("The winners are announced."))
    else:
        raise StageClosed()
    return redirect(url_for("recognition.round", round_id=round_id))


@bp.post("/rounds/<int:round_id>/finalise")
@roles_required("committee")
def finalise(round_id: int):
    award_round = _round(round_id)
    member = award_round.member(current_user.id)
    if member is None or not member.is_chair:
        deny(403)
    perform(lambda: scoring.finalise(award_round, current_user), done=_("The round is finalised."))
    return redirect(url_for("recognition.round", round_id=round_id))


@bp.get("/rounds/<int:round_id>/announcement")
@login_required
def announcement(round_id: int):
    award_round = _round(round_id)
    if not award_round.announced:
        deny(404)
    return render("recognition/announcement.html", award_round=award_round, winners=rounds.selected(award_round))


@bp.get("/rounds/<int:round_id>/score-sheet.<fmt>")
@roles_required("admin", "hr", "committee")
def score_sheet(round_id: int, fmt: str):
    award_round = _round(round_id)
    if fmt not in ("xlsx", "pdf") or not (current_user.has_role(*HR) or award_round.member(current_user.id)):
        deny(404)
    sheet = exports.score_sheet(award_round)
    name = f"score-sheet-{award_round.year}.{fmt}"
    if fmt == "pdf":
        body = render_pdf("recognition/score_sheet_pdf.html", award_round=award_round, sheet=sheet, head=letterhead())
        return Response(body, mimetype="application/pdf", headers=attachment(name))
    return Response(exports.score_sheet_xlsx(sheet), headers=attachment(name),
                    mimetype=XLSX_MIMETYPE)


# --- nominations -----------------------------------------------------------------------------

def _justification(form, award_round: AwardRound) -> dict[str, str]:
    return {str(c.id): getattr(form, f"c{c.id}").data or "" for c in award_round.criteria}


@bp.route("/rounds/<int:round_id>/nominate", methods=["GET", "POST"])
@roles_required(*NOMINATORS)
def nominate(round_id: int):
    award_round = _round(round_id)
    form = nomination_form(award_round.criteria, with_person=True)
    nominable = nominations.nominable_people(current_user)
    if form.validate_on_submit():
        person = db.session.scalar(nominable.where(Person.id == form.person_id.data))
        if person is None:
            form.person_id.errors.append(_("Choose one of the people you may nominate."))
        elif saved := perform(lambda: nominations.nominate(award_round, person, current_user.id,
                                                           _justification(form, award_round)),
                              form=form, done=_("Saved.")):
            return redirect(url_for("recognition.nomination", nomination_id=saved.value.id))
    found = picker.choices(nominable, request.args.get("q", "")[:100])
    _keep_chosen(found, nominable, form.person_id.data)
    return render("recognition/nomination_form.html", form=form, award_round=award_round, nomination=None,
                  found=found, status=422 if form.errors else 200)


def _keep_chosen(found: picker.Choices, nominable, chosen: int | None) -> None:
    """A person chosen before the form was refused stays listed, and chosen, whatever the search."""
    if chosen and all(p.id != chosen for p in found.people):
        person = db.session.scalar(nominable.where(Person.id == chosen).options(joinedload(Person.unit)))
        if person is not None:
            found.people.insert(0, person)


@bp.route("/nominations/<int:nomination_id>/edit", methods=["GET", "POST"])
@roles_required(*NOMINATORS)
def edit_nomination(nomination_id: int):
    nomination = _own(_nomination(nomination_id))
    award_round = nomination.round
    form = nomination_form(award_round.criteria, with_person=False)
    if request.method == "GET":
        form.version.data = nomination.version
        for c in award_round.criteria:
            getattr(form, f"c{c.id}").data = nomination.justification.get(str(c.id), "")
    if form.validate_on_submit() and perform(lambda: nominations.update(
            nomination, _justification(form, award_round), form.version.data), form=form, done=_("Saved.")):
        return redirect(url_for("recognition.nomination", nomination_id=nomination.id))
    return render("recognition/nomination_form.html", form=form, award_round=award_round, nomination=nomination,
                  status=422 if form.errors else 200)


def _scoring_context(nomination: Nomination, conflict_form: ConflictForm | None = None) -> dict:
    """What the signed-in committee member may see and do about this nomination."""
    award_round = nomination.round
    if not award_round.member(current_user.id):
        return {}
    declared = scoring.declaration(nomination, current_user.id)
    block = scoring.block_reason(nomination, current_user, declared)
    form = score_form(award_round.criteria)
    mine = scoring.own_scores(nomination, current_user.id)
    if request.method == "GET":
        for criterion_id, score in mine.items():
            getattr(form, f"s{criterion_id}").data = score.value
            getattr(form, f"n{criterion_id}").data = score.comment
    return {"declared": declared, "scoring_block": block,
            "conflict_form": conflict_form or ConflictForm(), "score_form": form, "mine": mine}


@bp.get("/nominations/<int:nomination_id>")
@login_required
def nomination(nomination_id: int):
    return _nomination_page(_nomination(nomination_id))


def _nomination_page(nomination: Nomination, conflict_form: ConflictForm | None = None, status: int = 200):
    """The page, or for htmx its scoring block when a declaration was refused."""
    award_round = nomination.round
    context = {"nomination": nomination, "award_round": award_round, "evidence_form": EvidenceForm(),
               "override_form": OverrideForm(), "describe": eligibility.describe, "effective": eligibility.effective,
               "rule_label": eligibility.rule_label,
               "can_edit": current_user.has_role(*HR) or nomination.nominated_by == current_user.id,
               **_scoring_context(nomination, conflict_form)}
    if award_round.finalised and (current_user.has_role(*HR) or award_round.member(current_user.id)):
        context["all_scores"] = exports.scores_by_member(award_round, nomination)
    return render("recognition/nomination.html", "scoring" if conflict_form else None, status=status, **context)


@bp.post("/nominations/<int:nomination_id>/submit")
@roles_required(*NOMINATORS)
def submit(nomination_id: int):
    nomination = _own(_nomination(nomination_id))
    perform(lambda: nominations.submit(nomination, _today()), done=_("The nomination is submitted."))
    return redirect(url_for("recognition.nomination", nomination_id=nomination_id))


@bp.post("/nominations/<int:nomination_id>/withdraw")
@roles_required(*NOMINATORS)
def withdraw(nomination_id: int):
    nomination = _own(_nomination(nomination_id))
    perform(lambda: nominations.withdraw(nomination), done=_("The nomination is withdrawn."))
    return redirect(url_for("recognition.nomination", nomination_id=nomination_id))


@bp.post("/nominations/<int:nomination_id>/evidence")
@roles_required(*NOMINATORS)
def upload_evidence(nomination_id: int):
    nomination = _own(_nomination(nomination_id))
    form = EvidenceForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "error")
    else:
        upload = form.file.data
        perform(lambda: nominations.add_evidence(nomination, upload.filename or "", upload.read()),
                done=_("The file is attached."))
    return redirect(url_for("recognition.nomination", nomination_id=nomination_id))


def _evidence(evidence_id: int) -> Evidence:
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or nominations.visible_nomination(current_user, evidence.nomination_id) is None:
        deny(404)
    return evidence


@bp.get("/evidence/<int:evidence_id>")
@login_required
def evidence(evidence_id: int):
    evidence = _evidence(evidence_id)
    return Response(evidence.content, mimetype=evidence.content_type, headers=attachment(evidence.filename))


@bp.post("/evidence/<int:evidence_id>/remove")
@roles_required(*NOMINATORS)
def remove_evidence(evidence_id: int):
    evidence = _evidence(evidence_id)
    nomination_id = _own(evidence.nomination).id
    perform(lambda: nominations.remove_evidence(evidence), done=_("The file is removed."))
    return redirect(url_for("recognition.nomination", nomination_id=nomination_id))


@bp.post("/nominations/<int:nomination_id>/override")
@roles_required(*HR)
def override(nomination_id: int):
    nomination = _nomination(nomination_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        flash(_("Write the reason for the override."), "error")
    else:
        perform(lambda: eligibility.override(nomination, form.rule.data, form.passed.data == "yes", form.reason.data,
                                             exports.member_name(current_user)),
                done=_("The screening result is overridden."))
    return redirect(url_for("recognition.nomination", nomination_id=nomination_id))


def _scoring_answer(nomination: Nomination, change, done: str):
    """Declarations and scores answer htmx with the scoring block, and plain posts with a redirect."""
    status = 200 if perform(change, done=done) else 422
    if htmx_request():
        return render("recognition/nomination.html", "scoring", status=status, nomination=nomination,
                      award_round=nomination.round, **_scoring_context(nomination))
    return redirect(url_for("recognition.nomination", nomination_id=nomination.id))


@bp.post("/nominations/<int:nomination_id>/conflict")
@roles_required("committee")
def declare(nomination_id: int):
    nomination = _nomination(nomination_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        return _nomination_page(nomination, form, status=422)
    return _scoring_answer(nomination, lambda: scoring.declare(nomination, current_user, form.kind.data or "",
                                                               form.note.data or ""),
                           _("Your declaration is recorded."))


@bp.post("/nominations/<int:nomination_id>/scores")
@roles_required("committee")
def score(nomination_id: int):
    nomination = _nomination(nomination_id)
    form = score_form(nomination.round.criteria)
    form.validate_on_submit()
    values = {c.id: (getattr(form, f"s{c.id}").data, getattr(form, f"n{c.id}").data or "")
              for c in nomination.round.criteria}
    return _scoring_answer(nomination, lambda: scoring.save_scores(nomination, current_user, values),
                           _("Your scores are saved."))


# --- the member's scoring sheet ---------------------------------------------------------------

def _member_round(round_id: int) -> AwardRound:
    """A round the signed-in account sits on the committee of."""
    award_round = _round(round_id)
    if award_round.member(current_user.id) is None:
        deny(404)
    return award_round


def _sheet_page(award_round: AwardRound, scoring_sheet: sheet.ScoringSheet, form=None, status: int = 200):
    editable = [row for row in scoring_sheet.rows if row.block is None]
    form = form or sheet_form(award_round.criteria, editable)
    return render("recognition/sheet.html", award_round=award_round, sheet=scoring_sheet, form=form, status=status)


@bp.get("/rounds/<int:round_id>/sheet", endpoint="sheet")
@roles_required("committee")
def sheet_page(round_id: int):
    award_round = _member_round(round_id)
    return _sheet_page(award_round, sheet.sheet_for(award_round, current_user))


@bp.post("/rounds/<int:round_id>/sheet")
@roles_required("committee")
def save_sheet(round_id: int):
    """Without JavaScript the whole sheet posts: every changed row is saved, or none."""
    award_round = _member_round(round_id)
    scoring_sheet = sheet.sheet_for(award_round, current_user)
    editable = [row for row in scoring_sheet.rows if row.block is None]
    form = sheet_form(award_round.criteria, editable)
    if form.validate_on_submit() and perform(
            lambda: sheet.save_sheet(scoring_sheet, current_user, entered(form, award_round.criteria, editable)),
            form=form, done=_("Your scores are saved.")):
        return redirect(url_for("recognition.sheet", round_id=round_id))
    return _sheet_page(award_round, scoring_sheet, form, status=422)


@bp.post("/rounds/<int:round_id>/sheet/<int:nomination_id>")
@roles_required("committee")
def save_sheet_row(round_id: int, nomination_id: int):
    """htmx posts one row and swaps it, with the member's progress."""
    award_round = _member_round(round_id)
    scoring_sheet = sheet.sheet_for(award_round, current_user)
    row = scoring_sheet.row(nomination_id)
    if row is None:
        deny(404)
    form = sheet_form(award_round.criteria, [row])
    saved = form.validate_on_submit() and perform(
        lambda: sheet.save_row(row, current_user, entered(form, award_round.criteria, [row])[row.nomination.id]),
        form=form)
    if not htmx_request():
        return redirect(url_for("recognition.sheet", round_id=round_id))
    scoring_sheet = sheet.sheet_for(award_round, current_user) if saved else scoring_sheet
    return render("recognition/_sheet_row.html", status=200 if saved else 422, award_round=award_round,
                  sheet=scoring_sheet, row=scoring_sheet.row(nomination_id), form=form, saved=bool(saved))


@bp.post("/rounds/<int:round_id>/sheet/no-conflict")
@roles_required("committee")
def no_conflict_with_the_rest(round_id: int):
    award_round = _member_round(round_id)
    perform(lambda: scoring.declare_no_conflict_with_the_rest(award_round, current_user),
            done=lambda count: ngettext("You declared no conflict of interest with %(num)d nominee.",
                                        "You declared no conflict of interest with %(num)d nominees.", count))
    return redirect(url_for("recognition.sheet", round_id=round_id))


def _conflict_kinds_only(form: ConflictForm) -> ConflictForm:
    form.kind.choices = [SelectChoice(k.value, label) for k, label in scoring.CONFLICT_LABELS.items()
                         if k != ConflictKind.NONE]
    return form


@bp.route("/rounds/<int:round_id>/sheet/<int:nomination_id>/conflict", methods=["GET", "POST"])
@roles_required("committee")
def sheet_conflict(round_id: int, nomination_id: int):
    """The confirmation step before a conflict is declared from the sheet: it cannot be undone."""
    award_round = _member_round(round_id)
    row = sheet.sheet_for(award_round, current_user).row(nomination_id)
    if row is None:
        deny(404)
    form = _conflict_kinds_only(ConflictForm())
    if form.validate_on_submit() and perform(
            lambda: scoring.declare(row.nomination, current_user, form.kind.data or "", form.note.data or ""),
            form=form, done=_("Your declaration is recorded.")):
        return redirect(url_for("recognition.sheet", round_id=round_id))
    return render("recognition/sheet_conflict.html", award_round=award_round, row=row, form=form,
                  status=422 if form.errors else 200)


@bp.get("/nominations/<int:nomination_id>/certificate.pdf")
@login_required
def honour_pdf(nomination_id: int):
    nomination = _nomination(nomination_id)
    if not nomination.certificate_token:
        deny(404)
    link = absolute_url("honour.verify", token=nomination.certificate_token)
    body = render_pdf("recognition/honour_pdf.html", nomination=nomination, qr=qr_data_uri(link), link=link,
                      head=letterhead(), signer=SignatureBlock.of(organisation().honour_signatory))
    return Response(body, mimetype="application/pdf", headers=attachment(f"{nomination.certificate_serial}.pdf"))


@honour_bp.get("/verify/honour/<token>")
def verify(token: str):
    """Public: name, award and serial only, for whoever scans the QR code."""
    found = rounds.honour_by_token(token)
    return render("recognition/verify.html", nomination=found, status=200 if found else 404)

from __future__ import annotations

import io
from collections.abc import Mapping

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ethics.audit.services import record
from ethics.core.database import write_transaction
from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.core.spreadsheets import XLSX_MIMETYPE, write_xlsx
from ethics.people.forms import unit_choices
from ethics.people.models import Unit
from ethics.people.services import subtree_ids
from ethics.survey import answering, campaigns, documents, exports, results
from ethics.survey.charts import ResultCharts
from ethics.survey.forms import CampaignForm, ItemActionForm, ItemForm
from ethics.survey.models import SCALE, MoraleCampaign, SurveyDimension, SurveyEligibility, SurveyItem
from ethics.web.access import deny, login_required, roles_required
from ethics.web.render import attachment, render, wants_fragment
from ethics.web.unit_of_work import Outcome, perform

bp = Blueprint("survey", __name__, url_prefix="/survey")
HR = ("admin", "hr")


# --- answering -------------------------------------------------------------------------

@bp.get("/")
@login_required
def mine():
    person_id = current_user.person_id
    rows = answering.campaigns_for(person_id, local_now().date()) if person_id else []
    return render("survey/mine.html", rows=rows)


def _open_for_me(campaign_id: int) -> tuple[MoraleCampaign, SurveyEligibility]:
    """The campaign the signed-in person may answer now, and their place in it (or 404). Its
    dimensions and items come in the same statement: the form shows them and checks against them."""
    campaign = db.session.get(MoraleCampaign, campaign_id,
                              options=[joinedload(MoraleCampaign.dimensions).joinedload(SurveyDimension.items)])
    place = None
    if campaign is not None and answering.accepting(campaign, local_now().date()) and current_user.person_id:
        place = answering.eligibility(campaign, current_user.person_id)
    if campaign is None or place is None:
        deny(404)
    return campaign, place


@bp.route("/<int:campaign_id>", methods=["GET", "POST"])
@login_required
def answer(campaign_id: int):
    # `_place` held here keeps it in the session's identity map (which holds objects weakly), so
    # submit() finds it there instead of reading it again.
    campaign, _place = _open_for_me(campaign_id)
    posted = request.method == "POST"
    # A submit is not checked first: the participation's unique key refuses a second one anyway.
    if not posted and answering.has_answered(campaign, current_user.person_id):
        return render("survey/already.html", campaign=campaign)
    missing: list = []
    comment_problem = None
    given: Mapping[str, str] = {}
    if posted:
        given = request.form
        try:
            values, comment = answering.clean(campaign, request.form)
            answering.submit(campaign.id, current_user.person_id, values, comment)
        except answering.AnswerProblems as problem:
            if answering.has_answered(campaign, current_user.person_id):  # told so, not shown the form
                return render("survey/already.html", campaign=campaign, status=409)
            missing, comment_problem = problem.missing, problem.comment_problem
        except answering.AlreadyAnswered:
            return render("survey/already.html", campaign=campaign, status=409)
        else:  # campaign_id, not campaign.id: the commits expired the campaign, which would load again
            return redirect(url_for("survey.receipt", campaign_id=campaign_id))
    return _answer_page(campaign, missing=missing, given=given, comment_problem=comment_problem,
                        status=422 if missing or comment_problem else 200)


def _answer_page(campaign: MoraleCampaign, preview: bool = False, status: int = 200, **context):
    """The answer form, for staff or as HR's preview: one template, so the preview is what staff see."""
    return render("survey/answer.html", campaign=campaign, scale=SCALE, preview=preview, status=status, **context)


@bp.get("/<int:campaign_id>/receipt")
@login_required
def receipt(campaign_id: int):
    campaign = db.session.get(MoraleCampaign, campaign_id)
    if campaign is None or current_user.person_id is None or not answering.has_answered(campaign, current_user.person_id):
        deny(404)
    return render("survey/receipt.html", campaign=campaign)


# --- campaigns (HR) ----------------------------------------------------------------------

@bp.get("/campaigns")
@roles_required(*HR, "supervisor")
def campaign_list():
    listed = campaigns.listed()
    counts = campaigns.turnout([campaign.id for campaign in listed]) if current_user.has_role(*HR) else {}
    return render("survey/campaigns.html", campaigns=listed, turnout=counts)


def _campaign_form(campaign: MoraleCampaign | None, posted: bool = True) -> CampaignForm:
    """The campaign's form, filled from the request when it was `posted` to, else from the campaign
    (as under the item editor, whose posts hold none of its fields)."""
    filled_from_campaign = campaign is not None and (request.method == "GET" or not posted)
    form = CampaignForm(formdata=None, obj=campaign) if filled_from_campaign else CampaignForm(obj=campaign)
    form.unit_ids.choices = unit_choices()
    if campaign:
        del form.start_from  # only a new campaign chooses where its items come from
    if campaign and filled_from_campaign:
        form.load(campaign)
    return form


@bp.route("/campaigns/new", methods=["GET", "POST"])
@roles_required(*HR)
def new_campaign():
    form = _campaign_form(None)
    if form.validate_on_submit():
        previous = db.session.scalar(select(MoraleCampaign).where(MoraleCampaign.fiscal_year == form.fiscal_year.data - 1))
        if form.start_from.data == "previous" and previous is None:
            form.start_from.errors.append(_("There is no campaign for the year before."))
        else:
            source = previous if form.start_from.data == "previous" else None
            saved = perform(lambda: campaigns.create(form.to_data(), source), form=form, done=_("Saved."))
            if saved:
                return redirect(url_for("survey.campaign", campaign_id=saved.value.id))
    return render("survey/campaign_form.html", form=form, campaign=None, status=422 if form.errors else 200)


@bp.route("/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@roles_required(*HR)
def campaign(campaign_id: int):
    campaign = db.get_or_404(MoraleCampaign, campaign_id)
    form = _campaign_form(campaign)
    if form.validate_on_submit():
        saved = perform(lambda: campaigns.update(campaign, form.to_data(), form.version.data), form=form, done=_("Saved."))
        if saved:
            return redirect(url_for("survey.campaign", campaign_id=campaign.id))
    return render("survey/campaign_form.html", form=form, campaign=campaign, editing=None,
                  status=422 if form.errors else 200)


ITEM_MOVES = {"up": -1, "down": 1}


def _editor_target(campaign: MoraleCampaign, form: ItemActionForm) -> tuple[SurveyDimension, SurveyItem | None]:
    """The dimension (and item) a button of the item editor names, found only within this campaign."""
    for dimension in campaign.dimensions:
        if form.item_id.data is None and dimension.id == form.dimension_id.data:
            return dimension, None
        for item in dimension.items:
            if item.id == form.item_id.data:
                return dimension, item
    abort(404)


def _change_item(campaign: MoraleCampaign, action: str, form: ItemActionForm, dimension, item) -> Outcome:
    if action in ITEM_MOVES and item is not None:
        return perform(lambda: campaigns.move_item(campaign, dimension, item, ITEM_MOVES[action]), form=form)
    if action == "remove" and item is not None:
        return perform(lambda: campaigns.remove_item(campaign, dimension, item), form=form)
    assert isinstance(form, ItemForm)
    if item is None:
        return perform(lambda: campaigns.add_item(campaign, dimension, form.to_data()), form=form)
    return perform(lambda: campaigns.edit_item(campaign, item, form.to_data()), form=form)


@bp.post("/campaigns/<int:campaign_id>/items")
@roles_required(*HR)
def edit_items(campaign_id: int):
    """Add, save, move or remove one item of a draft campaign; htmx swaps the dimension's list."""
    campaign = db.get_or_404(MoraleCampaign, campaign_id)
    action = request.form.get("action", "save")
    form = ItemActionForm() if action in (*ITEM_MOVES, "remove") else ItemForm()
    dimension, item = _editor_target(campaign, form)
    if item is None and action != "add":  # moving, removing or saving names an item
        abort(404)
    changed = form.validate() and _change_item(campaign, action, form, dimension, item)
    if changed and not wants_fragment():
        return redirect(url_for("survey.campaign", campaign_id=campaign.id) + f"#dimension-{dimension.id}")
    refused_text = not changed and isinstance(form, ItemForm)  # shown back in its own form, with its errors
    editing = (item.id if item is not None else f"new-{dimension.id}", form) if refused_text else None
    if wants_fragment():
        return render("survey/_dimension_items.html", campaign=campaign, dimension=dimension, editing=editing,
                      fragment=True, status=200 if changed else 422)
    return render("survey/campaign_form.html", form=_campaign_form(campaign, posted=False), campaign=campaign,
                  editing=editing, status=422)


@bp.get("/campaigns/<int:campaign_id>/preview")
@roles_required(*HR)
def preview(campaign_id: int):
    """The answer page as staff will see it, for HR to read before opening; it sends nothing."""
    campaign = db.get_or_404(MoraleCampaign, campaign_id)
    return _answer_page(campaign, preview=True, missing=[], given={}, comment_problem=None)


@bp.post("/campaigns/<int:campaign_id>/open")
@roles_required(*HR)
def open_campaign(campaign_id: int):
    campaign = db.get_or_404(MoraleCampaign, campaign_id)
    perform(lambda: campaigns.open_campaign(campaign), done=lambda count: _("The campaign is open to %(n)d people.", n=count))
    return redirect(url_for("survey.campaign", campaign_id=campaign_id))


@bp.post("/campaigns/<int:campaign_id>/close")
@roles_required(*HR)
def close_campaign(campaign_id: int):
    campaign = db.get_or_404(MoraleCampaign, campaign_id)
    perform(lambda: answering.close_campaign(campaign), done=_("The campaign is closed; its results are ready."))
    return redirect(url_for("survey.results_page", campaign_id=campaign_id))


# --- results ------------------------------------------------------------------------------

def _visible_results(campaign_id: int) -> results.CampaignResults:
    """HR sees every group; a supervisor only the groups of the units they supervise."""
    campaign = db.session.get(MoraleCampaign, campaign_id)
    if campaign is None or not campaign.results_visible:
        deny(404)
    if current_user.has_role(*HR):
        return results.campaign_results(campaign)
    labels = set(db.session.scalars(select(Unit.name_th).where(Unit.id.in_(subtree_ids(current_user.supervised_unit_ids)))))
    return results.campaign_results(campaign, labels)


@bp.get("/campaigns/<int:campaign_id>/results")
@roles_required(*HR, "supervisor")
def results_page(campaign_id: int):
    outcome = _visible_results(campaign_id)
    return render("survey/results.html", outcome=outcome, charts=ResultCharts(outcome))


@bp.get("/campaigns/<int:campaign_id>/results.<fmt>")
@roles_required(*HR, "supervisor")
def results_export(campaign_id: int, fmt: str):
    if fmt not in ("xlsx", "pdf"):
        abort(404)
    outcome = _visible_results(campaign_id)
    with write_transaction(db.session):
        record("export.survey_results", outcome.campaign, format=fmt)
    name = f"morale-{outcome.campaign.fiscal_year}.{fmt}"
    if fmt == "pdf":
        body = documents.results_pdf(outcome)
        mimetype = "application/pdf"
    else:
        buffer = io.BytesIO()
        write_xlsx(buffer, exports.HEADER, exports.rows(outcome), title="results")
        body, mimetype = buffer.getvalue(), XLSX_MIMETYPE
    return Response(body, mimetype=mimetype, headers=attachment(name))

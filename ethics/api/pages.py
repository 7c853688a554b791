"""The pages around the API: an account's own tokens (create, shown once, revoke) and the
interactive reference of the OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ethics.api import tokens
from ethics.api.forms import TokenForm
from ethics.core.fiscal import utc_now
from ethics.web.access import login_required
from ethics.web.render import render
from ethics.web.unit_of_work import perform

bp = Blueprint("tokens", __name__)


def _form() -> TokenForm:
    form = TokenForm()
    form.scopes.choices = [SelectChoice(scope, f"{scope}: {tokens.SCOPE_LABELS[scope]}")
                           for scope in tokens.scopes_for(current_user)]
    return form


def _page(form: TokenForm, secret: str | None = None, status: int = 200):
    return render("api/tokens.html", form=form, secret=secret, tokens=tokens.tokens_of(current_user),
                  now=utc_now(), status=status)


@bp.route("/me/tokens", methods=["GET", "POST"])
@login_required
def index():
    """The account's tokens; a new one's secret is in the answer to the POST that made it, only."""
    form = _form()
    if form.validate_on_submit():
        account = current_user._get_current_object()
        issued = perform(lambda: tokens.issue(account, form.name.data, form.scopes.data, form.days.data), form=form)
        if issued:
            return _page(_form_after_issue(), issued.value.secret)
    return _page(form, status=422 if form.errors else 200)


def _form_after_issue() -> TokenForm:
    form = _form()
    form.process(formdata=None)
    return form


@bp.post("/me/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    account = current_user._get_current_object()
    perform(lambda: tokens.revoke(account, token_id), done=lambda token: _("The token %(name)s is revoked.",
                                                                            name=token.name))
    return redirect(url_for("tokens.index"))


docs = Blueprint("api_docs", __name__)


@docs.get("/api/v1/docs")
def reference():
    """Swagger UI from static/vendor (npm's swagger-ui-dist, copied by `make assets`): no CDN."""
    return render_template("api/docs.html")

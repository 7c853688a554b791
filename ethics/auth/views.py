from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from wtforms import SelectChoice

from ethics.audit.services import record
from ethics.auth import services, throttle
from ethics.auth.forms import AcceptInvitationForm, AccountForm, ChangePasswordForm, LoginForm
from ethics.auth.models import ROLE_LABELS, ROLES, Account
from ethics.core.database import write_transaction
from ethics.core.extensions import db
from ethics.core.i18n import LOCALES, keep_locale, readers_moment
from ethics.core.links import absolute_url
from ethics.people.forms import unit_choices
from ethics.people.models import Person
from ethics.web.access import deny, login_required, roles_required, start_session_clock
from ethics.web.render import render
from ethics.web.request_checks import local_path
from ethics.web.unit_of_work import perform

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("home.index"))
    if request.method == "POST":
        address = request.remote_addr or "unknown"
        username = (form.username.data or "").strip()
        cookie = request.cookies.get(throttle.DEVICE_COOKIE)
        device = throttle.known_device(cookie, username)
        limit = throttle.blocked_by(address, username, device)
        if limit:
            with write_transaction(db.session):
                record("auth.login_throttled", username=username[:150], limit=limit)
            abort(429)
        if form.validate():
            signed_in = services.sign_in(username, form.password.data)
            if signed_in is not None:
                account = signed_in.account
                session.clear()
                login_user(account)
                start_session_clock()
                perform(lambda: record("auth.login", account, actor=account))
                if signed_in.password_changed_at:
                    flash(_("Your password was changed on %(when)s. If you did not change it, tell an "
                            "administrator at once.", when=readers_moment(signed_in.password_changed_at)),
                          "info")
                response = redirect(local_path(request.args.get("next")))
                throttle.remember_device(response, account.username, cookie)
                if account.locale in LOCALES:
                    keep_locale(response, account.locale)
                return response
            throttle.count_failure(address, username, device)
            with write_transaction(db.session):
                record("auth.login_failed", username=username[:150])
        flash(_("Wrong username or password."), "error")
        return render("auth/login.html", form=form, status=401)
    return render("auth/login.html", form=form, expired=request.args.get("expired"),
                  signed_out=request.args.get("signed_out"))


@bp.post("/logout")
@login_required
def logout():
    account = current_user._get_current_object()
    perform(lambda: services.sign_out(account))
    logout_user()
    session.clear()
    return redirect(url_for("auth.login", signed_out=1))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        account = current_user._get_current_object()
        if perform(lambda: services.change_password(account, form.old_password.data, form.new_password.data),
                   form=form):
            logout_user()
            session.clear()
            flash(_("Your password was changed. Sign in again with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render("auth/change_password.html", form=form, status=422 if form.errors else 200)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = services.open_invitation(token)
    if invitation is None:
        with write_transaction(db.session):
            services.note_unusable_invitation(token)
        return render("auth/invitation_invalid.html", status=404)
    form = AcceptInvitationForm()
    if form.validate_on_submit() and perform(lambda: services.accept_invitation(token, form.new_password.data),
                                             form=form, done=_("Your password is set. You can sign in now.")):
        return redirect(url_for("auth.login"))
    return render("auth/accept_invitation.html", form=form, account=invitation.account,
                  status=422 if form.errors else 200)


# --- account administration -------------------------------------------------

def _account_form(account: Account | None, stored: bool = False) -> AccountForm:
    """The form as posted, or (`stored`, or a GET) as the account is kept."""
    form = AccountForm(formdata=None, obj=account) if stored else AccountForm(obj=account) if account else AccountForm()
    form.roles.choices = [SelectChoice(role, ROLE_LABELS[role]) for role in services.grantable_roles(current_user)]
    form.supervised_unit_ids.choices = unit_choices()
    if account and (stored or request.method == "GET"):
        form.load(account)
    return form


@bp.get("/accounts")
@roles_required("admin", "hr")
def accounts():
    page = services.search_accounts(request.args.get("q", "")[:100], request.args.get("page", 1, type=int))
    return render("auth/accounts.html", "rows", page=page, q=request.args.get("q", ""), role_labels=ROLE_LABELS)


def _save(account: Account | None):
    person_id = request.args.get("person", type=int) if account is None else account.person_id
    person = db.session.get(Person, person_id) if person_id else None
    if person_id and person is None:
        abort(404)
    form = _account_form(account)
    if request.method == "GET" and account is None and person is not None:
        form.person_id.data = person.id
    if form.validate_on_submit():
        if account is not None and form.version.data != account.version:
            abort(409)
        data = form.to_data(person.id if person else None)
        issuer = current_user._get_current_object()

        def save():
            saved = services.save_account(issuer, account, data)
            return saved, services.issue_sign_in_link(issuer, saved) if account is None else None

        outcome = perform(save, form=form, done=_("The account was saved."))
        if outcome:
            saved, link = outcome.value
            return _after_link(saved, link) if link else redirect(url_for("auth.account", account_id=saved.id))
    return render("auth/account_form.html", form=form, account=account, person=person,
                  status=422 if form.errors else 200)


def _account_page(target: Account, invitation_link: str | None = None):
    return render("auth/account.html", account=target, form=_account_form(target, stored=True), invitation_link=invitation_link,
                  link_delivery=services.link_delivery(current_user, target), role_labels=ROLE_LABELS, roles=ROLES)


def _after_link(target: Account, link: services.SignInLink):
    """Say where a new sign-in link went. A link to show is in this one response only: it is
    kept nowhere (not in the session cookie), so it cannot be shown again."""
    if link.how == "screen" and link.token:
        return _account_page(target, absolute_url("auth.accept_invitation", token=link.token))
    if link.how == "mail":
        flash(_("The sign-in link was mailed to %(email)s.", email=link.to), "success")
    else:
        flash(str(services.LINK_NEEDS_ADMIN), "error")
    return redirect(url_for("auth.account", account_id=target.id))


@bp.route("/accounts/new", methods=["GET", "POST"])
@roles_required("admin", "hr")
def new_account():
    return _save(None)


@bp.route("/accounts/<int:account_id>", methods=["GET", "POST"])
@roles_required("admin", "hr")
def account(account_id: int):
    target = db.get_or_404(Account, account_id)
    if request.method == "GET":
        return _account_page(target)
    return _save(target)


@bp.post("/accounts/<int:account_id>/invitation")
@roles_required("admin", "hr")
def reinvite(account_id: int):
    target = db.get_or_404(Account, account_id)
    if "admin" in target.roles and not current_user.has_role("admin"):
        deny(403)
    issuer = current_user._get_current_object()
    return _after_link(target, perform(lambda: services.issue_sign_in_link(issuer, target)).value)

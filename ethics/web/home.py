"""The start page and the language switch."""
from __future__ import annotations

from flask import Blueprint, Flask, redirect, request, url_for
from flask_login import current_user

from ethics.core.i18n import LOCALE_COOKIE, LOCALES
from ethics.web.render import render
from ethics.web.request_checks import local_path

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render("home/index.html")


@bp.post("/language")
def language():
    """Remember the chosen language for a year; it needs no account, so the login page has it."""
    chosen = request.form.get("lang", "th")
    response = redirect(local_path(request.form.get("next")))
    if chosen in LOCALES:
        response.set_cookie(LOCALE_COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response


@bp.get("/healthz")
def health():
    return {"status": "ok"}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

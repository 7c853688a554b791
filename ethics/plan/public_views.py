"""The public transparency page (/transparency): no sign-in, the same for every visitor, so browsers
and proxies may keep it (Cache-Control, ETag) and the server keeps its HTML and files
while the data is unchanged. It writes nothing to the session, so it sets no cookie; its language is
in its address (`?lang=en`), not in a cookie, so that one address always shows the same page."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import force_locale

from ethics.core.fiscal import local_now
from ethics.core.i18n import LOCALES
from ethics.organisation.services import organisation
from ethics.plan import public
from ethics.web.render import attachment

bp = Blueprint("transparency", __name__, url_prefix="/transparency")
FORMATS = ("pdf", "xlsx")


def _open() -> public.Settings:
    """Everything public is 404 while the administrator keeps the page closed."""
    chosen = public.settings()
    if not chosen.open:
        abort(404)
    return chosen


def _locale() -> str:
    chosen = request.args.get("lang", "th")
    if chosen not in LOCALES:
        abort(404)
    return chosen


def _answer(what: tuple, make, headers: dict | None = None) -> Response:
    """A kept body with its validators; 304 when the browser's copy is still the current one."""
    today = local_now().date()
    tag = public.etag(what, today)
    if request.if_none_match.contains_weak(tag):
        response = current_app.response_class(status=304)
    else:
        body, mimetype = public.kept(what, today, make)
        response = current_app.response_class(body, mimetype=mimetype, headers=headers)
    response.set_etag(tag)
    # A signed-in browser's answer may carry its session cookie (the idle clock): never for a shared cache.
    if current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    response.cache_control.max_age = public.MAX_AGE
    return response


@bp.get("")
def index():
    """The newest published year."""
    return _page(None)


@bp.get("/<year:fiscal_year>")
def year(fiscal_year: int):
    return _page(fiscal_year)


def _page(fiscal_year: int | None) -> Response:
    chosen, locale = _open(), _locale()
    years = public.published_years(chosen, local_now().date())
    if fiscal_year is not None and fiscal_year not in years:
        abort(404)
    shown = fiscal_year or (years[0] if years else None)

    def make() -> tuple[bytes, str]:
        with force_locale(locale):
            html = render_template("plan/public.html", year=public.public_year(shown, chosen) if shown else None,
                                   years=years, agency=organisation().name(locale), today=local_now().date(),
                                   lang={} if locale == "th" else {"lang": locale})
        return html.encode(), "text/html"

    return _answer(("page", request.endpoint, shown, locale), make)  # its links name its own address


@bp.get("/<year:fiscal_year>/report.<fmt>")
def report_file(fiscal_year: int, fmt: str):
    """The year's report, the same rows as the page; an official Thai document in any language."""
    chosen = _open()
    if fmt not in FORMATS or fiscal_year not in public.published_years(chosen, local_now().date()):
        abort(404)

    def make() -> tuple[bytes, str]:
        with force_locale("th"):
            return public.report_files(public.public_year(fiscal_year, chosen), fmt)

    return _answer(("report", fiscal_year, fmt), make, attachment(f"report-{fiscal_year}.{fmt}"))

"""What every page shows of the agency: its name and logo in the header, its contact line in the
footer, with the application's name until an administrator sets them. One small query per page
(never the logo's bytes), so that a page runs as many queries the first time as the next."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, abort, g, has_request_context, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ethics.core.extensions import db
from ethics.core.i18n import NamedInTwoLanguages
from ethics.organisation.models import ORGANISATION_ID, Organisation

LOGO_MAX_AGE = 7 * 24 * 3600  # the logo's address carries the settings' version, so a new logo is a new address


@dataclass(frozen=True)
class Masthead(NamedInTwoLanguages):
    name_th: str
    name_en: str
    contact: str
    logo_version: int | None  # the settings' version while they hold a logo, else None


def masthead() -> Masthead:
    """The agency as the header and footer show it, read once per request; blank (the application's
    name shows) when the database cannot be read, so that an error page still renders."""
    if has_request_context() and "masthead" in g:
        return g.masthead
    found = _read()
    if has_request_context():
        g.masthead = found
    return found


def _read() -> Masthead:
    try:
        row = db.session.execute(select(Organisation.name_th, Organisation.name_en, Organisation.contact,
                                        Organisation.version, Organisation.logo.is_not(None).label("has_logo"))
                                 .where(Organisation.id == ORGANISATION_ID)).first()
    except SQLAlchemyError:
        db.session.rollback()
        row = None
    if row is None:
        return Masthead("", "", "", None)
    return Masthead(row.name_th, row.name_en, row.contact, row.version if row.has_logo else None)


def logo_response() -> Response:
    """The stored logo (a PNG re-encoded on upload) for the page header; public, like the documents
    that print it, and kept by browsers while its address names the current settings' version."""
    row = db.session.execute(select(Organisation.logo, Organisation.version)
                             .where(Organisation.id == ORGANISATION_ID)).first()
    if row is None or not row.logo:
        abort(404)
    response = Response(row.logo, mimetype="image/png")
    fresh = request.args.get("v") == str(row.version)
    response.headers["Cache-Control"] = f"public, max-age={LOGO_MAX_AGE}" if fresh else "no-cache"
    return response


def provide(app: Flask) -> None:
    app.jinja_env.globals["masthead"] = masthead

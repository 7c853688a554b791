"""What accounts put on the start page: the roles' names it is grouped by, and the administrator's
count of accounts."""
from __future__ import annotations

from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ethics.auth import services
from ethics.auth.models import ROLE_LABELS
from ethics.core.extensions import db
from ethics.web.home import WaitingItem, name_roles, register


def accounts(_account, _today: date) -> list[WaitingItem]:
    count = db.session.scalar(select(func.count()).select_from(services.accounts_matching("").subquery())) or 0
    return [WaitingItem(_("Accounts"), url_for("auth.accounts"), count)]


def provide(app: Flask) -> None:
    name_roles(app, ROLE_LABELS)
    register(app, "admin", accounts, _l("the accounts"))

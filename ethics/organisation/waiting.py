"""What the organisation puts on the administrator's start page: a link to its settings."""
from __future__ import annotations

from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ethics.web.home import WaitingItem, register


def settings(_account, _today: date) -> list[WaitingItem]:
    return [WaitingItem(_("Organisation"), url_for("organisation.settings"),
                        detail=_("The agency's name, address and logo on every document, and who signs them."))]


def provide(app: Flask) -> None:
    register(app, "admin", settings, _l("the organisation's settings"))

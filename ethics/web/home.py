"""The start page: what waits for the signed-in person, grouped by role; and the language switch.

The web layer knows no domain. Each domain says in its own waiting.py what it puts on this page
for which role (`register`, from its init_app), asking the same services as the pages it links
to; the page asks every provider of each role the account holds.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Blueprint, Flask, current_app, redirect, request, url_for
from flask_login import current_user

from ethics.core.fiscal import local_now
from ethics.core.i18n import LOCALES, keep_locale, locale_chosen
from ethics.web.render import render
from ethics.web.request_checks import local_path
from ethics.web.unit_of_work import perform

bp = Blueprint("home", __name__)
EXTENSION = "ethics.home.waiting"
ROLE_ORDER = ("employee", "supervisor", "committee", "hr", "admin")  # one's own things first


@dataclass(frozen=True)
class WaitingItem:
    """One thing waiting: a link, with how many when it is a number of things."""

    label: Any  # text or a lazy translation
    url: str
    count: int | None = None
    detail: Any = ""  # what else to know at a glance: "3 of 7 scored", a deadline


Provider = Callable[[Any, date], Iterable[WaitingItem]]  # (account, today) -> items


@dataclass(frozen=True)
class _Source:
    role: str
    items: Provider
    shows: Any  # what it lists, for the empty state


@dataclass
class Group:
    """One role's part of the page: its items, or (when none) what would appear there."""

    role: str
    label: Any
    items: list[WaitingItem] = field(default_factory=list)
    shows: list[Any] = field(default_factory=list)


@dataclass
class _Registry:
    labels: dict[str, Any] = field(default_factory=dict)
    sources: list[_Source] = field(default_factory=list)


def _registry(app: Flask) -> _Registry:
    return app.extensions.setdefault(EXTENSION, _Registry())


def name_roles(app: Flask, labels: Mapping[str, Any]) -> None:
    """The roles' names, from the domain that keeps them (accounts)."""
    _registry(app).labels.update(labels)


def register(app: Flask, role: str, items: Provider, shows: Any) -> None:
    """Put `items(account, today)` on the start page of accounts holding `role`; `shows` says in a
    few words what it lists, for when it has nothing."""
    _registry(app).sources.append(_Source(role, items, shows))


def waiting_for(account, today: date) -> list[Group]:
    """A group per role of the account that some domain provides for, in ROLE_ORDER."""
    registry = _registry(current_app)
    groups = []
    for role in ROLE_ORDER:
        sources = [source for source in registry.sources if source.role == role]
        if sources and account.has_role(role):
            groups.append(Group(role, registry.labels.get(role, role),
                                [item for source in sources for item in source.items(account, today)],
                                [source.shows for source in sources]))
    return groups


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render("home/index.html", groups=waiting_for(current_user, local_now().date()))


@bp.post("/language")
def language():
    """Remember the chosen language in this browser and, for whoever is signed in, on their
    account, so their next sign-in on any browser is in it."""
    chosen = request.form.get("lang", "th")
    response = redirect(local_path(request.form.get("next")))
    if chosen in LOCALES:
        keep_locale(response, chosen)
        if current_user.is_authenticated:
            account = current_user._get_current_object()
            perform(lambda: locale_chosen.send(account, locale=chosen))
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

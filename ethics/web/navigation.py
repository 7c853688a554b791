"""The top navigation: which of its links an account sees, and which one the page belongs to
(marked aria-current). The links are listed in templates/base.html, which knows the domains'
endpoints; this module knows them only as strings."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask, request
from flask_login import current_user


@dataclass(frozen=True)
class NavLink:
    """A link to `endpoint`, shown to accounts holding one of `roles` (all when empty). Its section
    is the endpoints and blueprints it `owns`; `stands_for` names those it marks when no link
    shown owns them (My trainings for a session page, when Training sessions is not shown)."""

    endpoint: str
    label: Any
    roles: Sequence[str] = ()
    owns: Sequence[str] = ()
    stands_for: Sequence[str] = ()
    group: str = "main"


def current_link(links: Sequence[NavLink], endpoint: str | None) -> NavLink | None:
    """The link of the page at `endpoint`: the one owning the endpoint, else its blueprint; else
    the one standing for the endpoint, else for its blueprint."""
    if not endpoint:
        return None
    blueprint = endpoint.partition(".")[0]
    for name, claims in ((endpoint, "owns"), (blueprint, "owns"), (endpoint, "stands_for"), (blueprint, "stands_for")):
        for link in links:
            if name in getattr(link, claims):
                return link
    return None


@dataclass(frozen=True)
class Navigation:
    links: list[NavLink]
    current: NavLink | None

    def group(self, name: str) -> list[NavLink]:
        return [link for link in self.links if link.group == name]


def navigation(*links: NavLink) -> Navigation:
    """The links the signed-in account may see, and the current page's among them."""
    shown = [link for link in links if current_user.is_authenticated and (not link.roles or current_user.has_role(*link.roles))]
    return Navigation(shown, current_link(shown, request.endpoint))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(nav_link=NavLink, navigation=navigation)

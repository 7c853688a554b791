"""A searchable person picker, shared by any form that chooses one person (templates/_person_picker.html).

A form names a source: the rule of who may be chosen there (recognition's "nominable" is the
people a nominator may nominate). The picker lists that source's people who match the words
typed, by name, position or unit, each shown with their position and unit, never more than a
page of them: so a roster of thousands stays a short list, and two people who share a name are
told apart.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, request
from flask_login import current_user
from sqlalchemy import Select, or_
from sqlalchemy.orm import joinedload

from ethics.core.extensions import db
from ethics.core.text import like_pattern
from ethics.people.models import Person, Unit
from ethics.web.access import deny, login_required
from ethics.web.render import render

bp = Blueprint("person_picker", __name__, url_prefix="/people/picker")
SHOWN = 25  # at most this many people listed at once; more asks for a narrower search
Source = Callable[[object], Select]


def register_source(app: Flask, name: str, people: Source) -> None:
    """Let forms pick from `people(account)`: a query of the people the account may choose. The
    first domain to name a source brings the search endpoint with it."""
    if bp.name not in app.blueprints:
        app.register_blueprint(bp)
    app.extensions.setdefault("person_picker", {})[name] = people


def _source(name: str) -> Source | None:
    return current_app.extensions.get("person_picker", {}).get(name)


@dataclass
class Choices:
    """What the picker shows: the people matching the search (at most SHOWN), and whether more matched."""

    people: list[Person]
    more: bool
    query: str


def choices(people: Select, text: str) -> Choices:
    """The people of `people` whose name, position or unit holds every word typed, by name, in two
    queries at most; with no words, the first of them by name."""
    query = people.join(Person.unit)
    for word in map(like_pattern, text.split()):
        query = query.where(or_(*(column.ilike(word, escape="\\") for column in (
            Person.first_name, Person.last_name, Person.position, Unit.name_th, Unit.name_en))))
    found = list(db.session.scalars(query.options(joinedload(Person.unit))
                                    .order_by(Person.first_name, Person.last_name, Person.id).limit(SHOWN + 1)))
    return Choices(found[:SHOWN], len(found) > SHOWN, text.strip())


@bp.get("/")
@login_required
def search():
    """The matching people as the picker's list of choices, for htmx to swap in as one types."""
    people = _source(request.args.get("source", ""))
    if people is None:
        deny(404)
    found = choices(people(current_user), request.args.get("q", "")[:100])
    return render("_person_picker.html", found=found, name=request.args.get("name", "person_id"), chosen=None)

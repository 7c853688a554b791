"""One unit of work per change a view asks for: the service runs, then the transaction commits
and the user is told, or it rolls back and the user sees why. No view commits or rolls back."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from flask import flash

from ethics.core.extensions import db
from ethics.core.refusals import Refusal

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    """What a change came to: its result when done (truthy), or the refusal shown (falsy)."""

    result: T | None = None
    refusal: Refusal | None = None

    def __bool__(self) -> bool:
        return self.refusal is None

    @property
    def value(self) -> T:
        """The change's result; asking a refused outcome for it raises the refusal again."""
        if self.refusal is not None:
            raise self.refusal
        return cast(T, self.result)


def perform(change: Callable[[], T], *, done=None, form=None) -> Outcome[T]:
    """Run `change` and commit, flashing `done` (a text, or a function of the result; None says
    nothing). A refusal of a value (422) rolls back and is shown next to the form's field it
    names, or flashed; any other (404 not there, 409 moved on) ends the request with its status."""
    try:
        value = change()
    except Refusal as refusal:
        db.session.rollback()
        if refusal.status != 422:
            raise
        field = getattr(form, refusal.field, None) if form is not None and refusal.field else None
        if field is not None:
            field.errors.append(str(refusal.message))
        else:
            flash(str(refusal.message), refusal.category)
        return Outcome(refusal=refusal)
    db.session.commit()
    if done is not None:
        flash(done(value) if callable(done) else done, "success")
    return Outcome(result=value)

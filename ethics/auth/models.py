from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ethics.core.extensions import Model
from ethics.people.models import Person, Unit

ROLES = ("admin", "hr", "supervisor", "committee", "employee")
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "hr": _l("HR staff"),
    "supervisor": _l("Supervisor"),
    "committee": _l("Committee member"),
    "employee": _l("Employee"),
}


class Account(Model):
    """A sign-in identity with roles; usually linked to the person it belongs to."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # When the password was last set or changed (UTC): the owner is told at their next sign-in.
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login cookie: bumping it ends every session of the account.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The language its owner last chose ("th", "en"); None until they choose. Applied at sign-in.
    locale: Mapped[str | None] = mapped_column(String(8))

    # The backref lets people pages show the account without the people domain importing auth.
    person: Mapped[Person | None] = relationship(backref=backref("account", uselist=False))
    role_rows: Mapped[list[AccountRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    supervised: Mapped[list[SupervisedUnit]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    last_sign_in: Mapped[SignIn | None] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def supervised_unit_ids(self) -> list[int]:
        return [row.unit_id for row in self.supervised]


class SignIn(Model):
    """When an account last signed in. Written at every sign-in, so it is a data domain of its
    own (ethics/core/data_versions.py): a sign-in does not renew every kept page and account, nor bump the
    account's edit version under an administrator editing it."""

    __tablename__ = "account_sign_in"
    __data_domain__ = "sign_in"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)


class AccountRole(Model):
    __tablename__ = "account_role"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class SupervisedUnit(Model):
    """A unit (with its sub-units) a supervisor account may see."""

    __tablename__ = "supervised_unit"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)

    unit: Mapped[Unit] = relationship()


DELIVERIES = ("mail", "screen")  # to the person's email, or shown once to the account that issued it


class Invitation(Model):
    """A single-use link to set a password (a new account's first one, or a reset); only the
    token's hash is stored. Issuing one leaves the current password working until it is used."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)  # also set when a newer link replaces it
    delivery: Mapped[str] = mapped_column(String(16), default="screen", server_default="screen")
    # Who issued it (and saw it, when it was shown on screen); None for links from before this was kept.
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))

    account: Mapped[Account] = relationship(foreign_keys=[account_id])
    issued_by: Mapped[Account | None] = relationship(foreign_keys=[issued_by_id])

"""The organisation's settings and signatories, and who signs which document."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ethics.audit.services import changes, record
from ethics.core.extensions import db
from ethics.core.refusals import NotFound, Refusal, StaleEdit
from ethics.organisation.images import accepted_png, data_uri
from ethics.organisation.models import ORGANISATION_ID, PUBLIC_VALUES, Organisation, Signatory


class SignatoryInUse(Refusal):
    """A signatory still named by a setting, a unit or a session cannot be removed."""


# --- the organisation ------------------------------------------------------------------------

def organisation() -> Organisation:
    """The saved settings, or blank ones (not saved) before an administrator fills them."""
    return db.session.get(Organisation, ORGANISATION_ID) or Organisation(
        id=ORGANISATION_ID, name_th="", name_en="", address="", contact="", public_page=False, public_values="live",
        version=0)


@dataclass
class OrganisationData:
    name_th: str
    name_en: str
    address: str
    contact: str
    honour_signatory_id: int | None
    report_certifier_id: int | None
    public_page: bool = False
    public_values: str = "live"


@dataclass
class ImageChange:
    """An upload to store, or the stored image removed; neither keeps what is there."""

    upload: bytes | None = None
    remove: bool = False


def _apply_image(target, attribute: str, change: ImageChange) -> dict:
    """Store or drop the image; what the audit log keeps of it is its fingerprint, not its bytes."""
    if change.upload is not None:
        png = accepted_png(change.upload, f"{attribute}_file")
        setattr(target, attribute, png)
        return {attribute: hashlib.sha256(png).hexdigest()[:16]}
    if change.remove and getattr(target, attribute) is not None:
        setattr(target, attribute, None)
        return {attribute: None}
    return {}


AUDITED = {Organisation: ("name_th", "name_en", "address", "contact", "honour_signatory_id", "report_certifier_id",
                          "public_page", "public_values"),
           Signatory: ("name", "position")}


def _snapshot(record_) -> dict:
    return {name: getattr(record_, name) for name in AUDITED[type(record_)]}


def save_organisation(data: OrganisationData, logo: ImageChange, expected_version: int | None) -> Organisation:
    current = db.session.get(Organisation, ORGANISATION_ID)
    if current is not None and expected_version is not None and current.version != expected_version:
        raise StaleEdit()
    for field in ("honour_signatory_id", "report_certifier_id"):
        check_signatory(getattr(data, field), field)
    if data.public_values not in PUBLIC_VALUES:
        raise Refusal(_l("Choose what the public page shows from the list."), field="public_values")
    if current is None:
        current = Organisation(id=ORGANISATION_ID)
        db.session.add(current)
    before = _snapshot(current) if current.version else {}
    for name, value in asdict(data).items():
        setattr(current, name, value)
    image = _apply_image(current, "logo", logo)
    db.session.flush()
    old, new = changes(before, _snapshot(current))
    record("organisation.update", current, before=old, after={**new, **image})
    return current


# --- signatories -----------------------------------------------------------------------------

def signatories() -> list[Signatory]:
    return list(db.session.scalars(select(Signatory).order_by(Signatory.name)))


def check_signatory(signatory_id: int | None, field: str = "signatory_id") -> None:
    """A form's choice of signatory names one that exists (or nobody)."""
    if signatory_id is not None and db.session.get(Signatory, signatory_id) is None:
        raise Refusal(_l("Choose a signatory from the list."), field=field)


def signatory(signatory_id: int) -> Signatory:
    found = db.session.get(Signatory, signatory_id)
    if found is None:
        raise NotFound()
    return found


@dataclass
class SignatoryData:
    name: str
    position: str


def save_signatory(existing: Signatory | None, data: SignatoryData, signature: ImageChange,
                   expected_version: int | None = None) -> Signatory:
    if existing is not None and expected_version is not None and existing.version != expected_version:
        raise StaleEdit()
    target = existing or Signatory()
    before = {} if existing is None else _snapshot(existing)
    target.name, target.position = data.name, data.position
    db.session.add(target)
    image = _apply_image(target, "signature", signature)
    db.session.flush()
    old, new = changes(before, _snapshot(target))
    record("signatory.create" if existing is None else "signatory.update", target, before=old, after={**new, **image})
    return target


def _references(signatory_id: int) -> int:
    """Rows of any table that name the signatory (settings, units, sessions), found from the
    foreign keys themselves so that a table added later is counted too."""
    total = 0
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == Signatory.__tablename__:
                total += db.session.scalar(select(func.count()).select_from(table).where(key.parent == signatory_id)) or 0
    return total


def remove_signatory(signatory_id: int) -> Signatory:
    target = signatory(signatory_id)
    if _references(signatory_id):
        raise SignatoryInUse(_l("%(name)s still signs for the organisation, a unit or a session: choose someone "
                                "else there first.", name=target.name))
    record("signatory.remove", target, before=_snapshot(target))
    db.session.delete(target)
    return target


# --- what documents print --------------------------------------------------------------------

@dataclass(frozen=True)
class SignatureBlock:
    """What is printed under a document: a signature line (with the image when there is one), the
    name in brackets and the position; `role` (ผู้จัดทำ, ผู้รับรอง ...) follows the line when set."""

    name: str
    position: str
    signature: str | None = None  # a data: URI
    role: str = ""

    @classmethod
    def of(cls, signer: Signatory | None, role: str = "") -> SignatureBlock:
        """The signatory's block, or a blank one to be filled by hand when nobody is chosen."""
        if signer is None:
            return cls("", "", None, role)
        return cls(signer.name, signer.position, data_uri(signer.signature), role)

    @classmethod
    def of_person(cls, person, role: str = "") -> SignatureBlock:
        """A person of the roster signing in their own hand (who prepared a document, a committee member)."""
        if person is None:
            return cls("", "", None, role)
        return cls(person.full_name, person.position_title, None, role)


@dataclass(frozen=True)
class Letterhead:
    """The top of a document: the agency's logo above its name, then its address."""

    name: str
    address: str
    contact: str
    logo: str | None  # a data: URI


def letterhead() -> Letterhead:
    settings = organisation()
    return Letterhead(settings.name_th, settings.address, settings.contact, data_uri(settings.logo))


def unit_head(unit) -> Signatory | None:
    """Who signs for a unit: its own head, else the nearest parent's."""
    while unit is not None:
        if unit.signatory is not None:
            return unit.signatory
        unit = unit.parent
    return None

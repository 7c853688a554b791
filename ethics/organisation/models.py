"""One organisation row and its signatories; images are kept in the database so that every app
process and every backup has them."""
from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ethics.core.extensions import Model
from ethics.core.i18n import NamedInTwoLanguages

ORGANISATION_ID = 1  # there is one issuing agency per installation
PUBLIC_VALUES = ("live", "snapshot")  # what the public transparency page shows: live values, or the latest locked report


class Signatory(Model):
    """Someone who signs documents: the name and position printed under "ลงชื่อ", and an optional
    signature image printed on the line."""

    __tablename__ = "signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[str] = mapped_column(String(255), default="")
    signature: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # PNG, re-encoded on upload
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Organisation(NamedInTwoLanguages, Model):
    """The agency named at the top of every document, and who signs what for it."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True, default=ORGANISATION_ID)
    name_th: Mapped[str] = mapped_column(String(255), default="")
    name_en: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(255), default="")  # telephone, e-mail: one line
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # PNG, re-encoded on upload
    honour_signatory_id: Mapped[int | None] = mapped_column(ForeignKey("signatory.id"))
    report_certifier_id: Mapped[int | None] = mapped_column(ForeignKey("signatory.id"))
    # The public transparency page (/transparency): closed until an administrator opens it.
    public_page: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    public_values: Mapped[str] = mapped_column(String(16), default="live", server_default="live")
    version: Mapped[int] = mapped_column(Integer, default=1)

    honour_signatory: Mapped[Signatory | None] = relationship(foreign_keys=[honour_signatory_id])
    report_certifier: Mapped[Signatory | None] = relationship(foreign_keys=[report_certifier_id])

    __mapper_args__ = {"version_id_col": version}

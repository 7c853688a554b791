from __future__ import annotations

from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ethics.core.extensions import Model
from ethics.core.i18n import NamedInTwoLanguages
from ethics.organisation.models import Signatory
from ethics.people.citizen_id import mask


class PersonnelType(StrEnum):
    CIVIL_SERVANT = "civil_servant"
    PERMANENT_EMPLOYEE = "permanent_employee"
    TEMPORARY_EMPLOYEE = "temporary_employee"
    GOVERNMENT_EMPLOYEE = "government_employee"

    @property
    def label(self):
        return PERSONNEL_TYPE_LABELS[self]


PERSONNEL_TYPE_LABELS = {
    PersonnelType.CIVIL_SERVANT: _l("Civil servant"),
    PersonnelType.PERMANENT_EMPLOYEE: _l("Permanent employee"),
    PersonnelType.TEMPORARY_EMPLOYEE: _l("Temporary employee"),
    PersonnelType.GOVERNMENT_EMPLOYEE: _l("Government employee"),
}

def in_type_order(kinds) -> list[str]:
    """Personnel type codes in the types' own order, each once, unknown ones left out."""
    return [kind.value for kind in PersonnelType if kind in kinds]


# The labels used in Thai spreadsheets; imports accept them as well as the codes.
PERSONNEL_TYPE_THAI = {
    "ข้าราชการ": PersonnelType.CIVIL_SERVANT,
    "ลูกจ้างประจำ": PersonnelType.PERMANENT_EMPLOYEE,
    "ลูกจ้างชั่วคราว": PersonnelType.TEMPORARY_EMPLOYEE,
    "พนักงานราชการ": PersonnelType.GOVERNMENT_EMPLOYEE,
}


class Unit(NamedInTwoLanguages, Model):
    """An org unit: provincial office, agency, group or district office, in one tree."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    signatory_id: Mapped[int | None] = mapped_column(ForeignKey("signatory.id"))  # its head, who signs for it
    version: Mapped[int] = mapped_column(Integer, default=1)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    signatory: Mapped[Signatory | None] = relationship()
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.code")

    __mapper_args__ = {"version_id_col": version}


class Person(Model):
    """A member of staff: the roster row HR keeps, matched by citizen ID on import."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[str] = mapped_column(String(13), unique=True)
    title: Mapped[str] = mapped_column(String(64), default="")
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120))
    personnel_type: Mapped[PersonnelType] = mapped_column(String(32), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    position: Mapped[str] = mapped_column(String(255), default="")
    position_level: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    service_start_date: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship()
    supervisor: Mapped[Person | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_person_names", "first_name", "last_name"),)

    @property
    def full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}".strip()

    @property
    def position_title(self) -> str:
        """The position as documents print it under a name: "ปลัดอำเภอ ชำนาญการ"."""
        return f"{self.position} {self.position_level}".strip()

    @property
    def masked_citizen_id(self) -> str:
        return mask(self.citizen_id)

    @property
    def personnel_type_label(self):
        return PersonnelType(self.personnel_type).label


class DisciplinaryFlag(Model):
    """An open disciplinary matter HR records; while open, the person is not eligible for awards."""

    __tablename__ = "disciplinary_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

"""`flask seed-demo`: a small province with real-looking staff, for trying the product."""
from __future__ import annotations

import random
from datetime import date

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from ethics.auth.models import SupervisedUnit
from ethics.auth.services import AuthError, create_account_with_password, find_account
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of, local_now
from ethics.demo import organisation as organisation_demo
from ethics.demo import plan as plan_demo
from ethics.demo import recognition as recognition_demo
from ethics.demo import survey as survey_demo
from ethics.demo import training as training_demo
from ethics.mail import services as mail
from ethics.people.citizen_id import check_digit
from ethics.people.models import Person, PersonnelType, Unit

DEMO_PASSWORD = "ethics-demo"

UNITS = [
    ("RYG", "สำนักงานจังหวัดระยอง (สนจ.ระยอง)", "Rayong Provincial Office", None),
    ("RYG-HR", "กลุ่มบริหารทรัพยากรบุคคล", "Human Resources Group", "RYG"),
    ("RYG-DEV", "ศูนย์พัฒนาข้าราชการจังหวัดระยอง", "Rayong Civil Servant Development Centre", "RYG"),
    ("RYG-AUDIT", "ตรวจสอบภายในจังหวัดระยอง", "Rayong Internal Audit", "RYG"),
    ("RYG-DAMRONG", "ศูนย์ดำรงธรรมจังหวัดระยอง", "Rayong Damrongdhama Centre", "RYG"),
    ("RYG-STRAT", "กลุ่มงานยุทธศาสตร์และข้อมูลเพื่อการพัฒนาจังหวัด", "Provincial Strategy and Information Group", "RYG"),
    ("DIST-MUANG", "ที่ทำการปกครองอำเภอเมืองระยอง", "Mueang Rayong District Office", "RYG"),
    ("DIST-BANCHANG", "ที่ทำการปกครองอำเภอบ้านฉาง", "Ban Chang District Office", "RYG"),
    ("DIST-KLAENG", "ที่ทำการปกครองอำเภอแกลง", "Klaeng District Office", "RYG"),
    ("DIST-WANGCHAN", "ที่ทำการปกครองอำเภอวังจันทร์", "Wang Chan District Office", "RYG"),
    ("DIST-BANKHAI", "ที่ทำการปกครองอำเภอบ้านค่าย", "Ban Khai District Office", "RYG"),
    ("DIST-PLUAKDAENG", "ที่ทำการปกครองอำเภอปลวกแดง", "Pluak Daeng District Office", "RYG"),
    ("DIST-KHAOCHAMAO", "ที่ทำการปกครองอำเภอเขาชะเมา", "Khao Chamao District Office", "RYG"),
    ("DIST-NIKHOM", "ที่ทำการปกครองอำเภอนิคมพัฒนา", "Nikhom Phatthana District Office", "RYG"),
]
MALE_NAMES = ["สมชาย", "วิชัย", "ประเสริฐ", "อนันต์", "ธนากร", "สุรชัย", "เกียรติศักดิ์", "ชัยวัฒน์", "ณัฐพล", "อภิชาติ"]
FEMALE_NAMES = ["สมหญิง", "มาลี", "สุนีย์", "กาญจนา", "พรทิพย์", "วันเพ็ญ", "นภาพร", "ปวีณา", "รัตนา", "ศิริพร"]
LAST_NAMES = ["ใจดี", "รักษ์ไทย", "ศรีสุข", "บุญมา", "ทองคำ", "แสงทอง", "มั่นคง", "สุขสวัสดิ์", "วงศ์ใหญ่", "เพชรรัตน์",
              "ชาวระยอง", "พูลสวัสดิ์", "กิตติกุล", "อินทรสุวรรณ", "จันทร์เพ็ญ"]
POSITIONS = {
    PersonnelType.CIVIL_SERVANT: [("นักทรัพยากรบุคคล", "ชำนาญการ"), ("นักวิเคราะห์นโยบายและแผน", "ปฏิบัติการ"),
                                  ("นักวิชาการตรวจสอบภายใน", "ชำนาญการพิเศษ"), ("ปลัดอำเภอ", "ชำนาญการ"),
                                  ("เจ้าพนักงานธุรการ", "ชำนาญงาน")],
    PersonnelType.PERMANENT_EMPLOYEE: [("พนักงานขับรถยนต์", "ส 2"), ("พนักงานธุรการ", "ส 3")],
    PersonnelType.TEMPORARY_EMPLOYEE: [("พนักงานพิมพ์ดีด", ""), ("นักการภารโรง", "")],
    PersonnelType.GOVERNMENT_EMPLOYEE: [("นักจัดการงานทั่วไป", ""), ("เจ้าพนักงานธุรการ", "")],
}
TYPE_WEIGHTS = [(PersonnelType.CIVIL_SERVANT, 60), (PersonnelType.PERMANENT_EMPLOYEE, 15),
                (PersonnelType.TEMPORARY_EMPLOYEE, 10), (PersonnelType.GOVERNMENT_EMPLOYEE, 15)]
ACCOUNTS = [("admin", {"admin"}), ("hr", {"hr", "employee"}), ("supervisor", {"supervisor", "employee"}),
            ("committee", {"committee", "employee"}), ("committee2", {"committee", "employee"}),
            ("employee", {"employee"})]


def make_citizen_id(rng: random.Random) -> str:
    first = str(rng.choice("1358")) + "".join(str(rng.randint(0, 9)) for _ in range(11))
    return first + str(check_digit(first))


def seed_people(rng: random.Random, count: int) -> list[Person]:
    units = {unit.code: unit for unit in db.session.scalars(select(Unit))}
    heads: dict[str, Person] = {}
    people, used = [], set()
    kinds, weights = zip(*TYPE_WEIGHTS, strict=False)
    for index in range(count):
        unit = units[UNITS[index % len(UNITS)][0]]
        kind = PersonnelType.CIVIL_SERVANT if unit.code not in heads else rng.choices(kinds, weights)[0]
        position, level = rng.choice(POSITIONS[kind])
        cid = make_citizen_id(rng)
        while cid in used:
            cid = make_citizen_id(rng)
        used.add(cid)
        female = rng.random() < 0.5
        person = Person(
            citizen_id=cid, title="นาง" if female else "นาย", first_name=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
            last_name=rng.choice(LAST_NAMES), personnel_type=kind.value, unit=unit, position=position,
            position_level=level, email=f"staff{index + 1:03d}@rayong.example.go.th",
            supervisor=heads.get(unit.code) or heads.get("RYG"),
            service_start_date=date(rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28)), active=True,
        )
        heads.setdefault(unit.code, person)
        db.session.add(person)
        people.append(person)
    db.session.flush()
    return people


def seed_accounts(people: list[Person]) -> Person:
    """The five demo accounts (the supervisor sees the development centre); returns the employee."""
    by_unit: dict[str, list[Person]] = {}
    for person in people:
        by_unit.setdefault(person.unit.code, []).append(person)
    linked = {"hr": by_unit["RYG-HR"][1], "supervisor": by_unit["RYG-DEV"][0],
              "committee": by_unit["RYG-AUDIT"][1], "committee2": by_unit["RYG-HR"][2],
              "employee": by_unit["RYG-DEV"][2]}
    for username, roles in ACCOUNTS:
        member = linked.get(username)
        account = create_account_with_password(username, roles, DEMO_PASSWORD, member.id if member else None)
        if "supervisor" in roles and member is not None:
            account.supervised = [SupervisedUnit(unit_id=member.unit_id)]
    return linked["employee"]


def seed(people_count: int = 200, seed_value: int = 2551) -> None:
    rng = random.Random(seed_value)
    units: dict[str, Unit] = {}
    for code, name_th, name_en, parent in UNITS:
        units[code] = Unit(code=code, name_th=name_th, name_en=name_en, parent=units[parent] if parent else None)
        db.session.add(units[code])
    db.session.flush()
    organisation_demo.seed(rng, units)
    people = seed_people(rng, people_count)
    employee = seed_accounts(people)
    today = local_now().date()
    plan_demo.seed(fiscal_year_of(today))
    training_demo.seed(rng, people, employee, today)
    survey_demo.seed(rng, people, employee, today)
    recognition_demo.seed(rng, people, {name: find_account(name) for name, _ in ACCOUNTS}, today)
    mail.discard_pending()  # demo people get no mail: invitations, confirmations, winners' notices


@click.command("seed-demo")
def seed_demo():
    """Fill an empty database with demo units, people and accounts (never in production)."""
    if current_app.config["ETHICS_ENV"] == "production":
        click.echo("seed-demo refuses to run when ETHICS_ENV=production", err=True)
        raise SystemExit(1)
    if db.session.scalar(select(func.count()).select_from(Person)) or db.session.scalar(select(func.count()).select_from(Unit)):
        click.echo("the database is not empty; seed-demo did nothing")
        return
    try:
        seed()
    except AuthError as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"demo data loaded; accounts {', '.join(name for name, _ in ACCOUNTS)} with password {DEMO_PASSWORD}")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)

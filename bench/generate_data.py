"""`generate-data`: a deterministic province (or country) for the benchmarks.

Structure (plans, courses, campaigns, rounds, accounts) is made through the services; the
volume (people, sessions, registrations, attendance, survey answers, nominations, scores) goes
in through Core bulk inserts, the path the imports use, in the shapes the services leave.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, insert, select

from ethics.auth.services import create_account_with_password
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds, fiscal_year_of, local_now
from ethics.demo import make_citizen_id
from ethics.demo import plan as plan_demo
from ethics.people.models import Person, PersonnelType, Unit
from ethics.plan.models import Activity, Source
from ethics.plan.services import copy_plan, plan_for
from ethics.recognition import rounds
from ethics.recognition.models import CommitteeMember, Nomination, NominationStatus, RoundStatus, Score
from ethics.survey import campaigns, results
from ethics.survey.models import (
    CampaignStatus,
    MoraleCampaign,
    SurveyAnswer,
    SurveyDimension,
    SurveyEligibility,
    SurveyItem,
    SurveyParticipation,
    SurveyResponse,
)
from ethics.training.catalogue import CourseData, save_course
from ethics.training.models import Attendance, Registration, SessionDay, TrainingSession
from ethics.training.summary import rebuild

BENCH_PASSWORD = "bench-password-2569"
CHUNK = 20_000


@dataclass(frozen=True)
class Scale:
    units: int
    people: int
    years: int
    attendance: int  # rows over all years
    answers: int  # answer sheets per campaign
    items: int  # survey items per campaign
    nominations: int  # per round
    members: int  # committee size


SCALES = {
    "quick": Scale(units=30, people=2_000, years=2, attendance=20_000, answers=500, items=30, nominations=30, members=7),
    "province": Scale(units=300, people=20_000, years=5, attendance=500_000, answers=15_000, items=30,
                      nominations=300, members=7),
    "national": Scale(units=3_000, people=500_000, years=5, attendance=10_000_000, answers=15_000, items=30,
                      nominations=300, members=7),
}
TYPES = [(PersonnelType.CIVIL_SERVANT, 60), (PersonnelType.PERMANENT_EMPLOYEE, 15),
         (PersonnelType.TEMPORARY_EMPLOYEE, 10), (PersonnelType.GOVERNMENT_EMPLOYEE, 15)]
ROSTER_SIZE = 500  # one open session per year has this many people: the roster and marking benchmarks


def _bulk(model, rows) -> None:
    """Insert rows (an iterable of dicts) in chunks, without keeping them all in memory."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            db.session.execute(insert(model), chunk)
            chunk = []
    if chunk:
        db.session.execute(insert(model), chunk)


def _ids(model, rows: list[dict]) -> list[int]:
    result = db.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return [row[0] for row in result]


def make_units(count: int) -> list[int]:
    """A province office, agencies under it, and groups under each agency."""
    root = _ids(Unit, [{"code": "P", "name_th": "สำนักงานจังหวัด", "name_en": "Provincial office", "parent_id": None,
                        "version": 1}])
    agencies = max(1, (count - 1) // 10)
    agency_ids = _ids(Unit, [{"code": f"A{n:04d}", "name_th": f"หน่วยงาน {n}", "name_en": f"Agency {n}",
                              "parent_id": root[0], "version": 1} for n in range(agencies)])
    groups = count - 1 - agencies
    group_ids = _ids(Unit, [{"code": f"G{n:05d}", "name_th": f"กลุ่มงาน {n}", "name_en": f"Group {n}",
                             "parent_id": agency_ids[n % agencies], "version": 1} for n in range(groups)]) if groups else []
    return root + agency_ids + group_ids


def make_people(rng: random.Random, count: int, unit_ids: list[int]) -> list[int]:
    kinds, weights = zip(*TYPES, strict=False)
    used: set[str] = set()

    def rows():
        for n in range(count):
            cid = make_citizen_id(rng)
            while cid in used:
                cid = make_citizen_id(rng)
            used.add(cid)
            yield {"citizen_id": cid, "title": rng.choice(("นาย", "นาง", "นางสาว")), "first_name": f"ชื่อ{n}",
                   "last_name": f"สกุล{rng.randint(1, 5000)}", "personnel_type": rng.choices(kinds, weights)[0].value,
                   "unit_id": unit_ids[n % len(unit_ids)], "position": "นักทรัพยากรบุคคล",
                   "position_level": rng.choice(("ปฏิบัติการ", "ชำนาญการ", "ชำนาญการพิเศษ")),
                   "email": "", "supervisor_id": None, "active": True, "version": 1,
                   "service_start_date": date(rng.randint(1985, 2024), rng.randint(1, 12), rng.randint(1, 28))}

    _bulk(Person, rows())
    return list(db.session.scalars(select(Person.id).order_by(Person.id)))


def make_plans(years: list[int]) -> list[str]:
    """The seed's plan copied to every year; returns the codes of its training-fed activities."""
    plan_demo.seed()
    for year in years:
        if plan_for(year) is None:
            copy_plan(2552, year)
    trained = (Source.TRAINING_PARTICIPANTS, Source.TRAINING_PASSED, Source.TRAINING_SESSIONS)
    return sorted(set(db.session.scalars(select(Activity.code).where(Activity.source.in_(trained)))))


def make_trainings(rng: random.Random, scale: Scale, years: list[int], people: list[int], codes: list[str]) -> None:
    courses = [save_course(None, CourseData(f"B{n}", f"หลักสูตร {n}", f"Course {n}", category, 6, 1.0, None)).id
               for n, category in enumerate(("ethics", "ethics", "internal_control", "competency"))]
    per_year = scale.attendance // len(years)
    size = 250
    for year in years:
        first, last = fiscal_year_bounds(year)
        span = max(0, (min(last, local_now().date()) - first).days)  # held sessions: none in the future
        counts = [ROSTER_SIZE] + [size] * max(0, (per_year - ROSTER_SIZE) // size)
        rows = [{"code": f"S{year}-{n:05d}", "course_id": courses[n % len(courses)], "venue": "ห้องประชุม",
                 "capacity": None, "taken": count, "trainer": "", "unit_id": None,
                 "plan_activity_code": codes[n % len(codes)] if codes else "", "registration_deadline": None,
                 "open_to_all": True, "status": "open" if n == 0 else "held",
                 "first_day": first + timedelta(days=rng.randint(0, span)),
                 "version": 1} for n, count in enumerate(counts)]
        sessions = _ids(TrainingSession, rows)
        _bulk(SessionDay, ({"session_id": s, "day": row["first_day"]} for s, row in zip(sessions, rows, strict=False)))
        registered = datetime.combine(first, datetime.min.time())
        registrations = ({"session_id": session_id, "person_id": person_id, "status": "confirmed",
                          "registered_at": registered, "post_test_score": None, "completed": passed, "passed": passed}
                         for session_id, count in zip(sessions, counts, strict=False)
                         for person_id in rng.sample(people, min(count, len(people)))
                         for passed in (rng.random() < 0.9,))
        _bulk(Registration, registrations)
        attendance = select(SessionDay.id, Registration.person_id, Registration.session_id, Registration.completed) \
            .join(SessionDay, SessionDay.session_id == Registration.session_id) \
            .where(Registration.session_id.in_(sessions))
        _bulk(Attendance, ({"day_id": day, "person_id": person, "session_id": session, "present": bool(present),
                            "source": "roster"} for day, person, session, present in
                           db.session.execute(attendance).all()))
        db.session.expunge_all()


def make_survey(rng: random.Random, scale: Scale, years: list[int], people: list[int]) -> None:
    labels = dict(db.session.execute(select(Person.id, Unit.name_th).join(Unit, Unit.id == Person.unit_id)).all())
    for year in years:
        first, _last = fiscal_year_bounds(year)
        campaign = campaigns.create(campaigns.CampaignData(year, f"ขวัญกำลังใจ {year}", first + timedelta(days=60),
                                                           first + timedelta(days=90)))
        db.session.flush()
        dimensions = campaign.dimensions
        have = sum(len(d.items) for d in dimensions)
        _bulk(SurveyItem, ({"dimension_id": dimensions[n % len(dimensions)].id, "position": 100 + n,
                            "text_th": f"ข้อคำถามเพิ่มเติม {n}", "text_en": f"Extra item {n}", "required": True}
                           for n in range(max(0, scale.items - have))))
        items = list(db.session.scalars(select(SurveyItem.id).join(SurveyDimension)
                                        .where(SurveyDimension.campaign_id == campaign.id)))
        _bulk(SurveyEligibility, ({"campaign_id": campaign.id, "person_id": p, "unit_label": labels[p]}
                                  for p in people))
        answered = rng.sample(people, min(scale.answers, len(people)))
        _bulk(SurveyParticipation, ({"campaign_id": campaign.id, "person_id": p} for p in answered))
        rng.shuffle(answered)  # answers keep no order of who answered
        sheets = [secrets.token_hex(16) for _ in answered]
        _bulk(SurveyResponse, ({"id": sheet, "campaign_id": campaign.id, "unit_label": labels[p], "comment": ""}
                               for sheet, p in zip(sheets, answered, strict=False)))
        _bulk(SurveyAnswer, ({"response_id": sheet, "item_id": item, "value": rng.choices((1, 2, 3, 4, 5),
                                                                                        (2, 8, 30, 40, 20))[0]}
                             for sheet in sheets for item in items))
        results.tally(campaign.id)  # as closing does
        db.session.query(MoraleCampaign).filter_by(id=campaign.id).update({"status": CampaignStatus.CLOSED})
        db.session.expunge_all()


def make_rounds(rng: random.Random, scale: Scale, years: list[int], people: list[int], nominator: int) -> None:
    members = [create_account_with_password(f"bench-committee-{n}", {"committee", "employee"}, BENCH_PASSWORD).id
               for n in range(scale.members)]
    units = dict(db.session.execute(select(Person.id, Person.unit_id)).all())
    for year in years:
        first, _last = fiscal_year_bounds(year)
        award_round = rounds.create_round(year, first + timedelta(days=95), first + timedelta(days=120))
        criteria = [c.id for c in award_round.criteria]
        nominees = rng.sample(people, min(scale.nominations, len(people)))
        ranked = sorted(((sum(rng.randint(5, 10) for _ in criteria) * 1.0, p) for p in nominees), reverse=True)
        ids = _ids(Nomination, [
            {"round_id": award_round.id, "person_id": p, "nominated_by": nominator, "unit_id": units[p],
             "status": NominationStatus.SELECTED if rank <= 10 else NominationStatus.NOT_SELECTED,
             "justification": {str(c): "ผลงานดีเด่น" for c in criteria}, "eligibility": [], "override_reason": "",
             "total_score": total, "rank": rank, "version": 1}
            for rank, (total, p) in enumerate(ranked, start=1)])
        _bulk(CommitteeMember, ({"round_id": award_round.id, "account_id": m, "is_chair": n == 0}
                                for n, m in enumerate(members)))
        _bulk(Score, ({"nomination_id": n, "account_id": m, "criterion_id": c, "value": rng.randint(5, 10),
                       "comment": ""} for n in ids for m in members for c in criteria))
        award_round.status = RoundStatus.ANNOUNCED
        db.session.flush()
        db.session.expunge_all()


def generate(scale_name: str, seed: int) -> None:
    scale = SCALES[scale_name]
    rng = random.Random(seed)
    current = fiscal_year_of(local_now().date())
    years = list(range(current - scale.years + 1, current + 1))
    units = make_units(scale.units)
    people = make_people(rng, scale.people, units)
    hr = create_account_with_password("bench-hr", {"hr", "admin", "employee"}, BENCH_PASSWORD)
    codes = make_plans(years)
    make_trainings(rng, scale, years, people, codes)
    rebuild(db.session.connection())  # the summaries the writes keep, for the bulk-loaded rows at once
    make_survey(rng, scale, years, people)
    make_rounds(rng, scale, years, people, hr.id)


def refresh_statistics() -> None:
    """End the bulk load as one should on PostgreSQL: planner statistics and the visibility map
    (index-only scans) now, where autovacuum would get to them minutes later."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")


@click.command("generate-data")
@with_appcontext
@click.option("--scale", "scale_name", type=click.Choice(list(SCALES)), default="quick", show_default=True)
@click.option("--seed", type=int, default=2569, show_default=True)
def generate_data(scale_name: str, seed: int):
    """Fill an empty database with benchmark data (never in production)."""
    if current_app.config["ETHICS_ENV"] == "production":
        raise click.ClickException("generate-data refuses to run when ETHICS_ENV=production")
    if scale_name == "national" and db.engine.dialect.name != "postgresql":
        raise click.ClickException("the national scale runs on PostgreSQL only")
    if db.session.scalar(select(func.count()).select_from(Person)):
        raise click.ClickException("the database is not empty; generate-data did nothing")
    generate(scale_name, seed)
    db.session.commit()
    refresh_statistics()
    click.echo(f"{scale_name} data generated (seed {seed})")


"""The summary rows the report counts from equal the counting rules over the raw rows, after
any sequence of writes through the services, and under concurrent marks on PostgreSQL."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import event, extract, select

from ethics.core.extensions import db
from ethics.core.fiscal import FISCAL_MONTHS
from ethics.people.models import Person
from ethics.people.services import PersonData, person_snapshot, save_person
from ethics.training import counting, summary
from ethics.training.attendance import mark, mark_all_present
from ethics.training.catalogue import SessionData, save_session
from ethics.training.models import Participation, Tally, TrainingSession
from ethics.training.registrations import cancel, register
from ethics.training.states import change_state
from tests.conftest import POSTGRES
from tests.training.test_registrations import run_in_threads

TODAY = date(2026, 12, 20)
YEARS = (2569, 2570)
CODES = ("1.1.1", "1.1.2")
TYPES = ("civil_servant", "permanent_employee", "government_employee")


@pytest.fixture
def world(make_course, make_session, make_person, make_unit, make_plan_activity):
    for year in YEARS:
        for code in CODES:
            make_plan_activity(year, code)
    units = [make_unit() for _ in range(3)]
    people = [make_person(units[n % 3], personnel_type=TYPES[n % 3]) for n in range(6)]
    course = make_course()
    sessions = [make_session(course, first_day=date(2026, 9, 27) + timedelta(days=2 * n), days=2,
                             plan_activity_code=CODES[n % 2]) for n in range(6)]
    for session in sessions:
        for person in people:
            register(session.id, person, date(2026, 9, 1))
    db.session.commit()
    return {"units": [u.id for u in units], "people": [p.id for p in people], "sessions": [s.id for s in sessions]}


def assert_summary_matches_raw_rows() -> None:
    for year in YEARS:
        for passed in (False, True):
            raw = (counting.passed_by if passed else counting.participants_by)(
                counting.sessions_by_activity(year, list(CODES)))
            kept = summary.counts(year, list(CODES), passed=passed)
            assert {c: n.cells for c, n in kept.items()} == {c: n.cells for c, n in raw.items()}, (year, passed)
        # the dashboard's: every session of the year, linked to an activity or not, and by month
        everyone, by_month = counting.year_participants(year)
        assert everyone.cells == counting.participants(counting.sessions_of(year)).cells, year
        assert by_month == [(month, counting.participants(counting.sessions_of(year).where(
            extract("month", TrainingSession.first_day) == month)).total) for month in FISCAL_MONTHS], year


def stored() -> tuple[set, set]:
    return (set(db.session.execute(select(Participation.__table__)).all()),
            {row for row in db.session.execute(select(Tally.__table__)).all() if row.participants or row.passed})


def _session_data(session: TrainingSession, **changes) -> SessionData:
    data = SessionData(code=session.code, course_id=session.course_id, first_day=session.first_day,
                       last_day=session.last_day, starts=session.days[0].starts, ends=session.days[0].ends,
                       venue=session.venue, capacity=session.capacity, trainer=session.trainer, unit_id=session.unit_id,
                       plan_activity_code=session.plan_activity_code, registration_deadline=None,
                       open_to_all=session.open_to_all, status=session.status)
    length = data.last_day - data.first_day
    data = replace(data, **changes)
    return replace(data, last_day=data.first_day + length)


def random_write(rng: random.Random, world: dict) -> None:
    """One write through a service, as a screen or an import would make it."""
    session = db.session.get(TrainingSession, rng.choice(world["sessions"]))
    person = db.session.get(Person, rng.choice(world["people"]))
    kind = rng.choices(("mark", "all", "close", "cancel", "move", "relink", "person", "register"),
                       (40, 5, 4, 3, 6, 4, 8, 5))[0]
    if kind in ("mark", "all", "close", "cancel", "move", "relink", "register") and not session.running:
        kind = "person"
    if kind == "mark":
        mark(session.id, person.id, rng.choice(session.days).id, rng.random() < 0.6)
    elif kind == "all":
        mark_all_present(session.id, rng.choice(session.days).id)
    elif kind == "close":
        change_state(session, "close", TODAY, reason="")
    elif kind == "cancel":
        change_state(session, "cancel", TODAY)
    elif kind == "move":  # across the fiscal year's first day, either way
        save_session(session, _session_data(session, first_day=date(2026, 9, 25) + timedelta(days=rng.randint(0, 12))))
    elif kind == "relink":
        save_session(session, _session_data(session, plan_activity_code=rng.choice((*CODES, ""))))
    elif kind == "person":
        snapshot = {**person_snapshot(person), "citizen_id": person.citizen_id}
        save_person(person, PersonData(**{**snapshot, "unit_id": rng.choice(world["units"]),
                                          "personnel_type": rng.choice(TYPES)}))
    elif rng.random() < 0.5:
        cancel(session.id, person)
    else:
        register(session.id, person, date(2026, 9, 1))
    db.session.commit()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_summary_equals_the_raw_rows_after_random_writes(world, seed):
    rng = random.Random(seed)
    for _ in range(60):
        random_write(rng, world)
        assert_summary_matches_raw_rows()
    kept = stored()
    assert kept[0], "the writes left some participation to compare"
    summary.rebuild(db.session.connection())  # what the migration and the generator do
    db.session.commit()
    assert stored() == kept


def test_an_undone_mark_is_uncounted_and_another_session_still_counts(world):
    person = world["people"][0]
    first, third = (db.session.get(TrainingSession, world["sessions"][n]) for n in (2, 4))  # both 1.1.1, FY2570
    mark(first.id, person, first.days[0].id, True)
    mark(third.id, person, third.days[1].id, True)
    db.session.commit()
    assert summary.counts(2570, ["1.1.1"])["1.1.1"].total == 1
    mark(first.id, person, first.days[0].id, False)
    db.session.commit()
    assert summary.counts(2570, ["1.1.1"])["1.1.1"].total == 1
    mark(third.id, person, third.days[1].id, False)
    db.session.commit()
    assert summary.counts(2570, ["1.1.1"]) == {}
    assert_summary_matches_raw_rows()


def test_a_person_who_moves_is_counted_under_the_new_unit(world):
    person_id, session = world["people"][0], db.session.get(TrainingSession, world["sessions"][0])
    mark(session.id, person_id, session.days[0].id, True)
    db.session.commit()
    person = db.session.get(Person, person_id)
    new_unit = world["units"][2]
    save_person(person, PersonData(**{**person_snapshot(person), "citizen_id": person.citizen_id, "unit_id": new_unit}))
    db.session.commit()
    assert summary.counts(2569, ["1.1.1"])["1.1.1"].by_unit == {new_unit: 1}
    assert_summary_matches_raw_rows()


def test_a_move_takes_the_summaries_locks_before_the_audit_chains(world):
    """Marks, check-ins and closings lock people and cells before the chain; a person's save must too,
    or a save and a check-in each hold what the other waits for."""
    person_id, session = world["people"][0], db.session.get(TrainingSession, world["sessions"][0])
    mark(session.id, person_id, session.days[0].id, True)
    db.session.commit()
    person = db.session.get(Person, person_id)
    statements: list[str] = []
    listener = lambda _c, _cur, statement, *_: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        save_person(person, PersonData(**{**person_snapshot(person), "citizen_id": person.citizen_id,
                                          "unit_id": world["units"][2]}))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    tally = max(n for n, statement in enumerate(statements) if "training_tally" in statement and "INSERT" in statement)
    chain = min(n for n, statement in enumerate(statements)
                if "pg_advisory_xact_lock" in statement or statement.startswith("INSERT INTO audit_entry"))
    assert tally < chain


@pytest.mark.skipif(not POSTGRES, reason="concurrent writers are proven on PostgreSQL")
def test_two_hr_marking_one_person_in_two_sessions_at_once(app, world):
    """Each of two HR staff marks the same person in a different session of one activity (and
    then both undo it) at the same moment; the person is counted once, then not at all."""
    first, third = (db.session.get(TrainingSession, world["sessions"][n]) for n in (2, 4))  # both 1.1.1, FY2570
    cells = [(first.id, first.days[0].id), (third.id, third.days[0].id)]
    people = world["people"]
    for present in (True, False, True):
        for round_ in range(5):
            errors = run_in_threads(app, 2 * len(people), lambda n, p=present: mark(
                cells[n % 2][0], people[n // 2], cells[n % 2][1], p))
            assert errors == []
            db.session.expire_all()
            assert_summary_matches_raw_rows()
            assert summary.counts(2570, ["1.1.1"]).get("1.1.1", counting.Count(0)).total == (len(people) if present
                                                                                           else 0), round_

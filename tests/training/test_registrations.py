from __future__ import annotations

import contextlib
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.people.models import Person
from ethics.training import registrations
from ethics.training.models import Registration, TrainingSession
from ethics.training.registrations import RegistrationError, cancel, invite, register

TODAY = date(2026, 11, 26)


def statuses(session_id):
    rows = db.session.execute(select(Registration.status, func.count()).where(Registration.session_id == session_id)
                              .group_by(Registration.status)).all()
    return dict(rows)


def test_full_session_waitlists_then_promotes_in_order(make_session, make_person):
    session = make_session(capacity=2)
    people = [make_person() for _ in range(4)]
    for person in people:
        register(session.id, person, TODAY)
        db.session.commit()
    assert statuses(session.id) == {"confirmed": 2, "waitlisted": 2}
    cancel(session.id, people[0])
    db.session.commit()
    third = db.session.scalar(select(Registration).where(Registration.person_id == people[2].id))
    fourth = db.session.scalar(select(Registration).where(Registration.person_id == people[3].id))
    assert (third.status, fourth.status) == ("confirmed", "waitlisted")
    assert db.session.get(TrainingSession, session.id).taken == 2


def test_registering_twice_keeps_one_row(make_session, make_person):
    session, person = make_session(), make_person()
    first = register(session.id, person, TODAY)
    again = register(session.id, person, TODAY)
    db.session.commit()
    assert first.created and not again.created
    assert statuses(session.id) == {"confirmed": 1}


def test_sessions_not_open_to_the_person_refuse(make_session, make_person):
    person = make_person()
    closed = make_session(status="planned")
    invited_only = make_session(open_to_all=False)
    for session in (closed, invited_only):
        with pytest.raises(RegistrationError):
            register(session.id, person, TODAY)
    invite(invited_only, [person.id])
    assert register(invited_only.id, person, TODAY).registration.status == "confirmed"


def test_deadline_is_enforced(make_session, make_person):
    session = make_session(deadline=date(2026, 11, 20))
    with pytest.raises(RegistrationError, match="deadline"):
        register(session.id, make_person(), TODAY)


def run_in_threads(app, count, work):
    """Start `count` workers at once, each in its own app context; return their errors.

    The test's own session commits first and is not touched until all are done, so it holds
    no lock and is never used from two threads.
    """
    db.session.commit()
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def worker(n):
        with app.app_context():
            try:
                barrier.wait()
                work(n)
                db.session.commit()
            except BaseException as error:
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_fifty_parallel_registrations_for_twenty_seats(app, make_session, make_person):
    session_id = make_session(capacity=20).id
    people_ids = [make_person().id for _ in range(50)]
    errors = run_in_threads(app, 50, lambda n: register(session_id, db.session.get(Person, people_ids[n]), TODAY))
    assert errors == []
    assert statuses(session_id) == {"confirmed": 20, "waitlisted": 30}
    assert db.session.get(TrainingSession, session_id).taken == 20


def test_ten_parallel_registrations_by_one_person_give_one(app, make_session, make_person):
    session_id, person_id = make_session(capacity=20).id, make_person().id

    def attempt(_n):
        with contextlib.suppress(registrations.DuplicateRegistration):  # the view shows the winner's registration
            register(session_id, db.session.get(Person, person_id), TODAY)

    assert run_in_threads(app, 10, attempt) == []
    assert statuses(session_id) == {"confirmed": 1}


def test_parallel_cancellations_promote_exactly_as_many(app, make_session, make_person):
    session_id = make_session(capacity=5).id
    people = [make_person() for _ in range(10)]
    for person in people:
        register(session_id, person, TODAY)
    ids = [p.id for p in people[:5]]
    assert run_in_threads(app, 5, lambda n: cancel(session_id, db.session.get(Person, ids[n]))) == []
    assert statuses(session_id) == {"confirmed": 5, "cancelled": 5}


def test_invitees_are_active_people_of_the_unit_tree_type_and_name(org, make_person):
    """Each criterion narrows; a unit includes its sub-units; people who left are never invited."""
    dev, team, audit = org["units"]["dev"], org["units"]["dev_team"], org["units"]["audit"]
    worker = make_person(team, first_name="สมศรี", last_name="ใจงาม", personnel_type="permanent_employee")
    make_person(team, first_name="สมศรี", active=False)
    make_person(audit, first_name="สมศรี")
    in_dev = {p.id for p in db.session.scalars(select(Person).where(Person.active, Person.unit_id.in_([dev.id, team.id])))}
    assert set(registrations.invitees(dev.id, None, "")) == in_dev
    assert registrations.invitees(dev.id, "permanent_employee", "") == [worker.id]
    assert registrations.invitees(None, None, "สมศรี ใจงาม") == [worker.id]

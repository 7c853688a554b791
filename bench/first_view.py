"""PF7 (first view): each heavy page rendered in process right after a write to the data it
shows, so no kept page can answer: what the first reader after a change waits for.

A write is a real one where the page's users make it (an attendance mark for the training
pages and the start pages), else an UPDATE of one row of the page's domain that leaves its
values as they were: the commit raises the domain's version as any change would.
"""
from __future__ import annotations

import math
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event, select, update

from bench.generate_data import BENCH_PASSWORD

# The start page of each role: (username, roles); the employee and supervisor are staff members,
# the supervisor sees an agency with its groups. The committee's member (a chair) exists already.
HOME_ACCOUNTS = {"employee": ("bench-employee", {"employee"}), "supervisor": ("bench-supervisor", {"supervisor",
                                                                                                   "employee"}),
                 "committee": ("bench-committee-0", None), "hr": ("bench-hr-only", {"hr", "employee"}),
                 "admin": ("bench-admin", {"admin", "employee"})}


@dataclass(frozen=True)
class Page:
    name: str
    username: str
    method: str
    path: str
    write: Callable[[int], None]  # the n-th write before the n-th reading
    form: dict | None = None


def signed_in(app, username: str):
    """A test client signed in as `username`, and the CSRF token its htmx requests send."""
    client = app.test_client()
    login = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    response = client.post("/login", data={"username": username, "password": BENCH_PASSWORD, "csrf_token": token})
    assert response.status_code == 302, (username, response.status_code)
    return client, re.search(r'"X-CSRFToken": "([^"]+)"', client.get("/").text).group(1)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the value at or below which `share` of them lie."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _accounts(people: list[int]) -> None:
    """The start pages' accounts the generated data lacks, linked to staff members not used elsewhere."""
    from ethics.auth.models import SupervisedUnit
    from ethics.auth.services import create_account_with_password, find_account
    from ethics.core.extensions import db
    from ethics.people.models import Person, Unit

    agency = db.session.scalar(select(Unit.id).where(Unit.code.like("A%")).order_by(Unit.code))
    for n, (username, roles) in enumerate(HOME_ACCOUNTS.values()):
        if roles is None or find_account(username):
            continue
        person = people[n] if "employee" in roles and roles <= {"employee", "supervisor"} else None
        account = create_account_with_password(username, roles, BENCH_PASSWORD, person)
        if "supervisor" in roles:
            db.session.add(SupervisedUnit(account_id=account.id, unit_id=agency))
            db.session.execute(update(Person).where(Person.id == person).values(unit_id=agency))
    db.session.commit()


def pages(app, years: list[int], report_year: int) -> list[Page]:
    """The pages, with their writes, on the generated data."""
    from ethics.auth.models import Account
    from ethics.core.extensions import db
    from ethics.people.models import Person
    from ethics.recognition.models import AwardRound, Nomination
    from ethics.survey.models import MoraleCampaign
    from ethics.training import attendance
    from ethics.training.models import Registration, SessionDay, TrainingSession

    with app.app_context():
        session_id, day_id = db.session.execute(
            select(TrainingSession.id, SessionDay.id).join(SessionDay, SessionDay.session_id == TrainingSession.id)
            .where(TrainingSession.code == f"S{years[-1]}-00000")).one()
        roster = list(db.session.scalars(select(Registration.person_id).where(Registration.session_id == session_id)
                                         .order_by(Registration.person_id)))
        unlisted = list(db.session.scalars(select(Person.id).where(
            Person.id.not_in(roster), Person.id.not_in(select(Account.person_id).where(Account.person_id.is_not(None))))
            .order_by(Person.id).limit(len(HOME_ACCOUNTS))))
        _accounts(unlisted)
        campaign = db.session.scalar(select(MoraleCampaign.id).where(MoraleCampaign.fiscal_year == report_year))
        award_round = db.session.scalar(select(AwardRound.id).where(AwardRound.year == years[-1]))
        nomination = db.session.scalar(select(Nomination.id).where(Nomination.round_id == award_round).limit(1))

    def in_app(work):
        def write(n: int) -> None:
            with app.app_context():
                work(n)
                db.session.commit()
        return write

    mark = in_app(lambda n: attendance.mark(session_id, roster[n % len(roster)], day_id, n % 2 == 0))

    def touch(model, ident):
        return in_app(lambda n: db.session.execute(update(model).where(model.id == ident).values(id=model.id)))

    found = [Page("dashboard", "bench-hr", "GET", f"/plan/{years[-1]}", mark),
             Page("roster", "bench-hr", "GET", f"/training/sessions/{session_id}", mark),
             Page("people search", "bench-hr", "POST", "/people", touch(Person, roster[0]),
                  {"q": "สกุล12", "status": "active"}),
             Page("survey results", "bench-hr", "GET", f"/survey/campaigns/{campaign}/results",
                  touch(MoraleCampaign, campaign)),
             Page("award round", "bench-hr", "GET", f"/recognition/rounds/{award_round}", touch(Nomination, nomination))]
    return found + [Page(f"home {role}", username, "GET", "/", mark) for role, (username, _) in HOME_ACCOUNTS.items()]


def first_views(app, years: list[int], report_year: int, repeat: int = 20) -> list[dict]:
    """Median and p95 of `repeat` readings of each page, each right after a write; the
    statements one reading runs."""
    from ethics.core.extensions import db

    results = []
    clients: dict[str, tuple] = {}
    for page in pages(app, years, report_year):
        if page.username not in clients:
            clients[page.username] = signed_in(app, page.username)
        client, token = clients[page.username]

        def read(page=page, client=client, token=token):
            response = client.open(page.path, method=page.method, data=page.form,
                                   headers={"X-CSRFToken": token} if page.method == "POST" else {})
            assert response.status_code == 200, (page.name, response.status_code)

        read()  # compiles the templates and fills what every reading shares
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        def count(*args, statements=statements):
            statements.append(args[2])

        page.write(0)
        event.listen(engine, "before_cursor_execute", count)
        read()
        event.remove(engine, "before_cursor_execute", count)
        times = []
        for n in range(1, repeat + 1):
            page.write(n)
            start = time.perf_counter()
            read()
            times.append(time.perf_counter() - start)
        p50, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
        results.append({"page": page.name, "ours_s": p50 / 1000, "p50_ms": p50, "p95_ms": p95,
                        "max_ms": max(times) * 1000, "queries": len(statements), "met": p95 <= 100})
    return results

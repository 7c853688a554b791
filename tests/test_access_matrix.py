"""Walks every route with every role and without signing in, expecting exactly docs/access.md."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from ethics.auth import services as auth_services
from ethics.core.extensions import db
from ethics.importing import services as import_services
from tests.conftest import PASSWORD

MATRIX = Path(__file__).resolve().parent.parent / "docs" / "access.md"
ROLES = ("anonymous", "admin", "hr", "supervisor", "committee", "employee")


def read_matrix() -> dict[tuple[str, str], dict[str, str]]:
    rows = {}
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 9 and "." in cells[0] and cells[1] in ("GET", "POST"):
            rows[(cells[0], cells[1])] = dict(zip(ROLES, cells[3:], strict=False))
    return rows


def app_routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_the_matrix_lists_every_route_and_no_other(app):
    assert set(read_matrix()) == app_routes(app)


@pytest.fixture
def world(org):
    """Records every route's URL can point at: one of each, inside the supervisor's scope."""
    from datetime import date, time

    from ethics.training.catalogue import CourseData, SessionData, save_course, save_session
    from ethics.training.registrations import register
    from ethics.training.results import issue_certificate

    course = save_course(None, CourseData("ETH", "จริยธรรม", "", "ethics", 6, 1.0, None))
    session = save_session(None, SessionData("", course.id, date(2026, 12, 1), date(2026, 12, 1), time(9), time(16),
                                             "ห้องประชุม", 30, "", None, "", None, True, "open"))
    mine = register(session.id, org["people"]["me"], date(2026, 11, 26)).registration
    certificate = issue_certificate(mine, date(2026, 12, 1))
    from ethics.survey import answering, campaigns

    campaign = campaigns.create(campaigns.CampaignData(2570, "ขวัญกำลังใจ", date(2026, 11, 1), date(2026, 12, 31)))
    campaigns.open_campaign(campaign)
    answering.close_campaign(campaign)
    from ethics.demo.plan import seed as seed_plan
    from ethics.plan.services import add_entry, plan_for

    seed_plan()
    plan = plan_for(2551)
    entry = add_entry(plan.activities[0], date(2008, 1, 5), "3", "", None)
    invitee = org["accounts"]["committee"]
    token = auth_services.issue_sign_in_link(org["accounts"]["admin"], invitee).token
    jobs = {}
    for role in ("admin", "hr"):
        job = import_services.create_job(import_services.REGISTRY["roster"], "empty.csv",
                                         b"citizen_id,first_name,last_name,personnel_type,unit_code\n", {},
                                         org["accounts"][role].id, "th")
        db.session.commit()
        import_services.check_job(job.id)
        jobs[role] = job.id
    from ethics.people.discipline import open_flag
    from ethics.recognition import nominations, rounds

    award_round = rounds.create_round(2569, date(2026, 1, 5), date(2026, 1, 31))
    nomination = nominations.nominate(award_round, org["people"]["inside"], org["accounts"]["supervisor"].id, {})
    evidence = nominations.add_evidence(nomination, "letter.pdf", b"%PDF-1.4 letter")
    rounds.add_member(award_round, org["accounts"]["committee"], is_chair=True)
    flag = open_flag(org["people"]["outside"], date(2026, 1, 1), "inquiry")
    from ethics.mail.services import queue_message

    message = queue_message("member@example.go.th", "training.invitation", "เชิญอบรม", paragraphs=["ข้อความ"])
    from ethics.organisation.services import ImageChange, SignatoryData, save_signatory

    signatory = save_signatory(None, SignatoryData("นายสมชาย ใจดี", "ผู้ว่าราชการจังหวัด"), ImageChange())
    db.session.commit()
    # Ids, not objects: some POSTs remove what they point at (an evidence file, say).
    return {"token": token, "jobs": jobs, "round_id": award_round.id, "nomination_id": nomination.id,
            "evidence_id": evidence.id, "flag_id": flag.id, "message_id": message.id, "course": course,
            "signatory_id": signatory.id,
            "session": session, "certificate": certificate,
            "campaign": campaign, "plan": plan, "entry": entry, **org}


def url_for_route(app, endpoint: str, role: str, world) -> str:
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    values = {"token": world["token"], "account_id": world["accounts"]["employee"].id,
              "person_id": world["people"]["inside"].id, "unit_id": world["units"]["dev"].id,
              "fmt": "xlsx", "kind": "roster", "job_id": world["jobs"].get(role, world["jobs"]["hr"]),
              "course_id": world["course"].id, "session_id": world["session"].id,
              "day_id": world["session"].days[0].id, "certificate_id": world["certificate"].id,
              "campaign_id": world["campaign"].id, "fiscal_year": world["plan"].fiscal_year,
              "activity_id": world["plan"].activities[0].id, "entry_id": world["entry"].id,
              "snapshot_id": 1, "token_id": 1, "code": "1.1.1",
              **{key: world[key] for key in ("round_id", "nomination_id", "evidence_id", "flag_id",
                                                            "message_id", "signatory_id")}}
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{name: values[name] for name in rule.arguments})


def outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/login" in location and "signed_out" not in location:
        return "sign in"
    if response.status_code == 403:
        return "✗"
    if response.status_code == 401 and response.is_json:
        return "token"
    assert response.status_code < 500, response.text[:500]
    return "✓"


def signed_in(app, role):
    client = app.test_client()
    if role != "anonymous":
        assert client.post("/login", data={"username": role, "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_as_the_matrix_says(app, world, role):
    matrix = read_matrix()
    got, expected = {}, {}
    get_client = signed_in(app, role)
    # GETs share one client; each POST gets a fresh sign-in, since logout ends every session.
    for (endpoint, method), allowed in sorted(matrix.items(), key=lambda item: (item[0][1], item[0][0])):
        url = url_for_route(app, endpoint, role, world)
        client = get_client if method == "GET" else signed_in(app, role)
        response = client.open(url, method=method, data={})
        got[(endpoint, method)] = outcome(response)
        expected[(endpoint, method)] = allowed[role]
    assert got == expected


def fingerprint() -> dict:
    """Row counts and version sums of every table but the audit log, which records reads too, and
    every domain's data version (ethics/core/data_versions.py; the audit log has none)."""
    result = {}
    for table in db.metadata.sorted_tables:
        if table.name in ("audit_entry", "data_version"):
            continue
        result[table.name] = db.session.scalar(select(func.count()).select_from(table))
        if "version" in table.c:
            result[table.name + ".version"] = db.session.scalar(select(func.sum(table.c.version)))
    result.update(db.session.execute(text("SELECT domain, version FROM data_version")).all())
    result["invitations used"] = db.session.scalar(text("SELECT count(*) FROM invitation WHERE used_at IS NOT NULL"))
    return result


@pytest.mark.parametrize("role", ["anonymous", "admin", "hr", "supervisor", "employee"])
def test_no_get_request_changes_data(app, world, role):
    client = signed_in(app, role)
    before = fingerprint()
    for endpoint, method in read_matrix():
        if method == "GET":
            client.get(url_for_route(app, endpoint, role, world))
    db.session.expire_all()
    assert fingerprint() == before



@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_every_post_needs_a_csrf_token(csrf_app, world):
    """Refused with 400 and nothing changed (but the sign-ins this test makes itself)."""
    before = fingerprint()
    for (endpoint, method), allowed in read_matrix().items():
        if method != "POST":
            continue
        role = "admin" if allowed["admin"] == "✓" else "anonymous"
        client = csrf_app.test_client()
        if role == "admin":
            token = re.search(r'value="([^"]+)"', client.get("/login").text.split('name="csrf_token"')[1]).group(1)
            response = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
            assert response.status_code == 302
        response = client.post(url_for_route(csrf_app, endpoint, role, world), data={})
        assert response.status_code == 400, endpoint
    db.session.expire_all()
    after = fingerprint()
    assert after.pop("sign_in") > before.pop("sign_in")  # the last sign-in times of this test's own sign-ins
    after.pop("account_sign_in"), before.pop("account_sign_in")
    assert after == before


def test_htmx_requests_send_the_token_in_a_header(csrf_app, world):
    client = csrf_app.test_client()
    page = client.get("/login").text
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "admin", "password": PASSWORD},
                           headers={"X-CSRFToken": header_token, "HX-Request": "true"})
    assert response.status_code == 302

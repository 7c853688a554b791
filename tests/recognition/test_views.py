"""The selection's screens over HTTP: forms with bad input, evidence access, blindness by page,
fragment and export, 409 after finalising, the announcement and the certificate of honour."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds, fiscal_year_of, format_input_date, local_now
from ethics.people.models import DisciplinaryFlag
from ethics.recognition import rounds, scoring
from ethics.recognition.models import AwardRound, ConflictKind, Nomination, NominationStatus, RoundStatus
from tests.recognition.conftest import justified


def round_form(**changes):
    data = {"year": "2569", "nominations_open": "05/01/2569", "nominations_close": "31/01/2569", "quota_total": "3",
            "quota_per_unit": "", "tie_break": "criterion_order", "tell_nominee_at_announcement": "y",
            "min_service_years": "5", "personnel_types": ["civil_servant"], "position_levels": "ชำนาญการ, ชำนาญการพิเศษ",
            "not_awarded_years": "", "no_disciplinary_flag": "y",
            "criteria-0-name": "ครองตน", "criteria-0-weight": "2", "criteria-0-min_score": "0",
            "criteria-0-max_score": "10", "criteria-1-name": "ครองงาน", "criteria-1-weight": "1",
            "criteria-1-min_score": "0", "criteria-1-max_score": "5"}
    data.update(changes)
    return data


def test_hr_opens_a_round_with_rules_and_criteria(client, auth, org):
    auth.login("hr")
    assert "ครองคน" in client.get("/recognition/rounds/new").text  # the familiar four are offered
    response = client.post("/recognition/rounds/new", data=round_form())
    assert response.status_code == 302
    award_round = db.session.scalar(select(AwardRound))
    assert award_round.rules == {"min_service_years": 5, "personnel_types": ["civil_servant"],
                                 "position_levels": ["ชำนาญการ", "ชำนาญการพิเศษ"], "no_disciplinary_flag": True}
    assert [(c.name, c.weight, c.max_score) for c in award_round.criteria] == [("ครองตน", 2.0, 10), ("ครองงาน", 1.0, 5)]
    page = client.get(response.headers["Location"])
    assert "ประจำปี 2569" in page.text and "1 เม.ย. 2570" in page.text


@pytest.mark.parametrize("changes, message", [
    ({"nominations_close": "01/01/2569"}, "before the opening date"),
    ({"nominations_open": "30/02/2569"}, "Enter a real date"),
    ({"criteria-0-name": "", "criteria-1-name": ""}, "at least one criterion"),
    ({"criteria-1-min_score": "5"}, "lowest score below its highest"),
    ({"min_service_years": "-3"}, "Number must be"),
    ({"tie_break": "coin_toss"}, "Not a valid choice"),
    ({"year": "abc"}, "Not a valid integer"),
])
def test_bad_round_input_changes_nothing(client, auth, org, changes, message):
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    response = client.post("/recognition/rounds/new", data=round_form(**changes))
    assert response.status_code == 422 and message in response.text
    assert db.session.scalar(select(func.count()).select_from(AwardRound)) == 0


@pytest.fixture
def live_round(app):
    """A round open today, so the deadline check uses the real date."""
    today = local_now().date()
    first, last = fiscal_year_bounds(fiscal_year_of(today))
    award_round = rounds.create_round(fiscal_year_of(today), max(first, today - timedelta(days=5)),
                                      min(last, today + timedelta(days=20)))
    db.session.commit()
    return award_round


def nomination_form(award_round, person_id=None, text="ตรงต่อเวลา ซื่อสัตย์"):
    data = {f"c{c.id}": text for c in award_round.criteria}
    if person_id:
        data["person_id"] = str(person_id)
    return data


def test_supervisor_nominates_attaches_evidence_and_submits(client, auth, org, live_round):
    client.set_cookie("ethics_lang", "en")
    auth.login("supervisor")
    outside = client.post(f"/recognition/rounds/{live_round.id}/nominate",
                          data=nomination_form(live_round, org["people"]["outside"].id))
    assert outside.status_code == 422 and "Choose one of the people you may nominate." in outside.text
    response = client.post(f"/recognition/rounds/{live_round.id}/nominate",
                           data=nomination_form(live_round, org["people"]["inside"].id, text=""))
    nomination = db.session.scalar(select(Nomination))
    assert response.status_code == 302 and nomination.status == NominationStatus.DRAFT
    refused = client.post(f"/recognition/nominations/{nomination.id}/submit", follow_redirects=True)
    assert "Justify every criterion" in refused.text
    bad = client.post(f"/recognition/nominations/{nomination.id}/evidence", content_type="multipart/form-data",
                      data={"file": (io.BytesIO(b"MZ\x90\x00"), "award.pdf")}, follow_redirects=True)
    assert "must be a PDF, PNG or JPEG" in bad.text
    assert client.post(f"/recognition/nominations/{nomination.id}/evidence", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(b"%PDF-1.7 letter"), "หนังสือรับรอง.pdf")}).status_code == 302
    edited = client.post(f"/recognition/nominations/{nomination.id}/edit",
                         data={**nomination_form(live_round), "version": nomination.version})
    assert edited.status_code == 302
    done = client.post(f"/recognition/nominations/{nomination.id}/submit", follow_redirects=True)
    assert "The nomination is submitted." in done.text
    db.session.expire_all()
    assert nomination.status == NominationStatus.SUBMITTED
    assert [e.filename for e in nomination.evidence] == ["หนังสือรับรอง.pdf"]
    assert client.post(f"/recognition/nominations/{nomination.id}/edit", data=nomination_form(live_round)).status_code == 409


def test_evidence_is_served_only_to_those_who_may_see_the_nomination(app, org, live_round, make_account, make_unit,
                                                                     make_person):
    from ethics.recognition import nominations

    nomination = nominations.nominate(live_round, org["people"]["inside"], org["accounts"]["supervisor"].id, {})
    evidence = nominations.add_evidence(nomination, "letter.pdf", b"%PDF-1.7 letter")
    other_unit = make_unit("OTHER", "หน่วยอื่น")
    make_account("boss2", ("supervisor", "employee"), person=make_person(other_unit), supervised=[other_unit])
    db.session.commit()
    for username, expected in (("hr", 200), ("supervisor", 200), ("boss2", 404), ("employee", 404),
                               ("committee", 404)):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": "correct-horse-battery"})
        response = client.get(f"/recognition/evidence/{evidence.id}")
        assert response.status_code == expected, username
        if expected == 200:
            assert response.data == b"%PDF-1.7 letter" and "attachment" in response.headers["Content-Disposition"]
        page = client.get(f"/recognition/nominations/{nomination.id}")
        assert page.status_code == expected, username


def signed_in(app, username):
    client = app.test_client()
    client.set_cookie("ethics_lang", "en")
    assert client.post("/login", data={"username": username, "password": "correct-horse-battery"}).status_code == 302
    return client


def test_no_route_shows_a_members_scores_to_another_before_finalising(app, scoring_round):
    award_round, first = scoring_round["round"], scoring_round["nominations"][0]
    member = signed_in(app, "member")
    member.post(f"/recognition/nominations/{first.id}/conflict", data={"kind": "none", "note": ""})
    values = {f"s{c.id}": "7" for c in award_round.criteria} | {f"n{c.id}": "SECRET-COMMENT" for c in award_round.criteria}
    assert member.post(f"/recognition/nominations/{first.id}/scores", data=values).status_code == 302
    assert "SECRET-COMMENT" in member.get(f"/recognition/nominations/{first.id}").text  # one's own
    chair = signed_in(app, "committee")
    for url in (f"/recognition/nominations/{first.id}", f"/recognition/rounds/{award_round.id}"):
        assert "SECRET-COMMENT" not in chair.get(url).text
        assert "SECRET-COMMENT" not in chair.get(url, headers={"HX-Request": "true"}).text
    progress = chair.get(f"/recognition/rounds/{award_round.id}").text
    assert re.search(rf'data-testid="progress-{first.id}-member">Scored<', progress)
    hr = signed_in(app, "hr")
    assert "SECRET-COMMENT" not in hr.get(f"/recognition/nominations/{first.id}").text
    for client in (chair, hr):
        for fmt in ("xlsx", "pdf"):
            assert client.get(f"/recognition/rounds/{award_round.id}/score-sheet.{fmt}").status_code == 409


def test_after_finalising_every_change_is_refused_with_409(app, scoring_round):
    award_round, made = scoring_round["round"], scoring_round["nominations"]
    member = scoring_round["member"]
    for nomination in made:
        scoring.declare(nomination, member, ConflictKind.NONE, "")
        scoring.save_scores(nomination, member, {c.id: (8, "ดี") for c in award_round.criteria})
    db.session.commit()
    member_client = signed_in(app, "member")
    refused = signed_in(app, "hr").post(f"/recognition/rounds/{award_round.id}/finalise")
    assert refused.status_code == 403  # only the chair
    assert signed_in(app, "committee").post(f"/recognition/rounds/{award_round.id}/finalise").status_code == 302
    values = {f"s{c.id}": "1" for c in award_round.criteria}
    late = member_client.post(f"/recognition/nominations/{made[0].id}/scores", data=values)
    assert late.status_code == 409 and "finalised" in late.text
    fragment = member_client.post(f"/recognition/nominations/{made[0].id}/scores", data=values,
                                  headers={"HX-Request": "true"})
    assert fragment.status_code == 409 and "<html" not in fragment.text and "finalised" in fragment.text
    assert member_client.post(f"/recognition/nominations/{made[1].id}/conflict",
                              data={"kind": "other", "note": "x", "understood": "y"}).status_code == 409
    hr = signed_in(app, "hr")
    assert hr.post(f"/recognition/rounds/{award_round.id}/committee/{member.id}/remove").status_code == 409
    assert hr.get(f"/recognition/rounds/{award_round.id}/edit").status_code == 409
    db.session.expire_all()
    assert {s.value for s in scoring.scores_of_round(award_round)} == {8}
    sheet = hr.get(f"/recognition/rounds/{award_round.id}/score-sheet.xlsx")
    assert sheet.status_code == 200 and sheet.data.startswith(b"PK")
    assert "ดี" in member_client.get(f"/recognition/nominations/{made[0].id}").text  # now everyone's scores show


def test_scoring_by_htmx_swaps_only_the_assessment(app, scoring_round):
    first = scoring_round["nominations"][0]
    member = signed_in(app, "member")
    declared = member.post(f"/recognition/nominations/{first.id}/conflict", data={"kind": "none", "note": ""},
                           headers={"HX-Request": "true"})
    assert declared.status_code == 200 and declared.text.lstrip().startswith('<section id="scoring"')
    assert "Save my scores" in declared.text and "Your declaration is recorded." in declared.text
    bad = member.post(f"/recognition/nominations/{first.id}/scores", data={}, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "within its range" in bad.text


def test_hr_moves_the_round_on_and_announces(app, scoring_round):
    award_round, made = scoring_round["round"], scoring_round["nominations"]
    member, chair = scoring_round["member"], scoring_round["chair"]
    for nomination in made:
        scoring.declare(nomination, member, ConflictKind.NONE, "")
        scoring.save_scores(nomination, member, {c.id: (5 + made.index(nomination), "") for c in award_round.criteria})
    scoring.finalise(award_round, chair)
    db.session.commit()
    winner = made[2]
    employee = signed_in(app, "employee")
    assert employee.get(f"/recognition/rounds/{award_round.id}/announcement").status_code == 404
    hr = signed_in(app, "hr")
    assert hr.post(f"/recognition/rounds/{award_round.id}/advance").status_code == 302
    db.session.expire_all()
    assert db.session.get(AwardRound, award_round.id).status == RoundStatus.ANNOUNCED
    page = employee.get(f"/recognition/rounds/{award_round.id}/announcement")
    assert page.status_code == 200 and winner.person.full_name in page.text
    assert made[0].person.full_name not in page.text
    pdf = hr.get(f"/recognition/nominations/{winner.id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert employee.get(f"/recognition/nominations/{winner.id}/certificate.pdf").status_code == 404
    token = db.session.get(Nomination, winner.id).certificate_token
    check = app.test_client().get(f"/verify/honour/{token}")
    assert check.status_code == 200 and winner.person.full_name in check.text and "HON-2569-0001" in check.text
    assert app.test_client().get("/verify/honour/forged").status_code == 404
    assert hr.post(f"/recognition/rounds/{award_round.id}/advance").status_code == 409


def test_hr_records_and_closes_a_disciplinary_flag(app, org):
    hr = signed_in(app, "hr")
    person = org["people"]["inside"]
    bad = hr.post(f"/people/{person.id}/flags", data={"opened_on": "40/13/2569", "note": "x"}, follow_redirects=True)
    assert "Give the date and a note." in bad.text
    assert db.session.scalar(select(func.count()).select_from(DisciplinaryFlag)) == 0
    hr.post(f"/people/{person.id}/flags", data={"opened_on": "01/10/2569", "note": "สอบข้อเท็จจริง"})
    flag = db.session.scalar(select(DisciplinaryFlag))
    early = hr.post(f"/people/flags/{flag.id}/close", data={"closed_on": "01/09/2569"}, follow_redirects=True)
    assert "before the opening date" in early.text
    hr.post(f"/people/flags/{flag.id}/close", data={"closed_on": format_input_date(local_now().date())})
    db.session.expire_all()
    assert db.session.get(DisciplinaryFlag, flag.id).closed_on == local_now().date()
    assert "สอบข้อเท็จจริง" not in signed_in(app, "supervisor").get(f"/people/{person.id}").text


def test_the_round_page_asks_a_bounded_number_of_queries(app, org, live_round, make_person):
    from ethics.recognition import nominations
    from tests.conftest import count_queries

    hr = signed_in(app, "hr")
    hr.get("/")  # the first request after signing in reads the account afresh (ethics/auth/services.py)
    counts = []
    for _ in range(2):
        for _n in range(10):
            nominations.nominate(live_round, make_person(org["units"]["dev_team"]), org["accounts"]["supervisor"].id,
                                 justified(live_round))
        db.session.commit()
        with count_queries() as statements:
            assert hr.get(f"/recognition/rounds/{live_round.id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_hr_edits_a_round_until_scoring_starts(client, auth, org, live_round):
    auth.login("hr")
    page = client.get(f"/recognition/rounds/{live_round.id}/edit")
    assert page.status_code == 200 and 'value="ครองจิต"' not in page.text
    ids = [c.id for c in live_round.criteria]
    data = round_form(**{"version": str(live_round.version), "criteria-0-id": str(ids[0]),
                         "criteria-1-id": str(ids[2]), "criteria-2-name": "ครองจิต",
                         "nominations_open": format_input_date(live_round.nominations_open),
                         "nominations_close": format_input_date(live_round.nominations_close)})
    data.pop("year")
    response = client.post(f"/recognition/rounds/{live_round.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    award_round = db.session.get(AwardRound, live_round.id)
    assert [(c.id, c.name) for c in award_round.criteria][:2] == [(ids[0], "ครองตน"), (ids[2], "ครองงาน")]
    assert award_round.criteria[2].name == "ครองจิต" and award_round.year == fiscal_year_of(local_now().date())
    stale = client.post(f"/recognition/rounds/{live_round.id}/edit", data=data)
    assert stale.status_code == 409


def test_hr_changes_rules_during_screening_and_sees_which_overrides_were_kept(client, auth, org, make_person):
    from tests.recognition.test_rules import _screened_with_an_override

    award_round, kept, other = _screened_with_an_override(org, make_person, {"no_disciplinary_flag": True})
    db.session.commit()
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    form = client.get(f"/recognition/rounds/{award_round.id}/edit").text
    assert "screens every nomination again" in form
    data = round_form(**{"version": str(award_round.version), "min_service_years": "", "position_levels": "",
                         "quota_total": "", "nominations_close": "31/01/2569",
                         **{f"criteria-{n}-{key}": "" for n in range(2) for key in ("name", "weight")}})
    for n, criterion in enumerate(award_round.criteria):
        data.update({f"criteria-{n}-id": str(criterion.id), f"criteria-{n}-name": criterion.name,
                     f"criteria-{n}-weight": "1", f"criteria-{n}-min_score": "0", f"criteria-{n}-max_score": "10"})
    data.pop("year")
    page = client.post(f"/recognition/rounds/{award_round.id}/edit", data=data, follow_redirects=True).text
    assert "2 nominations were screened again" in page
    assert f"Overrides kept because their rule did not change: {kept.person.full_name} (No open disciplinary flag)" in page
    db.session.expire_all()
    assert db.session.get(Nomination, other.id).status == NominationStatus.INELIGIBLE  # not a civil servant
    assert db.session.get(Nomination, kept.id).status == NominationStatus.ELIGIBLE
    scoring_started = client.get(f"/recognition/rounds/{award_round.id}").text
    assert "a change during screening screens every nomination again" in scoring_started

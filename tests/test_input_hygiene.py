"""Bad input of any kind gets a clear refusal or a 400/404 and changes nothing (ethics/core/text.py,
ethics/web/request_checks.py, ethics/web/form_fields.AppForm), and a fuzz pass over every route
with the values attackers and careless pastes send never meets a server error, on both engines."""
from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from ethics.core.extensions import db
from ethics.core.text import like_pattern, printable
from ethics.people.models import Person
from ethics.people.services import PeopleFilter, search_people
from ethics.plan.models import Activity, ManualEntry
from ethics.web.request_checks import YearConverter


def activity_id(code: str) -> int:
    return db.session.scalar(select(Activity.id).where(Activity.code == code))


HIDDEN = {"vertical tab": "สมชาย\x0bใจดี", "right-to-left override": "สมชาย\u202eใจดี", "bell": "ab\x07c"}


@pytest.mark.parametrize("value", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_name_with_hidden_characters_is_refused_with_a_message_and_nothing_saved(client, auth, org, value):
    auth.login("hr")
    before = db.session.scalar(select(func.count()).select_from(Person))
    response = client.post("/people/new", data={
        "citizen_id": "1101700203451", "first_name": value, "last_name": "ทดสอบ", "personnel_type": "civil_servant",
        "unit_id": org["units"]["dev"].id, "active": "y"})
    assert response.status_code == 422
    assert "อักขระควบคุม" in response.text  # the Thai message, next to the field
    assert db.session.scalar(select(func.count()).select_from(Person)) == before


def test_line_breaks_and_tabs_are_ordinary_in_multi_line_text_only(client, auth, org, make_plan_activity):
    make_plan_activity(2570, "1.1.1")
    auth.login("hr")
    activity = f"/plan/2570/activities/{activity_id('1.1.1')}"
    client.post(f"{activity}/entries", data={"entry_date": "01/11/2569", "value": "ค่า\tหนึ่ง"})
    client.post(f"{activity}/entries", data={"entry_date": "01/11/2569", "value": "12", "note": "บรรทัด 1\nบรรทัด 2"})
    assert db.session.scalar(select(func.count()).select_from(ManualEntry)) == 0  # one-line fields
    client.post(f"{activity}/result", data={"result_text": "บรรทัด 1\r\nบรรทัด\t2"})
    assert db.session.scalar(select(Activity.result_text)) == "บรรทัด 1\nบรรทัด\t2"


def test_text_longer_than_its_column_is_refused_not_cut(client, auth, org, make_plan_activity):
    make_plan_activity(2570, "1.1.1")
    auth.login("hr")
    client.post(f"/plan/2570/activities/{activity_id('1.1.1')}/entries", data={"entry_date": "01/11/2569", "value": "9" * 256})
    assert db.session.scalar(select(func.count()).select_from(ManualEntry)) == 0


def test_like_wildcards_are_literal_in_searches(app, org):
    assert like_pattern("50%_a\\") == "%50\\%\\_a\\\\%"
    hr = org["accounts"]["hr"]
    assert search_people(hr, PeopleFilter(q="%")).items == []  # nobody's name holds "%"; it once matched everyone
    assert search_people(hr, PeopleFilter(q="_")).items == []
    assert search_people(hr, PeopleFilter(q=org["people"]["me"].first_name)).items


@pytest.mark.parametrize("target", ["/\t/evil.example", "//evil.example", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "/\n/evil.example"])
def test_redirects_stay_on_this_site(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_local_redirect_is_kept(client):
    assert client.post("/language", data={"lang": "en", "next": "/training/sessions?fy=2570"}).headers["Location"] == \
        "/training/sessions?fy=2570"


@pytest.mark.parametrize("year", ["-1", "0", "1", "99999999", "25x0"])
def test_years_that_do_not_exist_are_not_found(client, auth, org, year):
    auth.login("hr")
    assert client.get(f"/training/sessions?fy={year}").status_code == 404
    assert client.get(f"/plan/{year}").status_code == 404


def test_a_nul_byte_is_a_bad_request_even_signed_out(client):
    assert client.get("/login?next=/\x00").status_code == 400
    assert client.post("/login", data={"username": "a\x00b", "password": "x"}).status_code == 400


def test_documents_leave_out_characters_stored_before_they_were_refused(app):
    assert printable("ab\u202ecd\x0bef\nok\t") == "abcdef\nok\t"


# --- fuzz ------------------------------------------------------------------------------------

FUZZ = ["\x00", "สม\x0bชาย", "\u202eเอกสาร", "-1", "0", "99999999", "%_%", "x" * 5000, "25x0", "/\t/evil.example"]


@pytest.fixture
def province(load_demo, make_account):
    """The demo province (sessions, plan, survey, awards) and an account holding every role."""
    load_demo(people_count=80)
    person = db.session.scalars(select(Person)).first()
    make_account("fuzzer", ("admin", "hr", "supervisor", "committee", "employee"), person=person,
                 supervised=[person.unit])
    db.session.commit()


def routes(app) -> list[tuple[str, str]]:
    """(method, URL) of every route, its ids filled with 1 and its year with the demo's."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in ("static", "auth.logout") or rule.endpoint.startswith("vendor"):
                continue
            values = {}
            for name, converter in rule._converters.items():
                values[name] = 2570 if isinstance(converter, YearConverter) else (
                    1 if isinstance(converter, IntegerConverter) else "xlsx" if name == "fmt" else "x")
            url = url_for(rule.endpoint, **values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((method, url))
    return found


def form_field_names(app) -> set[str]:
    """Every field name any form of the application reads."""
    with app.test_request_context():
        names = {"q", "fy", "page", "next", "lang", "present", "code", "reason", "comment", "goto", "person", "view",
                 "digits", "action", "target"}
        for form_class in _all_form_classes():
            names |= {field.name for field in form_class(meta={"csrf": False})}
    return names


def _all_form_classes():
    from ethics.web.form_fields import AppForm

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return [cls for cls in walk(AppForm) if not cls.__name__.startswith("_")]


def test_no_route_answers_a_server_error_to_hostile_values(app, client, auth, province):
    auth.login("fuzzer")
    fields = form_field_names(app)
    failures = []
    for method, url in routes(app):
        for value in FUZZ:
            if method == "GET":
                response = client.get(url, query_string={name: value for name in ("q", "fy", "page", "next", "view")})
            else:
                response = client.post(url, data={name: value for name in fields})
            if response.status_code >= 500:
                failures.append((method, url, value[:20], response.status_code))
            if re.search(r"/logout|/login", response.headers.get("Location", "")):
                auth.login("fuzzer")  # a change of password or roles signed the fuzzer out: go on
    assert failures == []


def test_an_import_refuses_hidden_characters_row_by_row_and_writes_nothing(app, org):
    from ethics.importing.services import REGISTRY, run

    header = "citizen_id,first_name,last_name,personnel_type,unit_code"
    rows = ["1101700203451,สม\u202eชาย,ใจดี,civil_servant,DEV", "1101700203460,สมหญิง,ใจ\x0bดี,civil_servant,DEV",
            "1101700203478,หลาย\nบรรทัด,ได้,civil_servant,DEV"]
    data = "\n".join([header, *(f'"{r.split(",")[0]}","{r.split(",")[1]}","{r.split(",")[2]}",civil_servant,DEV'
                                for r in rows)]).encode()
    before = db.session.scalar(select(func.count()).select_from(Person))
    plan = run(REGISTRY["roster"], "roster.csv", data, {"by_admin": True}, apply=True)
    assert [(error.row, error.column) for error in plan.errors] == [(2, "first_name"), (3, "last_name")]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Person)) == before


def test_exports_leave_out_hidden_characters_stored_before(tmp_path):
    from openpyxl import load_workbook

    from ethics.core.spreadsheets import write_xlsx

    path = tmp_path / "out.xlsx"
    write_xlsx(path, ["name"], [["สมชาย\x0bใจดี"], ["\u202eกลับด้าน"]])  # a vertical tab once made openpyxl fail
    assert [row[0] for row in load_workbook(path).active.iter_rows(min_row=2, values_only=True)] == \
        ["สมชายใจดี", "กลับด้าน"]


def test_an_id_too_large_for_the_database_is_not_found(client, auth, org):
    """A forged id beyond the id columns never reaches the database (which would answer with an error)."""
    auth.login("hr")
    huge = str(2**31)  # one more than the id columns hold on PostgreSQL
    for path in (f"/survey/campaigns/{huge}/results", f"/training/sessions/{huge}", f"/people/{huge}",
                 f"/api/v1/plans/2570/snapshots/{huge}"):
        assert client.get(path).status_code == 404, path

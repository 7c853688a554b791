from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.people.models import Person, Unit
from tests.conftest import citizen_id, count_queries


def search(client, **args):
    return client.get("/people", query_string={"status": "active", "sort": "name", **args})


def test_search_by_name_and_citizen_id_prefix(client, auth, org):
    auth.login("hr")
    assert "ในสังกัด" in search(client, q="ในสังกัด").text
    outside = org["people"]["outside"]
    response = client.post("/people", data={"q": outside.citizen_id[:12], "status": "active"})
    assert "นอกสังกัด" in response.text and "ในสังกัด" not in response.text
    assert outside.citizen_id not in response.text  # masked in the list


def test_filters_unit_subtree_type_and_status(client, auth, org, make_person):
    make_person(org["units"]["dev_team"], first_name="ลูกจ้าง", personnel_type="temporary_employee")
    make_person(org["units"]["dev_team"], first_name="ลาออก", active=False)
    auth.login("hr")
    dev = search(client, unit_id=org["units"]["dev"].id).text
    assert "ในสังกัด" in dev and "นอกสังกัด" not in dev and "ลาออก" not in dev
    assert "ลูกจ้าง" in search(client, personnel_type="temporary_employee").text
    assert "หัวหน้า" not in search(client, personnel_type="temporary_employee").text
    assert "ลาออก" in search(client, status="inactive").text


def test_htmx_search_returns_only_the_results_fragment(htmx_client, org):
    htmx_client.post("/login", data={"username": "hr", "password": "correct-horse-battery"})
    response = htmx_client.get("/people", query_string={"q": "หัวหน้า", "status": "active", "sort": "name"})
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_pagination_and_bounded_queries(app, client, auth, org, make_unit):
    unit = make_unit("BIG")
    db.session.add_all([Person(citizen_id=citizen_id(500000 + n), first_name=f"คน{n:03d}", last_name="มาก",
                               personnel_type="civil_servant", unit=unit, active=True) for n in range(120)])
    db.session.commit()
    auth.login("hr")
    client.get("/")  # the first request after signing in reads the account afresh (ethics/auth/services.py)
    with count_queries() as small:
        search(client, unit_id=org["units"]["dev"].id)
    with count_queries() as big:
        page = search(client, unit_id=unit.id, page=3)
    assert "120" in page.text and "คน050" in page.text and "คน049" not in page.text
    assert len(big) == len(small) <= 10


def test_supervisor_sees_only_their_units(client, auth, org):
    auth.login("supervisor")
    listing = search(client).text
    assert "ในสังกัด" in listing and "นอกสังกัด" not in listing
    assert client.get(f"/people/{org['people']['inside'].id}").status_code == 200
    assert client.get(f"/people/{org['people']['outside'].id}").status_code == 404
    assert client.get("/people/999999").status_code == 404


def test_employee_cannot_look_people_up(client, auth, org):
    auth.login("employee")
    assert client.get(f"/people/{org['people']['me'].id}").status_code == 403
    assert search(client).status_code == 403
    me = client.get("/me")
    assert me.status_code == 200 and org["people"]["me"].masked_citizen_id in me.text


def test_revealing_a_citizen_id_is_logged(client, auth, org):
    auth.login("hr")
    person = org["people"]["outside"]
    page = client.get(f"/people/{person.id}")
    assert person.citizen_id not in page.text and person.masked_citizen_id in page.text
    revealed = client.post(f"/people/{person.id}/citizen-id")
    assert person.citizen_id[5:10] in revealed.text
    assert revealed.headers["Cache-Control"] == "no-store"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.citizen_id_revealed"))
    assert entry.actor_label == "hr" and entry.target_id == str(person.id)


def person_form(person, **changes):
    data = {"title": person.title, "first_name": person.first_name, "last_name": person.last_name,
            "personnel_type": person.personnel_type, "unit_id": person.unit_id, "position": "",
            "position_level": "", "email": "", "supervisor_id": person.supervisor_id or "",
            "service_start_date": "", "active": "y", "version": person.version}
    data.update(changes)
    return data


def test_edit_person_with_be_date_and_audit(client, auth, org):
    auth.login("hr")
    person = org["people"]["inside"]
    response = client.post(f"/people/{person.id}/edit", data=person_form(person, position="นักทรัพยากรบุคคล",
                                                                           service_start_date="01/10/2569"))
    assert response.status_code == 302
    assert person.position == "นักทรัพยากรบุคคล" and person.service_start_date.isoformat() == "2026-10-01"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.update"))
    assert entry.details["after"]["position"] == "นักทรัพยากรบุคคล"
    assert entry.details["before"]["service_start_date"] is None


def test_second_save_of_a_stale_form_gets_409(client, auth, org):
    auth.login("hr")
    person = org["people"]["inside"]
    stale = person_form(person, position="A")
    assert client.post(f"/people/{person.id}/edit", data=stale).status_code == 302
    response = client.post(f"/people/{person.id}/edit", data={**stale, "position": "B"})
    assert response.status_code == 409
    assert person.position == "A"


@pytest.mark.parametrize("changes, message", [
    ({"citizen_id": "1234567890123"}, "check digit"),
    ({"service_start_date": "31/02/2569"}, "Enter a real date"),
    ({"first_name": ""}, "required"),
    ({"email": "not-an-email"}, "email"),
    ({"unit_id": "999999"}, "Not a valid choice"),
    ({"supervisor_id": "999999"}, "supervisor"),
])
def test_bad_input_is_explained_and_changes_nothing(client, auth, org, changes, message):
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    person = org["people"]["inside"]
    before = (person.first_name, person.citizen_id, person.version)
    response = client.post(f"/people/{person.id}/edit", data=person_form(person, **changes))
    assert response.status_code == 422
    assert message.lower() in response.text.lower()
    assert (person.first_name, person.citizen_id, person.version) == before


def test_bad_input_message_in_thai_by_default(client, auth, org):
    auth.login("hr")
    person = org["people"]["inside"]
    response = client.post(f"/people/{person.id}/edit", data=person_form(person, citizen_id="1234567890123"))
    assert "เลขประจำตัวประชาชนไม่ถูกต้อง" in response.text


def test_create_person(client, auth, org):
    auth.login("hr")
    new_id = citizen_id(777777)
    response = client.post("/people/new", data={"citizen_id": new_id, "title": "นาง", "first_name": "ใหม่",
                                                "last_name": "ล่าสุด", "personnel_type": "government_employee",
                                                "unit_id": org["units"]["audit"].id, "active": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(Person).where(Person.citizen_id == new_id)).first_name == "ใหม่"


def test_duplicate_citizen_id_is_refused(client, auth, org):
    auth.login("hr")
    response = client.post("/people/new", data={"citizen_id": org["people"]["me"].citizen_id, "first_name": "ซ้ำ",
                                                "last_name": "ซ้ำ", "personnel_type": "civil_servant",
                                                "unit_id": org["units"]["audit"].id, "active": "y"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Person).where(Person.first_name == "ซ้ำ")) == 0


def test_unit_cannot_move_under_its_own_subunit(client, auth, org):
    auth.login("hr")
    dev = org["units"]["dev"]
    response = client.post(f"/units/{dev.id}/edit", data={"code": "DEV", "name_th": dev.name_th,
                                                          "parent_id": org["units"]["dev_team"].id,
                                                          "version": dev.version})
    assert response.status_code == 422
    assert dev.parent_id == org["units"]["province"].id


def test_create_and_rename_unit(client, auth, org):
    auth.login("hr")
    new_unit = {"code": "NEW", "name_th": "ใหม่", "parent_id": org["units"]["province"].id}
    assert client.post("/units/new", data=new_unit).status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "NEW"))
    assert unit.parent.code == "PROV"
    assert client.post(f"/units/{unit.id}/edit", data={"code": "NEW", "name_th": "ชื่อใหม่", "parent_id": "",
                                                       "version": unit.version}).status_code == 302
    assert unit.name_th == "ชื่อใหม่" and unit.parent_id is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roster_export_download(client, auth, org, fmt):
    auth.login("hr")
    response = client.get(f"/people/export.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    if fmt == "csv":
        assert org["people"]["inside"].citizen_id in body.decode("utf-8-sig")
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.roster")) is not None

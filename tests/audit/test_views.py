from __future__ import annotations

from ethics.audit.services import record
from ethics.core.extensions import db


def test_admin_browses_and_filters_the_log(client, auth, org):
    for n in range(60):
        record("person.update", number=n)
    record("unit.create", code="ZZZ")
    db.session.commit()
    auth.login("admin")
    page = client.get("/audit")
    assert page.status_code == 200 and "auth.login" in page.text
    filtered = client.get("/audit?action=unit.")
    assert "unit.create" in filtered.text and "person.update" not in filtered.text
    second = client.get("/audit?action=person.&page=2")
    assert "person.update" in second.text and "หน้า 2 จาก 2" in second.text
    by_actor = client.get("/audit?actor=admin&action=auth.")
    assert "auth.login" in by_actor.text and "person.update" not in by_actor.text


def test_bad_date_filter_is_explained(client, auth, org):
    client.set_cookie("ethics_lang", "en")
    auth.login("admin")
    response = client.get("/audit?from=31/02/2569")
    assert response.status_code == 422 and "Enter a real date" in response.text


def test_date_filter_in_buddhist_era(client, auth, org):
    auth.login("admin")
    assert "auth.login" in client.get("/audit?from=01/01/2560&to=31/12/2600").text
    assert "auth.login" not in client.get("/audit?to=31/12/2560").text


def test_denied_access_is_logged(client, auth, org):
    auth.login("employee")
    assert client.get("/audit").status_code == 403
    auth.login("admin")
    log = client.get("/audit?action=access.denied").text
    assert "/audit" in log and "employee" in log

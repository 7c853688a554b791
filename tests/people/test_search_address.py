"""The people list keeps its search and filters in its address (GET), so Back, reload and a shared
link give the same list; a search that may hold a citizen ID stays out of every address."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from ethics.core.extensions import db
from ethics.people.forms import kept_out_of_addresses
from ethics.people.models import Person
from tests.conftest import citizen_id


@pytest.mark.parametrize("search, kept_out", [
    ("", False), ("สมชาย", False), ("ศูนย์พัฒนา", False), ("Development", False),
    ("1101", True), ("x-1101-7", True), ("๑๑๐๑", True), ("DEV 1", True),
])
def test_a_search_with_a_digit_is_kept_out_of_addresses(search, kept_out):
    assert kept_out_of_addresses(search) is kept_out


def test_a_shared_address_gives_the_same_list_and_the_same_form(client, auth, org):
    auth.login("hr")
    address = f"/people?q=นอกสังกัด&unit_id={org['units']['audit'].id}&status=all&sort=-name"
    page = client.get(address).text
    assert "นอกสังกัด" in page and "ในสังกัด" not in page
    assert 'value="นอกสังกัด"' in page
    assert f'<option selected value="{org["units"]["audit"].id}">' in page or \
        f'<option value="{org["units"]["audit"].id}" selected>' in page
    assert '<option selected value="all">' in page or '<option value="all" selected>' in page
    assert without_tokens(client.get(address).text) == without_tokens(page)  # reload


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens, which carry the second they were made in."""
    return re.sub(r'csrf_token[^>]*?value="[^"]*"|"X-CSRFToken": "[^"]*"', "csrf", page)


def test_the_form_searches_by_get_and_htmx_follows_in_the_address(client, auth, org):
    auth.login("hr")
    page = client.get("/people").text
    form = page[page.index('<form method="get" action="/people" id="people-search"'):]
    form = form[:form.index(">")]
    assert 'hx-get="/people"' in form and 'hx-push-url="true"' in form and "hx-post" not in form


def test_the_old_post_is_sent_to_the_address_with_the_same_search(client, auth, org, make_unit):
    unit = make_unit("BIG")
    db.session.add_all([Person(citizen_id=citizen_id(700000 + n), first_name=f"ผู้ใด{n:03d}", last_name="มาก",
                               personnel_type="civil_servant", unit=unit, active=True) for n in range(60)])
    db.session.commit()
    auth.login("hr")
    response = client.post("/people", data={"q": "ผู้ใด", "unit_id": str(unit.id), "personnel_type": "",
                                            "status": "active", "sort": "name", "goto": "2", "csrf_token": "x"})
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == "/people"
    assert parse_qs(location.query) == {"q": ["ผู้ใด"], "unit_id": [str(unit.id)], "status": ["active"],
                                        "sort": ["name"], "page": ["2"]}
    second = client.get(response.headers["Location"]).text
    assert "ผู้ใด025" in second and "ผู้ใด024" not in second and 'name="page" value="1"' in second


def test_a_citizen_id_search_is_answered_where_it_was_posted(client, auth, org, make_unit):
    unit = make_unit("IDS")
    db.session.add_all([Person(citizen_id=citizen_id(990000 + n), first_name=f"เลข{n:03d}", last_name="ตรง",
                               personnel_type="civil_servant", unit=unit, active=True) for n in range(60)])
    db.session.commit()
    auth.login("hr")
    prefix = citizen_id(990000)[:8]
    response = client.post("/people", data={"q": prefix, "status": "active", "page": "2"})
    assert response.status_code == 200 and "Location" not in response.headers
    assert "เลข025" in response.text and "เลข024" not in response.text
    # Its pages are posted too, so the digits never reach an address.
    assert 'name="page" value="1" class="secondary outline" formmethod="post"' in response.text


def test_a_bad_search_in_the_address_is_refused_with_its_reason(client, auth, org):
    auth.login("hr")
    response = client.get("/people", query_string={"q": "x" * 101})
    assert response.status_code == 422
    assert "ยาวได้ไม่เกิน 100 ตัวอักษร" in response.text

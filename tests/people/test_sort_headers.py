"""The people list is paginated, so it sorts on the server: its column headers link to the same list
sorted by their column, with its other filters, and mark the active column with aria-sort."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest


@pytest.fixture
def branch(make_unit, make_person):
    """Units whose names sort the other way round from their people's names, one whose code sorts
    first although its Thai name sorts last, and one whose English name sorts first although its
    code and Thai name do not."""
    root = make_unit("SORT", "สาขาเรียง")
    make_person(make_unit("SORT-Z", "หน่วยท้าย", parent=root, name_en="Alpha"), first_name="กมล")
    make_person(make_unit("SORT-A", "หน่วยต้น", parent=root), first_name="ฮานา")
    make_person(make_unit("SORT-0", "หน่วยหลัง", parent=root), first_name="ชล")
    return root


def header_link(page: str, key: str) -> str:
    return unescape(re.search(rf'<a href="([^"]+)"\s+class="sort" data-testid="sort-{key}">', page).group(1))


def sorted_column(page: str) -> tuple[str, str]:
    """(the active column's way, its header's text)."""
    way, text = re.search(r'<th scope="col" aria-sort="(\w+)">(.*?)</th>', page, re.S).groups()
    return way, re.sub(r"<[^>]+>", "", text).strip()


def test_the_headers_carry_the_filters_and_set_the_sort(client, auth, org, branch):
    auth.login("hr")
    page = client.get("/people", query_string={"q": "า", "unit_id": branch.id, "personnel_type": "civil_servant",
                                               "status": "all", "sort": "name", "page": "1"}).text
    filters = {"q": ["า"], "unit_id": [str(branch.id)], "personnel_type": ["civil_servant"], "status": ["all"]}
    for key, sort in (("name", "-name"), ("unit", "unit"), ("type", "type")):  # the active name turns round
        address = urlsplit(header_link(page, key))
        assert address.path == "/people"
        assert parse_qs(address.query) == {**filters, "sort": [sort]}  # back to the first page
    assert sorted_column(page) == ("ascending", "ชื่อ-นามสกุล")
    assert page.count("aria-sort=") == 1


def test_following_a_header_gives_the_sorted_list(client, auth, org, branch):
    auth.login("hr")
    by_name = client.get("/people", query_string={"unit_id": branch.id}).text
    assert by_name.index("กมล") < by_name.index("ฮานา")

    by_unit = client.get(header_link(by_name, "unit")).text
    assert by_unit.index("ฮานา") < by_unit.index("กมล") < by_unit.index("ชล")  # by the unit names shown, not codes
    assert sorted_column(by_unit) == ("ascending", "หน่วยงาน")
    assert "นอกสังกัด" not in by_unit  # still the branch alone

    by_name_again = client.get(header_link(by_unit, "name")).text
    assert sorted_column(by_name_again) == ("ascending", "ชื่อ-นามสกุล")
    backwards = client.get(header_link(by_name_again, "name")).text
    assert backwards.index("ฮานา") < backwards.index("กมล")
    assert sorted_column(backwards) == ("descending", "ชื่อ-นามสกุล")
    assert '<option selected value="-name">' in backwards or '<option value="-name" selected>' in backwards


def test_the_unit_column_sorts_by_the_names_it_shows_in_english_too(client, auth, org, branch):
    auth.login("hr")
    client.post("/language", data={"lang": "en", "next": "/people"})
    by_unit = client.get("/people", query_string={"unit_id": branch.id, "sort": "unit"}).text
    assert by_unit.index("กมล") < by_unit.index("ฮานา") < by_unit.index("ชล")  # "Alpha", then the Thai names


def test_a_posted_citizen_id_search_puts_no_header_in_an_address(client, auth, org):
    auth.login("hr")
    prefix = org["people"]["outside"].citizen_id[:8]
    page = client.post("/people", data={"q": prefix, "status": "active", "sort": "unit"}).text
    assert "นอกสังกัด" in page and 'class="sort"' not in page and not re.search(f'href="[^"]*{prefix}', page)
    assert sorted_column(page) == ("ascending", "หน่วยงาน")


@pytest.mark.parametrize("crafted", [{"endpoint": "x"}, {"_method": "DELETE"}, {"_external": "1", "_scheme": "https"},
                                     {"_anchor": "top"}])
def test_an_address_with_url_fors_own_names_lists_as_usual_with_plain_links(client, auth, org, branch, crafted):
    auth.login("hr")
    response = client.get("/people", query_string={"q": "า", **crafted})
    assert response.status_code == 200
    link = header_link(response.text, "unit")
    assert link.startswith("/people?") and "#" not in link and parse_qs(urlsplit(link).query) == {"q": ["า"], "sort": ["unit"]}


def test_the_pages_of_a_list_ignore_url_fors_own_names(client, auth, org, make_account):
    for number in range(60):
        make_account(f"paged{number:02d}")
    auth.login("admin")
    response = client.get("/accounts", query_string={"endpoint": "x", "_external": "1", "_anchor": "top"})
    assert response.status_code == 200
    (following,) = re.findall(r'<nav class="pagination".*?<a href="([^"]+)"', response.text, re.S)
    assert unescape(following).startswith("/") and "#" not in following and "endpoint" not in following

"""The top navigation marks the section the page belongs to (aria-current="page"), decided by the
page's endpoint, then its blueprint, then a link standing in for a section not shown."""
from __future__ import annotations

import pytest
from lxml import html

from ethics.web.navigation import NavLink, current_link
from tests.conftest import PASSWORD

MINE = NavLink("training.mine", "My trainings", owns=["training.mine", "training.check_in"], stands_for=["training"])
SESSIONS = NavLink("training.sessions", "Training sessions", roles=["hr"], owns=["training"])
PEOPLE = NavLink("people.people", "People", owns=["people", "auth.accounts"])
ME = NavLink("people.me", "me", owns=["people.me"], group="account")


@pytest.mark.parametrize(("links", "endpoint", "expected"), [
    ([MINE, SESSIONS, PEOPLE, ME], "people.me", ME),  # its endpoint, though People owns the blueprint
    ([MINE, SESSIONS, PEOPLE, ME], "people.person", PEOPLE),  # its blueprint
    ([MINE, SESSIONS, PEOPLE, ME], "auth.accounts", PEOPLE),  # an endpoint of another blueprint
    ([MINE, SESSIONS, PEOPLE, ME], "training.session", SESSIONS),  # the blueprint's owner, not the stand-in
    ([MINE, PEOPLE, ME], "training.session", MINE),  # Training sessions not shown: My trainings stands for it
    ([MINE, SESSIONS, PEOPLE, ME], "training.check_in", MINE),
    ([MINE, SESSIONS, PEOPLE, ME], "audit.log", None),  # no link for it
    ([MINE, SESSIONS, PEOPLE, ME], None, None),  # no endpoint: a 404
])
def test_the_current_link_is_the_endpoints_then_the_blueprints_then_a_stand_in(links, endpoint, expected):
    assert current_link(links, endpoint) is expected


def marked(client, url: str) -> list[tuple[str, str]]:
    """(href, text) of each navigation link marked current on the page at `url`."""
    response = client.get(url)
    assert response.status_code == 200, url
    tree = html.fromstring(response.get_data(as_text=True))
    return [(a.get("href"), a.text_content().strip()) for a in tree.xpath("//nav[@class='site']//a[@aria-current='page']")]


@pytest.fixture
def session_id(org, make_session):
    return make_session().id


@pytest.mark.parametrize(("username", "url", "expected"), [
    ("hr", "/training/sessions/{session}", ("/training/sessions", "Training sessions")),
    ("employee", "/training/sessions/{session}", ("/training/", "My trainings")),
    ("employee", "/training/check-in", ("/training/", "My trainings")),
    ("hr", "/people", ("/people", "People")),
    ("hr", "/accounts", ("/people", "People")),
    ("hr", "/me", ("/me", "hr")),
    ("supervisor", "/training/team", ("/training/team", "My team")),
    ("employee", "/survey/", ("/survey/", "Survey")),
    ("hr", "/survey/", ("/survey/campaigns", "Survey")),
    ("admin", "/audit", ("/audit", "Audit log")),
])
def test_each_page_marks_exactly_its_sections_link(app, session_id, username, url, expected):
    client = app.test_client()
    client.set_cookie("ethics_lang", "en")
    client.post("/login", data={"username": username, "password": PASSWORD})
    assert marked(client, url.format(session=session_id)) == [expected]


def test_the_administration_menu_says_when_the_page_is_in_it_and_the_home_page_marks_nothing(app, org):
    client = app.test_client()
    client.set_cookie("ethics_lang", "en")
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert [s.text_content().strip() for s in current_menu(client, "/mail")] == ["Administration"]
    assert marked(client, "/") == [] and current_menu(client, "/") == []


def current_menu(client, url: str) -> list:
    tree = html.fromstring(client.get(url).get_data(as_text=True))
    return tree.xpath("//details[contains(@class, 'admin-menu')]/summary[@class='current']")

"""A person's page: tabs that work without JavaScript (htmx swaps them in place), each showing only
what its reader may see, in a bounded number of queries."""
from __future__ import annotations

import re
from datetime import date

import pytest

from ethics.core.extensions import db
from ethics.people.discipline import open_flag
from ethics.recognition import nominations, rounds, scoring
from ethics.recognition.models import ConflictKind
from ethics.training import attendance, results
from ethics.training.registrations import register
from tests.conftest import PASSWORD, count_queries
from tests.recognition.conftest import open_round, submit_all


def signed_in(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    client.get("/")  # the first request after signing in reads the account afresh
    return client


def page(client, person, tab=None):
    response = client.get(f"/people/{person.id}", query_string={"tab": tab} if tab else {})
    assert response.status_code == 200
    return response.text


def tab_links(text) -> dict[str, str]:
    """Each tab's key -> its aria-selected."""
    return dict(re.findall(r'<a role="tab" id="tab-(\w+)"[^>]*aria-selected="(\w+)"', text))


def passed(make_session, person, first_day=date(2026, 12, 1)):
    """A closed session the person attended and passed, with its certificate."""
    session = make_session(first_day=first_day)
    register(session.id, person, first_day)
    attendance.mark(session.id, person.id, session.days[0].id, True)
    results.close(session, first_day)
    db.session.commit()
    return session


def test_tabs_are_links_with_the_chosen_one_selected(app, org):
    hr = signed_in(app, "hr")
    person = org["people"]["inside"]
    assert tab_links(page(hr, person)) == {"details": "true", "trainings": "false", "recognition": "false",
                                           "flags": "false"}
    trainings = page(hr, person, "trainings")
    assert tab_links(trainings)["trainings"] == "true" and tab_links(trainings)["details"] == "false"
    assert f'href="/people/{person.id}?tab=trainings"' in trainings
    assert 'data-testid="panel-trainings"' in trainings and person.masked_citizen_id not in trainings
    assert 'data-testid="panel-details"' in page(hr, person, "nonsense")


@pytest.mark.parametrize("tab", ["details", "trainings", "recognition", "flags"])
def test_htmx_swaps_only_the_tabs_and_their_panel(app, org, tab):
    client = app.test_client()
    client.post("/login", data={"username": "hr", "password": PASSWORD})
    response = client.get(f"/people/{org['people']['inside'].id}?tab={tab}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="person-tabs">') and "<html" not in response.text
    assert f'data-testid="panel-{tab}"' in response.text


def test_flags_are_for_hr_only(app, org):
    person = org["people"]["inside"]
    open_flag(person, date(2026, 1, 1), "สอบข้อเท็จจริง")
    db.session.commit()
    assert "สอบข้อเท็จจริง" in page(signed_in(app, "hr"), person, "flags")
    supervisor = signed_in(app, "supervisor")
    asked = page(supervisor, person, "flags")
    assert "flags" not in tab_links(asked) and 'data-testid="panel-details"' in asked
    assert "สอบข้อเท็จจริง" not in asked


def test_trainings_link_only_the_certificates_the_reader_may_open(app, org, make_session):
    inside, boss = org["people"]["inside"], org["people"]["boss"]
    passed(make_session, inside)
    passed(make_session, boss)
    hr_view = page(signed_in(app, "hr"), inside, "trainings")
    assert hr_view.count('data-testid="certificate-link"') == 1 and "ผ่าน" in hr_view
    supervisor = signed_in(app, "supervisor")
    theirs = page(supervisor, inside, "trainings")
    assert "ผ่าน" in theirs and 'data-testid="certificate-link"' not in theirs  # the holder's and HR's alone
    own = page(supervisor, boss, "trainings")
    link = re.search(r'href="(/training/certificates/\d+\.pdf)" data-testid="certificate-link"', own).group(1)
    assert supervisor.get(link).status_code == 200


def test_nominations_follow_each_rounds_rule_and_awards_show(app, org, make_person):
    inside, outside = org["people"]["inside"], org["people"]["outside"]
    chair = org["accounts"]["committee"]
    # An announced round where HR nominated `outside`, then in another unit, and it won.
    old = open_round(2568, quota_total=1)
    (won,) = submit_all(old, [outside], org["accounts"]["hr"].id)
    rounds.add_member(old, chair, is_chair=True)
    rounds.start_screening(old)
    rounds.start_scoring(old)
    scoring.declare(won, chair, ConflictKind.NONE, "")
    scoring.save_scores(won, chair, {c.id: (8, "") for c in old.criteria})
    scoring.finalise(old, chair)
    rounds.announce(old, date(2025, 2, 1))
    # This year's round: the supervisor's draft for `outside`, now moved into their unit, and one for `inside`.
    this_year = open_round(2569)
    outside.unit_id = org["units"]["dev_team"].id
    nominations.nominate(this_year, outside, org["accounts"]["supervisor"].id, {})
    nominations.nominate(this_year, inside, org["accounts"]["supervisor"].id, {})
    db.session.commit()

    hr_view = page(signed_in(app, "hr"), outside, "recognition")
    assert hr_view.count(f'href="/recognition/nominations/{won.id}"') == 1
    assert old.title in hr_view and this_year.title in hr_view
    assert f'href="/recognition/nominations/{won.id}/certificate.pdf"' in hr_view
    supervisor_view = page(signed_in(app, "supervisor"), outside, "recognition")
    awards = re.search(r'data-testid="awards">.*?</ul>', supervisor_view, re.S).group(0)
    assert old.title in awards  # announced: public
    assert f"/recognition/nominations/{won.id}" not in supervisor_view  # nominated by HR, in another unit then
    assert this_year.title in supervisor_view and "ในสังกัด" not in supervisor_view


@pytest.mark.parametrize("tab", ["details", "trainings", "recognition", "flags"])
def test_each_tab_runs_the_same_queries_whatever_the_history(app, org, make_session, make_person, tab):
    few = org["people"]["inside"]
    many = make_person(org["units"]["dev_team"], supervisor=org["people"]["boss"])
    passed(make_session, few)
    for day in range(1, 6):
        passed(make_session, many, date(2026, 12, day))
    for year in (2566, 2567, 2568):
        nominations.nominate(open_round(year), many, org["accounts"]["hr"].id, {})
        open_flag(many, date(2026, 1, year - 2565), "เรื่อง")
    db.session.commit()
    hr = signed_in(app, "hr")
    page(hr, few, tab)
    with count_queries() as small:
        page(hr, few, tab)
    with count_queries() as big:
        page(hr, many, tab)
    assert len(big) == len(small) <= 20, "\n\n".join(big)

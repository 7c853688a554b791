"""The nominee is chosen with the searchable person picker (issue 19): no default, each person shown
with position and unit, only people the nominator may nominate; a GET search step without
JavaScript, a type-ahead list with it."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.people.picker import SHOWN
from ethics.recognition import nominations
from ethics.recognition.models import Nomination
from tests.recognition.test_views import live_round, nomination_form, signed_in  # noqa: F401  # fixture


def radios(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="person_id" value="(\d+)"( checked)?>', html)


def test_the_form_offers_the_nominators_people_with_position_and_unit_and_no_default(app, org, live_round,  # noqa: F811
                                                                                     make_person):
    twin_a = make_person(org["units"]["dev_team"], first_name="สมศรี", last_name="ใจดี", position="นักทรัพยากรบุคคล")
    twin_b = make_person(org["units"]["dev"], first_name="สมศรี", last_name="ใจดี", position="เจ้าพนักงานธุรการ")
    page = signed_in(app, "supervisor").get(f"/recognition/rounds/{live_round.id}/nominate").text
    assert '<select id="person_id"' not in page and 'data-testid="person-picker"' in page
    offered = radios(page)
    assert offered and not any(checked for _id, checked in offered)  # nothing chosen for the user
    ids = {int(i) for i, _checked in offered}
    assert {twin_a.id, twin_b.id} <= ids and org["people"]["outside"].id not in ids
    assert org["people"]["boss"].id not in ids  # not oneself: nominations.nominable_people's rule
    assert f"{twin_a.full_name}</strong> · นักทรัพยากรบุคคล · งานฝึกอบรม" in page  # the twins told apart
    assert f"{twin_b.full_name}</strong> · เจ้าพนักงานธุรการ · ศูนย์พัฒนา" in page


def test_without_javascript_the_search_is_a_get_step(app, org, live_round, make_person):  # noqa: F811
    wanted = make_person(org["units"]["dev_team"], first_name="วิไลวรรณ")
    client = signed_in(app, "supervisor")
    page = client.get(f"/recognition/rounds/{live_round.id}/nominate?q=วิไล").text
    assert [int(i) for i, _c in radios(page)] == [wanted.id] and 'value="วิไล"' in page
    assert '<form id="person_id-search" method="get" hidden>' in page and 'form="person_id-search"' in page
    nobody = client.get(f"/recognition/rounds/{live_round.id}/nominate?q=นอกสังกัด").text  # outside their units
    assert radios(nobody) == [] and "No one you may choose matches" in nobody


def test_the_type_ahead_endpoint_lists_only_the_sources_people(app, org, make_person):
    make_person(org["units"]["dev_team"], first_name="ประภา", position="นักวิชาการ")
    client = signed_in(app, "supervisor")
    answer = client.get("/people/picker/?source=nominable&q=นัก วิชา&name=person_id", headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "<html" not in answer.text
    assert "ประภา" in answer.text and len(radios(answer.text)) == 1
    assert radios(client.get("/people/picker/?source=nominable&q=นอกสังกัด").text) == []
    assert client.get("/people/picker/?source=everyone&q=a").status_code == 404
    assert app.test_client().get("/people/picker/?source=nominable&q=a").status_code in (302, 401)


def test_a_long_roster_is_cut_to_a_page_with_a_hint(app, org, make_person):
    for _ in range(SHOWN + 1):
        make_person(org["units"]["dev_team"], first_name="ซ้ำ")
    answer = signed_in(app, "hr").get("/people/picker/?source=nominable&q=ซ้ำ").text
    assert len(radios(answer)) == SHOWN and 'data-testid="person-more"' in answer


def test_a_refused_nomination_keeps_the_person_chosen(app, org, live_round):  # noqa: F811
    client = signed_in(app, "supervisor")
    url = f"/recognition/rounds/{live_round.id}/nominate"
    missing = client.post(url, data=nomination_form(live_round))
    assert missing.status_code == 422 and "Choose the person to nominate." in missing.text
    inside = org["people"]["inside"]
    nominations.nominate(live_round, inside, org["accounts"]["hr"].id, {})
    db.session.commit()
    again = client.post(f"{url}?q=nothing-matches", data=nomination_form(live_round, inside.id))
    assert again.status_code == 422 and "already nominated" in again.text
    assert (str(inside.id), " checked") in radios(again.text)
    assert db.session.scalars(select(Nomination.nominated_by)).all() == [org["accounts"]["hr"].id]


@pytest.mark.parametrize("username", ["supervisor", "hr"])
def test_submit_sits_beside_the_evidence_upload(app, org, live_round, username):  # noqa: F811
    nomination = nominations.nominate(live_round, org["people"]["inside"], org["accounts"][username].id, {})
    db.session.commit()
    page = signed_in(app, username).get(f"/recognition/nominations/{nomination.id}").text
    evidence = page.split('data-testid="evidence"')[1].split("</section>")[0]
    assert 'data-testid="submit-nomination"' in evidence and "Attaching a file does not submit" in evidence
    assert page.count('data-testid="submit-nomination"') == 1

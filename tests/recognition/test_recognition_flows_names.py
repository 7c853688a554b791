"""Recognition pages name people and units, not accounts and unit codes (issue 19)."""
from __future__ import annotations

import re

from ethics.core.extensions import db
from ethics.recognition import eligibility
from tests.recognition.test_views import signed_in


def cells(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</table>")[0]


def test_the_round_page_names_nominators_units_and_committee_members(app, org, scoring_round):
    award_round, member = scoring_round["round"], scoring_round["member"]
    boss, team = org["people"]["boss"], org["units"]["dev_team"]
    team.name_en = "Training section"
    db.session.commit()
    page = signed_in(app, "committee").get(f"/recognition/rounds/{award_round.id}").text  # the chair, in English
    table = cells(page, "nominations")
    assert boss.full_name in table and "Training section" in table
    assert ">supervisor<" not in table and ">DEV-1<" not in table
    header = table.split("</thead>")[0]
    assert member.person.full_name in header and ">member<" not in header
    assert ">committee<" in header  # an account with no person is named by its username
    committee = page.split('data-testid="committee"')[1].split("</section>")[0]
    assert member.person.full_name in committee and not re.search(r"<li>\s*member", committee)


def test_the_nomination_page_names_the_nominator_and_the_unit(app, org, scoring_round):
    nomination = scoring_round["nominations"][0]
    page = signed_in(app, "hr").get(f"/recognition/nominations/{nomination.id}").text
    details = page.split('class="details"')[1].split("</dl>")[0]
    assert org["people"]["boss"].full_name in details and "งานฝึกอบรม" in details
    assert "DEV-1" not in details and ">supervisor<" not in details


def test_an_override_is_signed_by_the_persons_name(app, org, make_person, make_account):
    from tests.recognition.test_rules import _screened_with_an_override

    _round, _kept, other = _screened_with_an_override(org, make_person, {"no_disciplinary_flag": True})
    hr_person = make_person(org["units"]["province"], first_name="ฝ่ายบุคคล")
    org["accounts"]["hr"].person_id = hr_person.id
    db.session.commit()
    client = signed_in(app, "hr")
    client.post(f"/recognition/nominations/{other.id}/override",
                data={"rule": "no_disciplinary_flag", "passed": "yes", "reason": "ตรวจสอบแล้ว"})
    db.session.expire_all()
    overridden = next(r for r in other.eligibility if r["rule"] == "no_disciplinary_flag")
    assert eligibility.effective(overridden) and overridden["override"]["by"] == hr_person.full_name

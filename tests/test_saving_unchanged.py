"""Every edit form of every kind of demo record, opened and saved as rendered, changes no record.

The demo is what a new user tries first, and a form that loses or rewrites data when saved
unchanged does so silently: these tests post each form exactly as a browser would send it.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from flask import url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ethics.auth.models import Account
from ethics.core.extensions import db
from ethics.demo import DEMO_PASSWORD
from ethics.people.models import Person, Unit
from ethics.plan.models import Activity, Measure, Plan, Strategy
from ethics.recognition import rounds
from ethics.recognition.models import AwardRound, Nomination, NominationStatus
from ethics.survey import campaigns
from ethics.survey.models import MoraleCampaign
from ethics.training.models import Course, SessionStatus, TrainingSession
from tests.forms import differences, records, submitted


@pytest.fixture
def demo(load_demo):
    load_demo()


def sign_in(client, username: str) -> None:
    assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302


def save_as_rendered(client, page_url: str, action: str = "") -> None:
    """GET the page, then post its form (the one whose action is `action`) as rendered."""
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    response = client.post(action or page_url, data=MultiDict(submitted(page.text, action)))
    errors = re.findall(r'class="field-error"[^>]*>([^<]*)<|class="flash error">([^<]*)<', response.text)
    assert response.status_code == 302, f"{page_url}: {response.status_code} {errors}"


def assert_saved_unchanged(app, client, forms) -> int:
    """Save each (page, action) in `forms`; no record may differ afterwards. Returns how many."""
    with app.test_request_context():
        forms = list(forms())
    db.session.commit()
    before = records()
    for page_url, action in forms:
        save_as_rendered(client, page_url, action)
    db.session.expire_all()
    assert differences(before, records()) == {}
    return len(forms)


def all_of(model, *where):
    return db.session.scalars(select(model).where(*where).order_by(model.id)).all()


def test_every_person_and_unit(app, client, demo):
    sign_in(client, "hr")
    forms = lambda: ([(url_for("people.edit_person", person_id=p.id), "") for p in all_of(Person)]  # noqa: E731
                     + [(url_for("people.edit_unit", unit_id=u.id), "") for u in all_of(Unit)])
    assert assert_saved_unchanged(app, client, forms) == 214


def test_every_account(app, client, demo):
    sign_in(client, "admin")
    forms = lambda: [(url_for("auth.account", account_id=a.id), url_for("auth.account", account_id=a.id))  # noqa: E731
                     for a in all_of(Account)]
    assert assert_saved_unchanged(app, client, forms) == 6


def test_every_course_and_session(app, client, demo):
    sign_in(client, "hr")
    forms = lambda: ([(url_for("training.edit_course", course_id=c.id), "") for c in all_of(Course)]  # noqa: E731
                     + [(url_for("training.edit_session", session_id=s.id), "")
                        for s in all_of(TrainingSession, TrainingSession.status != SessionStatus.HELD)])
    assert assert_saved_unchanged(app, client, forms) == 5 + 2


def test_a_closed_session_offers_no_form(app, client, demo):
    held = db.session.scalar(select(TrainingSession).where(TrainingSession.status == SessionStatus.HELD))
    sign_in(client, "hr")
    response = client.get(f"/training/sessions/{held.id}/edit", follow_redirects=True)
    assert response.request.path == f"/training/sessions/{held.id}" and "ปิดแล้ว" in response.text


def test_every_plan_activity_and_its_result_text(app, client, demo):
    sign_in(client, "hr")

    def forms():
        for activity, year in db.session.execute(select(Activity, Plan.fiscal_year).join(Measure).join(Strategy)
                                                 .join(Plan).order_by(Activity.id)):
            page = url_for("plan.activity", fiscal_year=year, activity_id=activity.id)
            yield page, page
            yield page, url_for("plan.result_text", fiscal_year=year, activity_id=activity.id)

    assert assert_saved_unchanged(app, client, forms) == 2 * (19 + 14 + 14)


def test_every_editable_round_and_draft_nomination(app, client, demo):
    sign_in(client, "hr")
    editable = lambda: [(url_for("recognition.edit_round", round_id=r.id), "")  # noqa: E731
                        for r in all_of(AwardRound) if r.settings_editable]
    assert assert_saved_unchanged(app, client, editable) == 1
    client.post("/logout")
    sign_in(client, "supervisor")
    drafts = lambda: [(url_for("recognition.edit_nomination", nomination_id=n.id), "")  # noqa: E731
                      for n in all_of(Nomination, Nomination.status == NominationStatus.DRAFT)]
    assert assert_saved_unchanged(app, client, drafts) == 1


def test_a_round_in_screening_saved_unchanged_screens_nothing_again(app, client, demo):
    current = next(r for r in all_of(AwardRound) if r.settings_editable)
    rounds.start_screening(current)
    db.session.commit()
    sign_in(client, "hr")
    forms = lambda: [(url_for("recognition.edit_round", round_id=current.id), "")]  # noqa: E731
    assert assert_saved_unchanged(app, client, forms) == 1


def test_a_draft_campaign_from_the_default_template(app, client, demo):
    """The 16 default items come back as 16 items, each with its own Thai and English text."""
    draft = campaigns.create(campaigns.CampaignData(2571, "ขวัญกำลังใจ 2571", date(2027, 11, 1), date(2027, 11, 30)))
    db.session.commit()
    sign_in(client, "hr")
    forms = lambda: [(url_for("survey.campaign", campaign_id=c.id), "")  # noqa: E731
                     for c in all_of(MoraleCampaign, MoraleCampaign.status == "draft")]
    assert assert_saved_unchanged(app, client, forms) == 1
    items = [(i.text_th, i.text_en) for d in db.session.get(MoraleCampaign, draft.id).dimensions for i in d.items]
    assert items == [item for _th, _en, group in campaigns.DEFAULT_TEMPLATE for item in group]


def test_multi_line_texts_keep_their_lines(app, client, demo):
    """Browsers send a textarea's lines with CRLF; what was stored with LF must come back the same."""
    draft = db.session.scalar(select(Nomination).where(Nomination.status == NominationStatus.DRAFT))
    draft.justification = {key: "ตรงต่อเวลา\nซื่อสัตย์\n\nเป็นแบบอย่าง" for key in draft.justification}
    activity = db.session.scalar(select(Activity).order_by(Activity.id))
    activity.result_text = "ครั้งที่ 1 มกราคม\nครั้งที่ 2 มีนาคม"
    db.session.commit()
    sign_in(client, "supervisor")
    assert assert_saved_unchanged(app, client, lambda: [
        (url_for("recognition.edit_nomination", nomination_id=draft.id), "")]) == 1
    client.post("/logout")
    sign_in(client, "hr")
    page = lambda: url_for("plan.activity", fiscal_year=2551, activity_id=activity.id)  # noqa: E731
    assert assert_saved_unchanged(app, client, lambda: [
        (page(), page()), (page(), url_for("plan.result_text", fiscal_year=2551, activity_id=activity.id))]) == 2
